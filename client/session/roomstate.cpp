// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/roomstate.h"

#include "core/clientlogging.h"
#include "models/directorymodel.h"
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "notify/notifier.h"
#include "session/errortext.h"
#include "session/outbox.h"
#include "session/syncengine.h"
#include "store/localstore.h"

#include <QSet>

using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::client {

RoomState::RoomState(RoomListModel *rooms, MemberListModel *members, DirectoryModel *directory,
    Outbox *outbox, SyncEngine *sync, LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_rooms(rooms)
    , m_members(members)
    , m_directory(directory)
    , m_outbox(outbox)
    , m_sync(sync)
    , m_store(store)
{ }

RoomState::~RoomState()
{
    qDeleteAll(m_timelines);
}

void RoomState::setNotifier(Notifier *notifier)
{
    m_notifier = notifier;
}

bool RoomState::isOwn(const QString &user) const
{
    return user.compare(m_ownUser, Qt::CaseInsensitive) == 0;
}

void RoomState::clear()
{
    qDeleteAll(m_timelines);
    m_timelines.clear();
    m_currentRoom = 0;
}

TimelineModel *RoomState::timeline(qint64 roomId)
{
    if (roomId == 0)
        return nullptr;
    if (TimelineModel *tl = m_timelines.value(roomId))
        return tl;
    auto *tl = new TimelineModel(roomId, m_ownUser, this);
    tl->setFileStatus(m_fileStatus);
    if (m_profiles)
        tl->setProfiles(m_profiles);
    m_timelines.insert(roomId, tl);
    if (m_store->isOpen()) {
        const QList<RoomEvent> events = m_store->events(roomId);
        tl->appendEvents(events);
        tl->setHasMoreBefore(events.isEmpty() || events.first().seq > 1);
        addPendingRows(tl);
    }
    if (const auto s = m_rooms->room(roomId))
        tl->setReadSeq(s->readSeq);
    return tl;
}

void RoomState::addPendingRows(TimelineModel *tl)
{
    const auto entries = m_outbox->entries();
    for (const OutboxEntry &e : entries) {
        if (e.room != tl->roomId())
            continue;
        tl->addPending(e.txn, e.text, e.createdMs, e.replyTo, uploadingView(e));
        if (e.failed)
            tl->markFailed(e.txn, e.error);
        else if (e.uploading())
            tl->setUploadProgress(e.txn, std::max(0.0, m_outbox->uploadProgress(e.txn)));
    }
}

void RoomState::setFileViews(
    std::function<QVariantList(const OutboxEntry &)> uploading, TimelineModel::FileStatus status)
{
    m_uploadingView = std::move(uploading);
    m_fileStatus = std::move(status);
    for (TimelineModel *tl : std::as_const(m_timelines))
        tl->setFileStatus(m_fileStatus);
}

std::optional<protocol::FileInfo> RoomState::findFile(qint64 fileId) const
{
    for (const TimelineModel *tl : std::as_const(m_timelines)) {
        if (auto info = tl->fileInfo(fileId))
            return info;
    }
    return std::nullopt;
}

void RoomState::fileStatusChanged(qint64 fileId)
{
    for (TimelineModel *tl : std::as_const(m_timelines))
        tl->fileStatusChanged(fileId);
}

QVariantList RoomState::uploadingView(const OutboxEntry &entry) const
{
    return entry.files.isEmpty() || !m_uploadingView ? QVariantList() : m_uploadingView(entry);
}

void RoomState::applyBatch(const SyncBatch &batch)
{
    StoreBatch out;
    QSet<qint64> summaries;
    for (qint64 room : batch.left)
        removeRoom(room, out);
    for (qint64 room : batch.resets) {
        out.resets.append(room);
        if (TimelineModel *tl = m_timelines.value(room)) {
            tl->clear();
            addPendingRows(tl);
        }
    }
    for (const RoomSummary &s : batch.summaries) {
        m_rooms->upsert(s);
        summaries.insert(s.id);
    }
    QList<RoomEvent> shown;
    for (const RoomEvent &e : batch.events) {
        if (e.id < 0)
            continue; // unknown kind: only its cursor counts
        shown.append(e);
        if (batch.live && m_rooms->contains(e.room))
            m_rooms->applyEvent(e);
        // Someone else's kick or ban may have ended an invitation, not a membership: the
        // member list of the room on screen tells (other rooms count at their next summary).
        if (batch.live && protocol::removesUser(e.kind) && !isOwn(e.user) && e.room == m_currentRoom
            && m_members->contains(e.user))
            m_rooms->memberRemoved(e.room);
        if (e.kind == EventKind::Message && !e.txn.isEmpty() && isOwn(e.sender)
            && m_outbox->contains(e.txn)) {
            m_outbox->delivered(e.txn);
            out.deliveredTxns.append(e.txn);
        }
        summaries.insert(e.room);
    }
    // Per room, in order: the timeline takes ascending runs.
    QHash<qint64, QList<RoomEvent>> perRoom;
    for (const RoomEvent &e : std::as_const(shown))
        perRoom[e.room].append(e);
    for (auto it = perRoom.cbegin(); it != perRoom.cend(); ++it) {
        if (TimelineModel *tl = m_timelines.value(it.key()))
            tl->appendEvents(it.value());
    }
    for (qint64 room : batch.resets) {
        if (TimelineModel *tl = m_timelines.value(room))
            tl->setHasMoreBefore(tl->lowestSeq() != 1);
        Q_EMIT roomReset(room);
    }
    out.events = shown;
    out.cursors = batch.cursors;
    QList<qint64> leftNow;
    QSet<qint64> takenAway;
    for (const RoomEvent &e : std::as_const(shown)) {
        const bool own = isOwn(e.sender);
        if (e.room == m_currentRoom && e.kind == EventKind::Join)
            m_members->addMember(e.sender, true);
        // Added to a group (§18.4): a member like a joiner, but the event does not say
        // whether they are online, and no presence frame will if they already were.
        if (e.room == m_currentRoom && e.kind == EventKind::Add) {
            m_members->addMember(e.user, false);
            if (batch.live)
                Q_EMIT memberAdded(e.room);
        }
        if (e.room == m_currentRoom && e.kind == EventKind::Leave && !own)
            m_members->removeMember(e.sender);
        if (e.room == m_currentRoom)
            m_members->applyTeamEvent(e);
        if (batch.live && e.kind == EventKind::Message && !own)
            notifyMessage(e);
        // The own leave event removes the room here and on every other device; a kick or
        // ban of the user ends the membership exactly as a leave does (§17.7).
        const bool removedMe = protocol::removesUser(e.kind) && isOwn(e.user);
        if (batch.live && ((e.kind == EventKind::Leave && own) || removedMe))
            leftNow.append(e.room);
        if (batch.live && removedMe)
            takenAway.insert(e.room);
    }
    for (qint64 room : std::as_const(leftNow)) {
        if (takenAway.contains(room))
            Q_EMIT roomTakenAway(room);
        removeRoom(room, out);
    }
    for (qint64 room : std::as_const(summaries)) {
        if (const auto s = m_rooms->room(room))
            out.upserts.append(*s);
    }
    if (m_store->isOpen() && !m_store->apply(out))
        qCWarning(lcClientSession) << "could not write a batch to the cache";
}

void RoomState::removeRoom(qint64 roomId, StoreBatch &batch)
{
    m_sync->forget(roomId);
    m_outbox->failRoom(roomId, sendErrorText(protocol::ErrorCode::NotMember));
    batch.removed.append(roomId);
    batch.events.removeIf([&](const RoomEvent &e) { return e.room == roomId; });
    batch.cursors.remove(roomId);
    batch.upserts.removeIf([&](const RoomSummary &s) { return s.id == roomId; });
    // A private channel is listed only to its members and invitees (§5.6): once left, it
    // goes from the open directory as the next list_rooms would drop it.
    const auto summary = m_rooms->room(roomId);
    m_rooms->remove(roomId);
    if (summary && summary->isPrivate)
        m_directory->unlist(roomId);
    else
        m_directory->setJoined(roomId, false);
    Q_EMIT roomRemoved(roomId);
    delete m_timelines.take(roomId);
}

void RoomState::storeSummary(qint64 roomId)
{
    const auto s = m_rooms->room(roomId);
    if (!s || !m_store->isOpen())
        return;
    StoreBatch batch;
    batch.upserts.append(*s);
    m_store->apply(batch);
}

void RoomState::applySummary(const RoomSummary &summary)
{
    m_rooms->upsert(summary);
    m_directory->setJoined(summary.id, true);
    storeSummary(summary.id);
}

void RoomState::applyReadState(const protocol::ReadState &read)
{
    if (!m_rooms->contains(read.room))
        return;
    m_rooms->setReadState(read.room, read.readSeq, read.unread, read.mentions);
    storeSummary(read.room);
}

void RoomState::applyOlder(qint64 room, const QList<RoomEvent> &events, bool hasMore)
{
    if (TimelineModel *tl = m_timelines.value(room)) {
        tl->prependEvents(events, hasMore);
        tl->setHasMoreBefore(hasMore);
    }
    m_sync->noteSeen(events);
    StoreBatch batch;
    batch.events = events;
    if (m_sync->cursor(room) > 0)
        batch.cursors.insert(room, m_sync->cursor(room));
    if (m_store->isOpen())
        m_store->apply(batch);
}

void RoomState::notifyMessage(const RoomEvent &event)
{
    if (!m_notifier)
        return;
    const auto room = m_rooms->room(event.room);
    IncomingMessage m;
    m.room = event.room;
    m.roomName = room ? room->name : QString();
    m.direct = room && room->direct;
    m.sender = event.sender;
    m.text = event.text;
    m.mentionsMe = event.mentions.contains(m_ownUser.toLower());
    m_notifier->messageArrived(m, room ? room->notify : QString());
}

} // namespace confab::client
