// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/connection.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class PinStore;

/*!
 * \brief Trust on first use, as the user sees it (docs/lan.md): the short code to compare
 * with the host's screen before anything is sent to a server nobody vouches for, and the
 * hard stop when a pinned server presents another key.
 *
 * The Account asks it and waits for confirmed() or rejected(); QML shows \c prompt and calls
 * confirm(), reject() or dismiss(). A key-changed stop has no way to continue: only the
 * user's host can say why the key changed.
 */
class ServerTrust : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Prompt prompt READ prompt NOTIFY changed)
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY changed)
    //! The name the server gives itself (its hello); may be empty.
    Q_PROPERTY(QString serverName READ serverName NOTIFY changed)
    //! CompareCode: the code of the key this server presented, "4821 0937 5510 2264 8093".
    Q_PROPERTY(QString shortCode READ shortCode NOTIFY changed)

public:
    enum Prompt
    {
        None,
        CompareCode, //!< first use: the codes must match before sign-in goes on
        KeyChanged, //!< a pinned server presented another key: refused
    };
    Q_ENUM(Prompt)

    explicit ServerTrust(PinStore *pins, QObject *parent = nullptr);

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static ServerTrust *create(QQmlEngine *, QJSEngine *);

    /*! \brief The codes match: the key is pinned, and the sign-in goes on over a new
     * connection that the handshake checks against the pin. */
    Q_INVOKABLE void confirm();
    /*! \brief The codes differ (or the user cancels): nothing is saved, sign-in stops. */
    Q_INVOKABLE void reject();
    /*! \brief Closes the key-changed explanation; nothing else happens. */
    Q_INVOKABLE void dismiss();
    /*! \brief The next connections to \a url must present \a fingerprint (an invite link
     * carries it): no code to compare, and the key is pinned once hello arrives. */
    Q_INVOKABLE void expect(
        const QUrl &url, const QString &fingerprint, const QString &serverId = QString());

    Prompt prompt() const { return m_prompt; }
    QString serverUrl() const { return m_url.toString(); }
    QString serverName() const { return m_name; }
    QString shortCode() const;

    /*! \brief What expect() gave for \a url and is not pinned yet; empty if none. */
    QString invitedFingerprint(const QUrl &url) const;
    /*! \brief The server id expect() gave for \a url; empty if none. */
    QString invitedServerId(const QUrl &url) const;
    /*! \brief Shows the code of a server nobody vouches for (a TlsTrust::FirstUse hello). */
    void askFirstUse(const QUrl &url, const protocol::Hello &hello, const TlsTrust &tls);
    /*! \brief Shows the hard stop for a connection refused with CloseInfo::pinMismatch. */
    void showKeyChanged(const QUrl &url, const CloseInfo &info);
    /*! \brief A connection matched its pin or invite: the address is pinned to the
     * server's id, so a later connection to it is checked in the handshake. */
    void noteTrusted(const QUrl &url, const protocol::Hello &hello, const TlsTrust &tls);
    /*! \brief The sign-in that asked ended another way: the question is withdrawn. */
    void withdraw();

Q_SIGNALS:
    void changed();
    void confirmed();
    void rejected();

private:
    void setPrompt(Prompt prompt, const QUrl &url, const QString &name, const QString &fingerprint);

    PinStore *m_pins;
    Prompt m_prompt = None;
    QUrl m_url;
    QString m_name;
    QString m_serverId;
    QString m_fingerprint;
    QHash<QString, QString> m_invited; //!< address -> fingerprint, from expect()
    QHash<QString, QString> m_invitedIds; //!< address -> server id, from expect()
};

} // namespace confab::client
