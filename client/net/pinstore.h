// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

class QSettings;
class QUrl;

namespace confab::client {

/*!
 * \brief The servers this device trusts on first use (docs/lan.md): each server id's
 * certificate fingerprint, and which server id each address led to.
 *
 * Pinned by id, not by address, so that a server reached at a new address (DHCP, another
 * network) is still recognised, and a different key under a known id is caught. Pins are
 * not secret: they live beside the app's other per-device settings.
 */
class PinStore
{
public:
    /*! \brief \a settings: where to persist (not owned); null keeps pins in memory only. */
    explicit PinStore(QSettings *settings = nullptr);

    /*! \brief The form an address is pinned under (the URL as ServerConnection opens it). */
    static QString addressOf(const QUrl &url);

    /*! \brief The server id \a url led to last; empty if never pinned. */
    QString serverIdFor(const QUrl &url) const;
    /*! \brief The fingerprint pinned for \a serverId; empty if none. */
    QString fingerprintOf(const QString &serverId) const;
    /*! \brief The fingerprint a connection to \a url must present; empty if none is pinned. */
    QString expectedFor(const QUrl &url) const { return fingerprintOf(serverIdFor(url)); }

    /*! \brief Pins \a fingerprint for \a serverId and records that \a url leads to it. A
     * server too old to have an id is pinned under its address. False for a malformed
     * fingerprint (nothing stored). */
    bool pin(const QUrl &url, const QString &serverId, const QString &fingerprint);

private:
    QString value(const QString &key) const;
    void setValue(const QString &key, const QString &value);

    QSettings *m_settings;
    QHash<QString, QString> m_memory; //!< without settings
};

} // namespace confab::client
