// SPDX-License-Identifier: GPL-3.0-or-later
// Session's QML properties: their setters (which emit the change signals) and getters.
#include "models/memberlistmodel.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "session/drafts.h"
#include "session/roomactions.h"
#include "session/roomstate.h"
#include "session/session.h"
#include "session/typingstate.h"

namespace confab::client {

RoomListModel *Session::rooms() const
{
    return m_rooms;
}
DirectoryModel *Session::directory() const
{
    return m_directory;
}
MemberListModel *Session::members() const
{
    return m_members;
}
qint64 Session::currentRoomId() const
{
    return m_currentRoom;
}
QString Session::typingText() const
{
    return m_typing->text();
}

QString Session::draft() const
{
    return m_drafts->text(m_currentRoom);
}

int Session::maxTextBytes() const
{
    return m_maxTextBytes;
}
bool Session::loadingOlder() const
{
    return m_actions->loadingOlder();
}

TimelineModel *Session::timeline() const
{
    TimelineModel *tl = m_state->existingTimeline(m_currentRoom);
    return tl ? tl : m_noRoom;
}

QString Session::currentRoomName() const
{
    const auto s = m_rooms->room(m_currentRoom);
    return s ? s->name : QString();
}

QString Session::currentRoomTopic() const
{
    const auto s = m_rooms->room(m_currentRoom);
    return s ? s->topic : QString();
}

bool Session::currentRoomDirect() const
{
    const auto s = m_rooms->room(m_currentRoom);
    return s && s->direct;
}

} // namespace confab::client
