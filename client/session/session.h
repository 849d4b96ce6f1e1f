// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/reconnectbackoff.h"
#include "protocol/requestbuilder.h"
#include "protocol/roomevent.h"
#include "protocol/serverframe.h"
#include "session/connectionstate.h"
#include "store/localstore.h"

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
class DirectoryModel;
class Drafts;
class MemberListModel;
class MessageSender;
class Notifier;
class Outbox;
class PendingRevocations;
class RoomListModel;
class ReadMarkers;
class RoomActions;
class RoomState;
class ServerConnection;
class SyncEngine;
class TimelineModel;
class TokenStore;
class TypingState;
struct CloseInfo;
struct SyncBatch;
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
 * \brief The signed-in user's session, and the one object QML talks to.
 *
 * Owns the connection, the local cache, the outbox and the models. Implements
 * sign-in, resume (docs/protocol.md §10) and reliable sending (§8).
 */
class Session : public QObject
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
    Q_PROPERTY(confab::client::RoomListModel *rooms READ rooms CONSTANT)
    Q_PROPERTY(confab::client::DirectoryModel *directory READ directory CONSTANT)
    Q_PROPERTY(confab::client::MemberListModel *members READ members CONSTANT)
    Q_PROPERTY(confab::client::TimelineModel *timeline READ timeline NOTIFY currentRoomChanged)
    Q_PROPERTY(qint64 currentRoomId READ currentRoomId NOTIFY currentRoomChanged)
    Q_PROPERTY(QString currentRoomName READ currentRoomName NOTIFY currentRoomInfoChanged)
    Q_PROPERTY(QString currentRoomTopic READ currentRoomTopic NOTIFY currentRoomInfoChanged)
    Q_PROPERTY(bool currentRoomDirect READ currentRoomDirect NOTIFY currentRoomInfoChanged)
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingTextChanged)
    //! What the user had written in the current room and not sent (kept per room).
    Q_PROPERTY(QString draft READ draft NOTIFY currentRoomChanged)
    Q_PROPERTY(int maxTextBytes READ maxTextBytes NOTIFY limitsChanged)
    Q_PROPERTY(bool loadingOlder READ loadingOlder NOTIFY loadingOlderChanged)

public:
    enum Status
    {
        SignedOut, //!< show the sign-in page
        SigningIn, //!< a sign-in or account creation is in progress
        SignedIn, //!< rooms are shown (possibly from cache while offline)
    };
    Q_ENUM(Status)

    // Deleted so that a bare `Session()` is ambiguous: Qt 6.4 constructs a default-constructible
    // QML_SINGLETON itself and ignores create(), which would give QML a second, empty session.
    Session() = delete;
    explicit Session(const SessionOptions &options = {}, AppSettings *settings = nullptr,
        QObject *parent = nullptr);
    ~Session() override;

    /*! \brief QML's instance: the one registered with setInstance() (owned by C++). */
    static Session *create(QQmlEngine *, QJSEngine *);
    static void setInstance(Session *session);

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

    Q_INVOKABLE void selectRoom(qint64 roomId);
    Q_INVOKABLE void sendMessage(const QString &text);
    Q_INVOKABLE void retryMessage(const QString &txn);
    Q_INVOKABLE void discardMessage(const QString &txn);
    Q_INVOKABLE void loadOlder();
    /*! \brief The view shows the current room up to \a seq: moves the read position
     * forward (never back), throttled. */
    Q_INVOKABLE void markRead(qint64 seq);
    /*! \brief The composer's text changed: keeps it as the current room's draft and sends
     * typing notices, throttled. The room's own draft put back in the composer is no change. */
    Q_INVOKABLE void composerTextChanged(const QString &text);
    Q_INVOKABLE int utf8Length(const QString &text) const;

    Q_INVOKABLE void refreshDirectory();
    Q_INVOKABLE void createRoom(const QString &name, const QString &topic);
    Q_INVOKABLE void joinRoom(qint64 roomId);
    Q_INVOKABLE void leaveRoom(qint64 roomId);
    Q_INVOKABLE void openDirect(const QString &user);
    Q_INVOKABLE void setTopic(const QString &topic);

    Status status() const;
    bool restoring() const { return m_restoring; }
    ConnectionState::Phase connectionState() const;
    int reconnectInSeconds() const;
    QString serverUrl() const;
    QString username() const;
    QString registration() const;
    QString errorText() const;
    bool busy() const;
    QString keychainWarning() const;
    RoomListModel *rooms() const;
    DirectoryModel *directory() const;
    MemberListModel *members() const;
    TimelineModel *timeline() const;
    qint64 currentRoomId() const;
    QString currentRoomName() const;
    QString currentRoomTopic() const;
    bool currentRoomDirect() const;
    QString typingText() const;
    QString draft() const;
    int maxTextBytes() const;
    bool loadingOlder() const;

    /*! \brief Live messages are reported here for desktop notifications (may be null). */
    void setNotifier(Notifier *notifier);

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
    void currentRoomChanged();
    void currentRoomInfoChanged();
    void typingTextChanged();
    void limitsChanged();
    void loadingOlderChanged();
    /*! \brief A room action failed (join, leave, create, ...): a translated message. */
    void actionFailed(const QString &message);
    /*! \brief The resume after a (re)connect finished: the timeline is complete. */
    void resumed();
    /*! \brief The resume brought unread messages into the open room: the view places
     * itself on the first unread one again, unless the user has scrolled since it was
     * placed. */
    void landingRequested();

private:
    enum class Auth
    {
        None,
        Login,
        Register,
        Token
    };

    void setStatus(Status status);
    void setRestoring(bool restoring);
    void endRestore();
    void setErrorText(const QString &text);
    void setBusy(bool busy);
    void setReconnectIn(int seconds);
    void setIdentity(const QString &serverUrl, const QString &username);

    void startSignIn(Auth auth, const QString &serverUrl, const QString &username,
        const QString &password, const QString &invite, bool staySignedIn);
    void onReady();
    void onClosed(const CloseInfo &info);
    void routePushes();
    void onAccountReply(const Reply &reply);
    void onAuthenticateReply(const Reply &reply);
    void onResumeApplied();
    void landAfterResume();
    void continueLanding();
    void scheduleReconnect();
    void reconnect();
    void forgetAccount(const QString &error);
    void saveToken();
    void setKeychainWarning();
    void keepForRevocation(const QString &server, const QString &token);

    bool openStore();
    void publishCache(const QList<RoomSummary> &rooms);

    SessionOptions m_options;
    QPointer<AppSettings> m_settings;
    QPointer<Notifier> m_notifier;
    ServerConnection *m_connection;
    ConnectionState *m_connectionState; //!< offline, resuming, live: followed by the parts
    ServerConnection *m_probe = nullptr;
    SyncEngine *m_sync;
    Outbox *m_outbox;
    TypingState *m_typing;
    TokenStore *m_tokens;
    LocalStore m_store;
    ReconnectBackoff m_backoff;
    QElapsedTimer m_clock;

    RoomListModel *m_rooms;
    DirectoryModel *m_directory;
    MemberListModel *m_members;
    TimelineModel *m_noRoom; //!< what timeline() shows with no room selected
    RoomState *m_state; //!< models and cache in step
    ReadMarkers *m_reads;
    RoomActions *m_actions;
    MessageSender *m_messages;
    PendingRevocations *m_revocations;
    Drafts *m_drafts;

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
    qint64 m_currentRoom = 0;
    int m_landingRows = -1; //!< rows held when landing last asked for an older page
    int m_maxTextBytes = 16384;
    quint64 m_accountGeneration = 0; //!< replies for a signed-out account are dropped
};

} // namespace confab::client
