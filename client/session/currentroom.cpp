// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/currentroom.h"

#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "session/connectionstate.h"
#include "session/drafts.h"
#include "session/messagesender.h"
#include "session/readmarkers.h"
#include "session/roomactions.h"
#include "session/roomstate.h"
#include "session/session.h"
#include "session/typingstate.h"

#include <QJSEngine>
#include <utility>

namespace confab::client {

namespace {
constexpr int FillWhenFewerThan = 30; // rows: fewer than a screenful pages in history
constexpr int LandingMaxRows = 2000; // paged back to reach the first unread, at most
} // namespace

CurrentRoom::CurrentRoom(RoomListModel *rooms, RoomState *state, ConnectionState *connectionState,
    ReadMarkers *reads, RoomActions *actions, MemberListModel *members, TypingState *typing,
    Drafts *drafts, MessageSender *sender, QObject *parent)
    : QObject(parent)
    , m_rooms(rooms)
    , m_state(state)
    , m_connectionState(connectionState)
    , m_reads(reads)
    , m_actions(actions)
    , m_members(members)
    , m_typing(typing)
    , m_drafts(drafts)
    , m_sender(sender)
    , m_noRoom(new TimelineModel(0, QString(), this))
{
    connect(m_state, &RoomState::roomTakenAway, this, [this](qint64 room) {
        if (room == m_roomId)
            m_takenAway = room;
    });
    connect(m_state, &RoomState::roomRemoved, this, [this](qint64 room) {
        if (room != m_roomId)
            return;
        // The user left: nothing is open. Someone removed them while they were reading
        // (and maybe typing): the window moves on to another room rather than go blank.
        const bool takenAway = std::exchange(m_takenAway, 0) == room;
        select(takenAway ? m_rooms->roomIdAt(0) : 0);
    });
    connect(m_rooms, &RoomListModel::roomChanged, this, [this](qint64 room) {
        if (room == m_roomId)
            Q_EMIT infoChanged();
    });
    connect(m_actions, &RoomActions::roomOpened, this, &CurrentRoom::select);
    connect(m_actions, &RoomActions::loadingOlderChanged, this, [this] {
        Q_EMIT loadingOlderChanged();
        if (!m_actions->loadingOlder())
            continueLanding();
    });
    connect(m_typing, &TypingState::textChanged, this, &CurrentRoom::typingTextChanged);
}

CurrentRoom *CurrentRoom::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->currentRoom(), QJSEngine::CppOwnership);
    return session->currentRoom();
}

void CurrentRoom::select(qint64 roomId)
{
    if (roomId == m_roomId || (roomId != 0 && !m_rooms->contains(roomId)))
        return;
    m_reads->flush(); // what was read in the room being left goes first
    m_roomId = roomId;
    m_state->setCurrentRoom(roomId);
    m_actions->setCurrentRoom(roomId);
    m_members->clear();
    m_typing->setCurrentRoom(roomId);
    if (TimelineModel *tl = m_state->timeline(roomId)) {
        if (const auto s = m_rooms->room(roomId))
            tl->setReadSeq(s->readSeq);
        // Opening a room shows its first unread message: page back to it first.
        m_landingRows = -1;
        tl->setLandingPending(m_connectionState->isLive() && !tl->unreadLineLoaded());
    }
    Q_EMIT roomChanged();
    Q_EMIT infoChanged();
    m_actions->requestMembers();
    TimelineModel *tl = m_state->timeline(roomId);
    if (tl && tl->landingPending())
        continueLanding();
    else if (tl && m_connectionState->isLive() && tl->rowCount() < FillWhenFewerThan
        && tl->hasMoreBefore())
        loadOlder();
}

void CurrentRoom::landAfterResume()
{
    // The room on screen was opened from the cache (a cold start, a sign-in, a reconnect):
    // what the resume brought in is unread, and the view lands on it as if the room had just
    // been opened, unless the user has scrolled since.
    TimelineModel *tl = m_state->existingTimeline(m_roomId);
    if (!tl)
        return;
    if (const auto s = m_rooms->room(m_roomId))
        tl->setReadSeq(s->readSeq);
    if (tl->firstUnreadRow() < 0 && tl->unreadLineLoaded())
        return;
    m_landingRows = -1;
    tl->setLandingPending(!tl->unreadLineLoaded());
    continueLanding();
    Q_EMIT landingRequested();
}

void CurrentRoom::fillAfterResume()
{
    if (TimelineModel *tl = m_state->timeline(m_roomId);
        tl && tl->rowCount() < FillWhenFewerThan && tl->hasMoreBefore())
        loadOlder();
}

void CurrentRoom::continueLanding()
{
    TimelineModel *tl = m_state->existingTimeline(m_roomId);
    if (!tl || !tl->landingPending() || m_actions->loadingOlder())
        return;
    // Bounded: far more unread than anyone reads opens at the oldest of these rows; and a
    // page that added nothing (only rows already held) ends it too.
    if (!tl->unreadLineLoaded() && tl->rowCount() < LandingMaxRows
        && tl->rowCount() != m_landingRows && m_connectionState->isLive()) {
        m_landingRows = tl->rowCount();
        loadOlder();
    }
    if (!m_actions->loadingOlder())
        tl->setLandingPending(false);
}

void CurrentRoom::markRead(qint64 seq)
{
    m_reads->mark(m_roomId, seq);
}

void CurrentRoom::loadOlder()
{
    m_actions->loadOlder();
}

void CurrentRoom::sendMessage(const QString &text, qint64 replyTo)
{
    if (m_sender->send(m_roomId, text, replyTo))
        m_typing->messageSent();
}

void CurrentRoom::composerTextChanged(const QString &text)
{
    if (!m_drafts->setText(m_roomId, text))
        return; // the room's draft put back on a room switch: nobody is typing
    m_typing->composerTextChanged(text);
}

TimelineModel *CurrentRoom::timeline() const
{
    TimelineModel *tl = m_state->existingTimeline(m_roomId);
    return tl ? tl : m_noRoom;
}

QString CurrentRoom::name() const
{
    const auto s = m_rooms->room(m_roomId);
    return s ? s->name : QString();
}

QString CurrentRoom::topic() const
{
    const auto s = m_rooms->room(m_roomId);
    return s ? s->topic : QString();
}

bool CurrentRoom::direct() const
{
    const auto s = m_rooms->room(m_roomId);
    return s && s->direct;
}

bool CurrentRoom::group() const
{
    const auto s = m_rooms->room(m_roomId);
    return s && s->group;
}

QString CurrentRoom::typingText() const
{
    return m_typing->text();
}

QString CurrentRoom::draft() const
{
    return m_drafts->text(m_roomId);
}

bool CurrentRoom::loadingOlder() const
{
    return m_actions->loadingOlder();
}

} // namespace confab::client
