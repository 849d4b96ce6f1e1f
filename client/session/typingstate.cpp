// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/typingstate.h"

#include "net/connection.h"
#include "session/connectionstate.h"
#include "session/profiles.h"

#include <QStringList>

namespace confab::client {

namespace {
constexpr qint64 ExpiryGraceMs = 2000; // §6.5: hide after typingTtlMs + 2 s without news
}

TypingState::TypingState(Connection *connection, ConnectionState *connectionState, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_connectionState(connectionState)
{
    connect(m_connectionState, &ConnectionState::phaseChanged, this,
        [this](ConnectionState::Phase phase) {
            if (phase == ConnectionState::Offline)
                clear();
        });
    m_clock.start();
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, &TypingState::expire);
}

void TypingState::setCurrentRoom(qint64 room)
{
    if (room == m_room)
        return;
    if (m_typing)
        sendTyping(false);
    m_room = room;
    update();
}

void TypingState::composerTextChanged(const QString &text)
{
    if (m_room == 0 || !m_connectionState->isLive())
        return;
    if (text.trimmed().isEmpty()) {
        if (m_typing)
            sendTyping(false);
        return;
    }
    if (!m_typing || m_sinceSent.elapsed() >= m_ttlMs / 2)
        sendTyping(true);
}

void TypingState::messageSent()
{
    m_typing = false;
}

void TypingState::sendTyping(bool typing)
{
    m_typing = typing;
    m_sinceSent.start();
    if (m_connection->state() == Connection::Ready)
        m_connection->send(protocol::requests::typing(m_room, typing));
}

void TypingState::handlePush(const protocol::TypingChange &change)
{
    if (change.typing)
        m_others[change.room].insert(change.user, m_clock.elapsed() + m_ttlMs + ExpiryGraceMs);
    else if (m_others.contains(change.room))
        m_others[change.room].remove(change.user);
    expire();
}

void TypingState::clear()
{
    m_others.clear();
    m_typing = false;
    update();
}

void TypingState::expire()
{
    const qint64 now = m_clock.elapsed();
    qint64 next = -1;
    for (auto room = m_others.begin(); room != m_others.end();) {
        for (auto it = room->begin(); it != room->end();) {
            if (it.value() <= now) {
                it = room->erase(it);
            } else {
                next = next < 0 ? it.value() : std::min(next, it.value());
                ++it;
            }
        }
        room = room->isEmpty() ? m_others.erase(room) : std::next(room);
    }
    if (next >= 0)
        m_expiry.start(int(next - now) + 1);
    update();
}

void TypingState::setProfiles(Profiles *profiles)
{
    m_profiles = profiles;
    connect(profiles, &Profiles::changed, this, &TypingState::update);
}

void TypingState::update()
{
    QStringList users = m_others.value(m_room).keys();
    if (m_profiles) {
        for (QString &user : users)
            user = m_profiles->displayName(user);
    }
    users.sort(Qt::CaseInsensitive);
    QString text;
    if (users.size() == 1)
        text = tr("%1 is typing…").arg(users[0]);
    else if (users.size() == 2)
        text = tr("%1 and %2 are typing…").arg(users[0], users[1]);
    else if (users.size() > 2)
        text = tr("Several people are typing…");
    if (text != m_text) {
        m_text = text;
        Q_EMIT textChanged();
    }
}

} // namespace confab::client
