// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <functional>

namespace confab::client {

class PinStore;
class ServerConnection;
class TokenStore;
struct CloseInfo;

/*!
 * \brief Session tokens the user signed out of while the server was unreachable.
 *
 * Such a token still works on the server until it is revoked, so it is kept, in the
 * keychain only (key "pending-revocation|<server url>", tokens one per line), and revoked
 * the next time the app reaches that server: authenticate with it, then logout. Without
 * a keychain it cannot be kept: add() reports false and the token is forgotten.
 */
class PendingRevocations : public QObject
{
    Q_OBJECT

public:
    explicit PendingRevocations(TokenStore *tokens, QObject *parent = nullptr);

    static QString keyFor(const QString &serverUrl);

    /*! \brief Remembers \a token for \a serverUrl; \a done(false) if no keychain took it. */
    void add(
        const QString &serverUrl, const QString &token, const std::function<void(bool)> &done = {});
    /*! \brief Revokes what is pending for \a serverUrl, over a connection of its own; what
     * cannot be revoked now (server unreachable) stays for the next time. */
    void revoke(const QString &serverUrl);
    bool running() const { return !m_serverUrl.isEmpty(); }
    /*! \brief Pins the revoking connections must match (not owned). A server nobody
     * vouches for never gets a token from here: its handshake fails. */
    void setPinStore(const PinStore *pins) { m_pins = pins; }

Q_SIGNALS:
    /*! \brief A run of revoke() ended; \a remaining tokens are still pending. */
    void finished(const QString &serverUrl, int remaining);

private:
    void next();
    void onReady();
    void onClosed(const CloseInfo &info);
    void finish();
    void save(std::function<void()> then);

    TokenStore *m_tokens;
    ServerConnection *m_connection = nullptr;
    const PinStore *m_pins = nullptr;
    QString m_serverUrl; //!< the server of the running revoke(); empty when idle
    QStringList m_pending; //!< its tokens still to revoke
    bool m_revoked = false; //!< the current token is dead on the server
    /*! Servers known to have nothing pending: not asked again (a locked keychain may
     * prompt the user for each read) until add() names them. */
    QSet<QString> m_clean;
};

} // namespace confab::client
