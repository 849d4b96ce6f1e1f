// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/pinstore.h"
#include "session/account.h"
#include "session/connectionstate.h"
#include "session/currentroom.h"
#include "session/messageactions.h"
#include "session/messagesender.h"
#include "session/roomactions.h"
#include "store/localstore.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace confab::protocol {
struct UploadProgress;
} // namespace confab::protocol

class QQmlEngine;
class QJSEngine;

namespace confab::client {

class DirectoryModel;
class Drafts;
class MemberListModel;
class Notifier;
class Outbox;
class FileTransfers;
class InvitationsModel;
class Moderation;
class Administration;
class AccountSettings;
class NotifyLevels;
class Profiles;
class PendingAttachments;
class RoomListModel;
class ReadMarkers;
class RoomState;
class Connection;
class SyncEngine;
class TypingState;
class ServerTrust;
class AppSettings;
class Uploads;
class NearbyServers;

/*!
 * \brief The parts of the app's C++ side, put together: the connection and its state,
 * the account, the local cache, the sync engine, the outbox, the models and the open room.
 *
 * It wires them and keeps the cache for the Account (AccountData); each part does its
 * own work and QML talks to the parts: Account (sign-in, reconnecting, connection
 * state), CurrentRoom (the open room), RoomActions, MessageSender, and the room,
 * directory and member models here. SyncEngine resumes (docs/protocol.md §10), Outbox
 * sends reliably (§8), a PushRouter hands each push to its owner.
 */
class Session : public QObject, private AccountData
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(confab::client::RoomListModel *rooms READ rooms CONSTANT)
    Q_PROPERTY(confab::client::DirectoryModel *directory READ directory CONSTANT)
    Q_PROPERTY(confab::client::MemberListModel *members READ members CONSTANT)
    Q_PROPERTY(confab::client::InvitationsModel *invitations READ invitations CONSTANT)

public:
    // Deleted so that a bare `Session()` is ambiguous: Qt 6.4 constructs a default-constructible
    // QML_SINGLETON itself and ignores create(), which would give QML a second, empty session.
    Session() = delete;
    explicit Session(const SessionOptions &options = {}, AppSettings *settings = nullptr,
        QObject *parent = nullptr);
    /*! \brief A session over \a connection (which it takes over) instead of a WebSocket
     * to the server: tests script the server's side with it. */
    Session(const SessionOptions &options, AppSettings *settings, Connection *connection,
        QObject *parent = nullptr);
    ~Session() override;

    /*! \brief QML's instance: the one registered with setInstance() (owned by C++). The
     * singletons Account, CurrentRoom, RoomActions and MessageSender are its parts. */
    static Session *create(QQmlEngine *, QJSEngine *);
    static void setInstance(Session *session);
    static Session *instance();

    RoomListModel *rooms() const { return m_rooms; }
    DirectoryModel *directory() const { return m_directory; }
    MemberListModel *members() const { return m_members; }
    /*! \brief The user's pending invitations to channels (§17.3). */
    InvitationsModel *invitations() const { return m_invitations; }
    /*! \brief Invitations, roles, channel settings, moderation (QML: Moderation). */
    Moderation *moderation() const { return m_moderation; }
    /*! \brief Sign-in, tokens, reconnecting, and the connection state (QML: Account). */
    Account *account() const { return m_account; }
    ConnectionState::Phase connectionState() const { return m_connectionState->phase(); }
    /*! \brief The connection to the server, for parts that send requests of their own
     * (the search panel's SearchResultsModel). */
    Connection *connection() const { return m_connection; }
    /*! \brief The open room (QML: CurrentRoom). */
    CurrentRoom *currentRoom() const { return m_currentRoom; }
    RoomActions *roomActions() const { return m_actions; }
    MessageSender *messageSender() const { return m_messages; }
    /*! \brief Reply, edit, delete, react, copy, jump (QML: MessageActions). */
    MessageActions *messageActions() const { return m_messageActions; }
    /*! \brief The files chosen for the open room's composer (QML: PendingAttachments). */
    PendingAttachments *pendingAttachments() const { return m_pending; }
    /*! \brief Saving files, and the cache the image provider reads (QML: FileTransfers). */
    FileTransfers *fileTransfers() const { return m_transfers; }
    /*! \brief Users, registration, invite codes, the audit log (QML: Administration). */
    Administration *administration() const { return m_administration; }
    /*! \brief Password, sessions, deleting the account (QML: AccountSettings). */
    AccountSettings *accountSettings() const { return m_accountSettings; }
    /*! \brief Notification levels and do-not-disturb (QML: NotifyLevels). */
    NotifyLevels *notifyLevels() const { return m_notifyLevels; }
    /*! \brief Display names, statuses and avatars by username (QML: Profiles). */
    Profiles *profiles() const { return m_profiles; }
    /*! \brief Codes to compare on first use, and the stop when a key changes (QML:
     * ServerTrust, docs/lan.md). */
    ServerTrust *serverTrust() const { return m_trust; }
    /*! \brief The servers' pinned keys, kept with the app's settings. */
    PinStore *pins() { return &m_pins; }
    /*! \brief Where the account looks for its server by id when the address fails. */
    NearbyServers *nearby() const { return m_nearby; }

    /*! \brief Live messages are reported here for desktop notifications (may be null). */
    void setNotifier(Notifier *notifier);

Q_SIGNALS:
    /*! \brief The resume after a (re)connect finished: the timeline is complete. */
    void resumed();

private:
    // AccountData: the cache and what is shown from it, for the Account.
    bool openCache(const QString &serverUrl, const QString &username) override;
    QList<RoomSummary> cachedRooms() const override;
    void showRooms(const QString &username, const QList<RoomSummary> &rooms) override;
    void closeAccount() override;
    void serverMoved(const QString &from, const QString &to, const QString &username) override;

    void routePushes();
    void applyLimits();
    void onUploaded(const protocol::UploadProgress &progress);

    QString m_dataDir; //!< where the caches are
    PinStore m_pins; //!< before the connection that enforces them
    QPointer<AppSettings> m_settings;
    QPointer<Notifier> m_notifier;
    LocalStore m_store;
    Connection *m_connection;
    ConnectionState *m_connectionState; //!< offline, resuming, live: followed by the parts
    SyncEngine *m_sync;
    Outbox *m_outbox;
    TypingState *m_typing;
    RoomListModel *m_rooms;
    DirectoryModel *m_directory;
    MemberListModel *m_members;
    RoomState *m_state; //!< models and cache in step
    ReadMarkers *m_reads;
    RoomActions *m_actions;
    MessageSender *m_messages;
    Drafts *m_drafts;
    CurrentRoom *m_currentRoom;
    Account *m_account;
    MessageActions *m_messageActions;
    PendingAttachments *m_pending;
    FileTransfers *m_transfers;
    InvitationsModel *m_invitations = nullptr;
    Moderation *m_moderation = nullptr;
    Administration *m_administration = nullptr;
    AccountSettings *m_accountSettings = nullptr;
    NotifyLevels *m_notifyLevels = nullptr;
    Profiles *m_profiles = nullptr;
    Uploads *m_avatarUploads = nullptr; //!< avatar images, apart from the outbox's files
    ServerTrust *m_trust = nullptr;
    NearbyServers *m_nearby = nullptr;
};

} // namespace confab::client
