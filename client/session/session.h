// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/account.h"
#include "session/connectionstate.h"
#include "store/localstore.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class DirectoryModel;
class Drafts;
class MemberListModel;
class MessageSender;
class Notifier;
class Outbox;
class RoomListModel;
class ReadMarkers;
class RoomActions;
class RoomState;
class ServerConnection;
class SyncEngine;
class TimelineModel;
class TypingState;

/*!
 * \brief The parts of the app's C++ side, put together: the connection and its state,
 * the account, the local cache, the sync engine, the outbox and the models.
 *
 * It wires them and keeps the cache for the Account (AccountData); each part does its
 * own work: Account signs in and reconnects, SyncEngine resumes (docs/protocol.md §10),
 * Outbox sends reliably (§8), PushRouter hands pushes to their owners.
 */
class Session : public QObject, private AccountData
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
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
    // Deleted so that a bare `Session()` is ambiguous: Qt 6.4 constructs a default-constructible
    // QML_SINGLETON itself and ignores create(), which would give QML a second, empty session.
    Session() = delete;
    explicit Session(const SessionOptions &options = {}, AppSettings *settings = nullptr,
        QObject *parent = nullptr);
    ~Session() override;

    /*! \brief QML's instance: the one registered with setInstance() (owned by C++). */
    static Session *create(QQmlEngine *, QJSEngine *);
    static void setInstance(Session *session);
    static Session *instance();

    /*! \brief Sign-in, tokens, reconnecting, and the connection state (QML: Account). */
    Account *account() const { return m_account; }
    ConnectionState::Phase connectionState() const { return m_connectionState->phase(); }

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
    // AccountData: the cache and what is shown from it, for the Account.
    bool openCache(const QString &serverUrl, const QString &username) override;
    QList<RoomSummary> cachedRooms() const override;
    void showRooms(const QString &username, const QList<RoomSummary> &rooms) override;
    void closeAccount() override;

    void routePushes();
    void applyLimits();
    void landAfterResume();
    void continueLanding();

    QString m_dataDir; //!< where the caches are
    QPointer<Notifier> m_notifier;
    LocalStore m_store;
    ServerConnection *m_connection;
    ConnectionState *m_connectionState; //!< offline, resuming, live: followed by the parts
    SyncEngine *m_sync;
    Outbox *m_outbox;
    TypingState *m_typing;
    RoomListModel *m_rooms;
    DirectoryModel *m_directory;
    MemberListModel *m_members;
    TimelineModel *m_noRoom; //!< what timeline() shows with no room selected
    RoomState *m_state; //!< models and cache in step
    ReadMarkers *m_reads;
    RoomActions *m_actions;
    MessageSender *m_messages;
    Drafts *m_drafts;
    Account *m_account;

    qint64 m_currentRoom = 0;
    int m_landingRows = -1; //!< rows held when landing last asked for an older page
    int m_maxTextBytes = 16384;
};

} // namespace confab::client
