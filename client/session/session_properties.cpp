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

void Session::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged();
}

void Session::setRestoring(bool restoring)
{
    if (m_restoring == restoring)
        return;
    m_restoring = restoring;
    Q_EMIT statusChanged();
}

void Session::setErrorText(const QString &text)
{
    if (m_errorText == text)
        return;
    m_errorText = text;
    Q_EMIT errorTextChanged();
}

void Session::clearError()
{
    setErrorText({});
}

void Session::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void Session::setReconnectIn(int seconds)
{
    if (m_reconnectIn == seconds)
        return;
    m_reconnectIn = seconds;
    Q_EMIT reconnectInSecondsChanged();
}

void Session::setIdentity(const QString &serverUrl, const QString &username)
{
    if (m_serverUrl != serverUrl) {
        m_serverUrl = serverUrl;
        Q_EMIT serverUrlChanged();
    }
    if (!username.isEmpty() && m_username != username) {
        m_username = username;
        Q_EMIT usernameChanged();
    }
}

Session::Status Session::status() const
{
    return m_status;
}
ConnectionState::Phase Session::connectionState() const
{
    return m_connectionState->phase();
}
int Session::reconnectInSeconds() const
{
    return m_reconnectIn;
}
QString Session::serverUrl() const
{
    return m_serverUrl;
}
QString Session::username() const
{
    return m_username;
}
QString Session::registration() const
{
    return m_registration;
}
QString Session::errorText() const
{
    return m_errorText;
}
bool Session::busy() const
{
    return m_busy;
}
QString Session::keychainWarning() const
{
    return m_keychainWarning;
}
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
