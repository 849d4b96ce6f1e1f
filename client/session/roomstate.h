// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/roomsummary.h"
#include "models/timelinemodel.h"
#include "protocol/results.h"
#include "protocol/roomevent.h"
#include "store/localstore.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <functional>
#include <optional>

namespace confab::client {

class DirectoryModel;
class LocalStore;
class MemberListModel;
class Notifier;
class Outbox;
class Profiles;
class RoomListModel;
class SyncEngine;
class TimelineModel;
struct StoreBatch;
struct SyncBatch;

/*!
 * \brief Keeps the models and the local cache in step: applies each batch from the
 * SyncEngine to the room list, the per-room timelines and the cache in one transaction,
 * and reports live messages to the notifier.
 */
class RoomState : public QObject
{
    Q_OBJECT

public:
    RoomState(RoomListModel *rooms, MemberListModel *members, DirectoryModel *directory,
        Outbox *outbox, SyncEngine *sync, LocalStore *store, QObject *parent = nullptr);
    ~RoomState() override;

    void setOwnUser(const QString &user) { m_ownUser = user; }
    /*! \brief Timelines show display names from \a profiles. */
    void setProfiles(Profiles *profiles) { m_profiles = profiles; }
    void setCurrentRoom(qint64 room) { m_currentRoom = room; }
    void setNotifier(Notifier *notifier);
    /*! \brief How timelines show files: an unsent message's files (\a uploading) and
     * where saves of a file stand (\a status). Set once by the Session. */
    void setFileViews(std::function<QVariantList(const OutboxEntry &)> uploading,
        TimelineModel::FileStatus status);
    /*! \brief A file some held message has attached; nullopt if none does. */
    std::optional<protocol::FileInfo> findFile(qint64 fileId) const;
    /*! \brief A save of \a fileId progressed or ended: rows showing it change. */
    void fileStatusChanged(qint64 fileId);
    /*! \brief The attachments an unsent message shows (empty without files). */
    QVariantList uploadingView(const OutboxEntry &entry) const;

    /*! \brief The room's timeline, loaded from the cache on first use; null for 0. */
    TimelineModel *timeline(qint64 roomId);
    TimelineModel *existingTimeline(qint64 roomId) const { return m_timelines.value(roomId); }

    void applyBatch(const SyncBatch &batch);
    /*! \brief A summary from a result or a room push. */
    void applySummary(const RoomSummary &summary);
    /*! \brief The server's read position and counts (an unread push, a mark_read result). */
    void applyReadState(const protocol::ReadState &read);
    /*! \brief An older history page the user scrolled to. */
    void applyOlder(qint64 room, const QList<protocol::RoomEvent> &events, bool hasMore);
    /*! \brief Signed out: drop every timeline. */
    void clear();

Q_SIGNALS:
    /*! \brief The user is no longer in \a room; emitted before its timeline is deleted. */
    void roomRemoved(qint64 room);
    /*! \brief Just before roomRemoved(): someone else removed the user (kick, ban), so
     * the window shows another room rather than none. */
    void roomTakenAway(qint64 room);
    /*! \brief \a room was reloaded from scratch (the server's log went back). */
    void roomReset(qint64 room);
    /*! \brief Someone was added to the group on screen (§18.4): listed offline until the
     * member list, asked again, says whether they are online. */
    void memberAdded(qint64 room);

private:
    void removeRoom(qint64 roomId, StoreBatch &batch);
    void addPendingRows(TimelineModel *tl);
    void storeSummary(qint64 roomId);
    void notifyMessage(const protocol::RoomEvent &event);
    bool isOwn(const QString &user) const;

    RoomListModel *m_rooms;
    MemberListModel *m_members;
    DirectoryModel *m_directory;
    Outbox *m_outbox;
    std::function<QVariantList(const OutboxEntry &)> m_uploadingView;
    TimelineModel::FileStatus m_fileStatus;
    SyncEngine *m_sync;
    LocalStore *m_store;
    QPointer<Notifier> m_notifier;
    QHash<qint64, TimelineModel *> m_timelines;
    QString m_ownUser;
    Profiles *m_profiles = nullptr;
    qint64 m_currentRoom = 0;
};

} // namespace confab::client
