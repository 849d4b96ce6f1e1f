// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/roomsummary.h"
#include "net/reconnectbackoff.h"
#include "protocol/results.h"
#include "session/connectionstate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <memory>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class AppSettings;
class NearbyServers;
class PendingRevocations;
class Connection;
class PinStore;
class ServerConnection;
class ServerTrust;
class SyncEngine;
class TokenStore;
struct CloseInfo;
struct Reply;

/*!
 * \brief Where and how a Session keeps its state; tests point it at temporary folders.
 */
struct SessionOptions
{
    QString dataDir; //!< local cache databases; default: QStandardPaths::AppDataLocation
    bool useKeychain = true; //!< false: behave as if no keychain were reachable
    QString keychainService = QStringLiteral("Confab");
    int pingIntervalMs = 15000; //!< silence before the watchdog pings
    int pingTimeoutMs = 10000; //!< no reply within this: the connection is dead
    int backoffInitialMs = 1000;
    int backoffMaxMs = 60000;
    /*! Tests: with useKeychain, keep tokens in this map (shared between Sessions) instead
     * of the platform keychain; null: the real keychain. */
    std::shared_ptr<QHash<QString, QString>> memoryKeychain;
};

/*!
 * \brief What the account needs of the data kept for it: the local cache and what is
 * shown from it. The Session implements it; the Account decides when.
 */
class AccountData
{
public:
    virtual ~AccountData() = default;
    /*! \brief Opens the account's cache (if not open yet); false if it cannot be. */
    virtual bool openCache(const QString &serverUrl, const QString &username) = 0;
    virtual QList<RoomSummary> cachedRooms() const = 0;
    /*! \brief Shows \a rooms (from the cache, or a sign-in result) as \a username's. */
    virtual void showRooms(const QString &username, const QList<RoomSummary> &rooms) = 0;
    /*! \brief The account leaves this window: the cache closes, and nothing shown,
     * pending or remembered for it may reach the next account signed in here. */
    virtual void closeAccount() = 0;
    /*! \brief The server moved from \a from to \a to (protocol §19.6): the cache kept for
     * \a username at the old address is the one for the new address from now on. */
    virtual void serverMoved(const QString &from, const QString &to, const QString &username) = 0;

protected:
    AccountData() = default;
    AccountData(const AccountData &) = default;
    AccountData &operator=(const AccountData &) = default;
};

/*!
 * \brief The account and its connection: sign-in, account creation, restoring a saved
 * session, sign-out; the token (in memory, and in the keychain through TokenStore when
 * staying signed in); reconnecting with backoff; and the connection state, which it alone
 * moves (offline → resuming → live, docs/protocol.md §10).
 *
 * Every way an account ends (sign-out, a refused token, a restore that finds no token)
 * goes through one teardown, endAccount().
 */
class Account : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    //! A saved session is being read from the keychain and no cache could be shown yet:
    //! neither the sign-in page nor the chat page is right, so the window stays neutral.
    Q_PROPERTY(bool restoring READ restoring NOTIFY statusChanged)
    Q_PROPERTY(confab::client::ConnectionState::Phase connectionState READ connectionState NOTIFY
            connectionStateChanged)
    Q_PROPERTY(int reconnectInSeconds READ reconnectInSeconds NOTIFY reconnectInSecondsChanged)
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString username READ username NOTIFY usernameChanged)
    Q_PROPERTY(QString registration READ registration NOTIFY registrationChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString keychainWarning READ keychainWarning NOTIFY keychainWarningChanged)
    //! Said once the app followed the server to a new address (protocol §19.6), or
    //! refused to; empty otherwise, and again after dismissMoveNotice().
    Q_PROPERTY(QString moveNotice READ moveNotice NOTIFY moveNoticeChanged)

public:
    enum Status
    {
        SignedOut, //!< show the sign-in page
        SigningIn, //!< a sign-in or account creation is in progress
        SignedIn, //!< rooms are shown (possibly from cache while offline)
    };
    Q_ENUM(Status)

    Account(const SessionOptions &options, AppSettings *settings, Connection *connection,
        ConnectionState *state, SyncEngine *sync, AccountData *data, QObject *parent = nullptr);
    ~Account() override;

    /*! \brief QML's instance: the Session's (see Session::setInstance()). */
    static Account *create(QQmlEngine *, QJSEngine *);

    /*! \brief Trust on first use (docs/lan.md): \a trust asks the user, \a pins are
     * enforced by the probe and the revocations too. Without it, a server nobody vouches
     * for is not signed in to. */
    void setTrust(ServerTrust *trust, const PinStore *pins);
    /*! \brief Servers nearby (not owned), where a server whose address keeps failing is
     * looked for by its id; listened to only while that happens. Null: not looked for. */
    void setNearby(NearbyServers *nearby);
    /*! \brief After this many failed connections in a row, the server is looked for nearby. */
    static constexpr int FailuresBeforeLookingNearby = 3;

    /*! \brief Signs in with the token stored for the last server and user, if any:
     * shows the cached rooms at once, then connects. Returns false if there is none. */
    Q_INVOKABLE bool restore();
    Q_INVOKABLE void signIn(const QString &serverUrl, const QString &username,
        const QString &password, bool staySignedIn);
    Q_INVOKABLE void createAccount(const QString &serverUrl, const QString &username,
        const QString &password, const QString &invite, bool staySignedIn);
    /*! \brief Connects just to read the server's hello (registration policy). */
    Q_INVOKABLE void probeServer(const QString &serverUrl);
    /*! \brief The user edited what the last error was about (address, name, password). */
    Q_INVOKABLE void clearError();
    /*! \brief Revokes the token on the server, forgets it and the cache handle. */
    Q_INVOKABLE void signOut();
    Q_INVOKABLE void retryNow();
    Q_INVOKABLE void dismissMoveNotice();
    /*! \brief The server says it moved to \a url (hello's movedTo, or a `moved` push):
     * try there, expecting the same server id and pin; adopt it only if that holds. */
    void followMove(const QString &url);

    Status status() const { return m_status; }
    bool restoring() const { return m_restoring; }
    ConnectionState::Phase connectionState() const;
    int reconnectInSeconds() const { return m_reconnectIn; }
    QString serverUrl() const { return m_serverUrl; }
    QString username() const { return m_username; }
    QString registration() const { return m_registration; }
    QString errorText() const { return m_errorText; }
    bool busy() const { return m_busy; }
    QString keychainWarning() const { return m_keychainWarning; }
    QString moveNotice() const { return m_moveNotice; }

Q_SIGNALS:
    void statusChanged();
    void connectionStateChanged();
    void reconnectInSecondsChanged();
    void serverUrlChanged();
    void usernameChanged();
    void registrationChanged();
    void errorTextChanged();
    void busyChanged();
    void keychainWarningChanged();
    void moveNoticeChanged();
    /*! \brief A login, register or authenticate result arrived (who is an admin, §17). */
    void signedIn(const confab::protocol::SignedIn &result);

private:
    enum class Auth
    {
        None,
        Login,
        Register,
        Token
    };
    enum class Token
    {
        Forget, //!< signed out, or refused: the keychain entry goes too
        Keep, //!< a restore that could not go on: the entry stays for the next start
    };

    void setStatus(Status status);
    void setRestoring(bool restoring);
    void setErrorText(const QString &text);
    void setBusy(bool busy);
    void setReconnectIn(int seconds);
    void setIdentity(const QString &serverUrl, const QString &username);
    void setRegistration(const QString &registration);

    void startSignIn(Auth auth, const QString &serverUrl, const QString &username,
        const QString &password, const QString &invite, bool staySignedIn);
    void openConnection();
    void onReady();
    bool askTrust();
    void onClosed(const CloseInfo &info);
    void onKeyChanged(const CloseInfo &info);
    void onTrustAnswered(bool confirmed);
    void onAccountReply(const Reply &reply);
    void onAuthenticateReply(const Reply &reply);
    void scheduleReconnect();
    void reconnect();
    void endAccount(Token token, const QString &error);
    void saveToken();
    void setKeychainWarning();
    void keepForRevocation(const QString &server, const QString &token);
    QString connectingUrl() const { return m_followUrl.isEmpty() ? m_serverUrl : m_followUrl; }
    bool m_followingNearby = false; //!< m_followUrl came from an announcement, not the server
    bool mayFollow(const QString &url, bool toldByServer = true);
    bool tryAddress(const QString &url);
    void adoptFollowed();
    void refuseMove(const QString &url);
    void retryMoveLater(const QString &url);
    bool followFailed(const CloseInfo &info);
    void lookNearby();
    void stopLookingNearby();
    void setMoveNotice(const QString &text);

    SessionOptions m_options;
    QPointer<AppSettings> m_settings;
    Connection *m_connection;
    ConnectionState *m_state;
    SyncEngine *m_sync;
    AccountData *m_data;
    TokenStore *m_tokens;
    PendingRevocations *m_revocations;
    ServerConnection *m_probe = nullptr;
    ServerTrust *m_trust = nullptr;
    const PinStore *m_pins = nullptr;
    bool m_awaitingTrust = false; //!< the user compares codes; nothing was sent
    ReconnectBackoff m_backoff;
    QElapsedTimer m_clock;

    Status m_status = SignedOut;
    bool m_restoring = false;
    Auth m_auth = Auth::None;
    bool m_authenticated = false; //!< this connection is signed in
    bool m_staySignedIn = false;
    QString m_serverUrl;
    QString m_username;
    QString m_password; //!< only while signing in
    QString m_invite;
    QString m_token; //!< in memory always; in the keychain if staying signed in
    QString m_registration;
    QString m_errorText;
    QString m_keychainWarning;
    bool m_busy = false;
    int m_reconnectIn = 0;
    qint64 m_reconnectAt = 0;
    QTimer m_reconnectTimer;
    QTimer m_countdown;
    quint64 m_generation = 0; //!< replies and keychain answers for an ended account are dropped

    // Following the server to another address (protocol §19.6).
    QPointer<NearbyServers> m_nearby;
    QString m_serverId; //!< what the server at m_serverUrl proved to be; empty: not known
    QString m_followUrl; //!< the address being tried instead of m_serverUrl; empty: none
    bool m_switching = false; //!< closing one connection to open the next at once
    int m_failures = 0; //!< connections in a row that never reached the server
    QHash<QString, qint64> m_retryMoveAt; //!< addresses that failed: not before (m_clock)
    QStringList m_refusedMoves; //!< addresses where another server answered: never
    QString m_moveNotice;
    bool m_listeningNearby = false; //!< this account turned m_nearby on
};

} // namespace confab::client
