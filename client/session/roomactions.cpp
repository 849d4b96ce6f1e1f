// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/roomactions.h"

#include "models/directorymodel.h"
#include "models/memberlistmodel.h"
#include "models/timelinemodel.h"
#include "net/connection.h"
#include "protocol/accountrequests.h"
#include "protocol/results.h"
#include "protocol/selfservice.h"
#include "session/connectionstate.h"
#include "session/errortext.h"
#include "session/roomstate.h"
#include "session/session.h"
#include "session/syncengine.h"

#include <QJSEngine>

using namespace Qt::StringLiterals;
namespace req = confab::protocol::requests;
using confab::protocol::RoomEvent;

namespace confab::client {

RoomActions::RoomActions(Connection *connection, ConnectionState *connectionState, RoomState *state,
    SyncEngine *sync, MemberListModel *members, DirectoryModel *directory, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_connectionState(connectionState)
    , m_state(state)
    , m_sync(sync)
    , m_members(members)
    , m_directory(directory)
{
    m_directoryPoll.setInterval(DirectoryPollMs);
    connect(&m_directoryPoll, &QTimer::timeout, this, &RoomActions::refreshDirectory);
    connect(m_state, &RoomState::memberAdded, this, [this](qint64 room) {
        if (room == m_currentRoom)
            requestMembers();
    });
    connect(m_connection, &Connection::ready, this, [this] {
        const bool groups = m_connection->hello().has(protocol::features::Groups);
        if (groups == m_groupsAvailable)
            return;
        m_groupsAvailable = groups;
        Q_EMIT groupsAvailableChanged();
    });
    // Members who joined, left or changed presence while offline: the list is asked again.
    connect(m_connectionState, &ConnectionState::phaseChanged, this, [this] {
        if (m_connectionState->isLive())
            requestMembers();
    });
}

RoomActions *RoomActions::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->roomActions(), QJSEngine::CppOwnership);
    return session->roomActions();
}

void RoomActions::setCurrentRoom(qint64 room)
{
    m_currentRoom = room;
    setLoadingOlder(false);
}

void RoomActions::reset()
{
    ++m_generation;
    m_currentRoom = 0;
    setLoadingOlder(false);
    // The next server may not offer groups; its hello sets this again.
    if (m_groupsAvailable) {
        m_groupsAvailable = false;
        Q_EMIT groupsAvailableChanged();
    }
}

void RoomActions::setLoadingOlder(bool loading)
{
    if (m_loadingOlder == loading)
        return;
    m_loadingOlder = loading;
    Q_EMIT loadingOlderChanged();
}

void RoomActions::loadOlder()
{
    TimelineModel *tl = m_state->timeline(m_currentRoom);
    if (!tl || m_loadingOlder || !tl->hasMoreBefore() || !m_connectionState->isLive())
        return;
    const qint64 room = m_currentRoom;
    const qint64 cursor = m_sync->cursor(room);
    const qint64 before = tl->lowestSeq() > 0 ? tl->lowestSeq()
        : cursor > 0                          ? cursor + 1
                                              : protocol::MaxSafeInteger;
    setLoadingOlder(true);
    const quint64 generation = m_generation;
    m_connection->send(req::historyBefore(room, before, std::min(50, m_historyPageMax)), this,
        [this, room, generation](const Reply &reply) {
            if (generation != m_generation)
                return;
            if (auto page = protocol::HistoryPage::fromJson(reply.data); reply.ok() && page) {
                // Far behind the cursor, an event of an unknown kind has nothing to show.
                page->events.removeIf([](const RoomEvent &e) { return e.isPlaceholder(); });
                m_state->applyOlder(room, page->events, page->hasMore);
            }
            // After the rows are in: whoever waits for the page sees it applied.
            if (room == m_currentRoom)
                setLoadingOlder(false);
        });
}

void RoomActions::requestMembers()
{
    const qint64 room = m_currentRoom;
    if (room == 0 || !m_connectionState->isLive())
        return;
    m_connection->send(req::members(room), this, [this, room](const Reply &reply) {
        if (!reply.ok() || room != m_currentRoom)
            return;
        const auto list = protocol::MemberList::fromJson(reply.data);
        if (!list)
            return;
        QList<MemberListModel::Member> members;
        for (const auto &m : list->members) {
            members.append({m.user, m.online, m.role, m.mutedUntil});
            members.last().profile = m.profile;
        }
        m_members->setMembers(members);
    });
}

void RoomActions::roomRequest(const protocol::OutgoingRequest &request, bool openResult,
    std::function<void(const Reply &)> refused)
{
    const quint64 generation = m_generation;
    m_connection->send(request, this,
        [this, generation, openResult, refused = std::move(refused)](const Reply &reply) {
            if (generation != m_generation)
                return;
            if (!reply.ok() && refused) {
                refused(reply);
                return;
            }
            if (reply.outcome == Reply::Disconnected) {
                Q_EMIT actionFailed(tr("You are offline. Try again when the connection is back."));
                return;
            }
            if (!reply.ok()) {
                Q_EMIT actionFailed(actionErrorText(reply.error));
                return;
            }
            const auto result = protocol::RoomResult::fromJson(reply.data);
            if (!result)
                return;
            m_state->applySummary(result->room);
            if (openResult)
                Q_EMIT roomOpened(result->room.id);
        });
}

void RoomActions::setDirectoryOpen(bool open)
{
    // Asked on each open: pushes only arrive while signed in, the dialog may open after.
    if (open)
        refreshDirectory();
    if (open && !m_connection->hello().has(protocol::features::DirectoryPush))
        m_directoryPoll.start();
    else
        m_directoryPoll.stop();
}

void RoomActions::refreshDirectory()
{
    m_connection->send(req::listRooms(), this, [this](const Reply &reply) {
        if (const auto listing = protocol::Directory::fromJson(reply.data); reply.ok() && listing)
            m_directory->setEntries(listing->rooms);
    });
}

void RoomActions::createRoom(const QString &name, const QString &topic, bool isPrivate)
{
    if (name.trimmed().isEmpty()) {
        Q_EMIT actionFailed(tr("Enter a name for the room."));
        return;
    }
    roomRequest(req::createRoom(name.trimmed(), topic, isPrivate), true);
}

void RoomActions::joinRoom(qint64 roomId)
{
    roomRequest(req::join(roomId), true);
}

void RoomActions::joinInvited(qint64 roomId, std::function<void(const Reply &)> refused)
{
    roomRequest(req::join(roomId), true, std::move(refused));
}

void RoomActions::leaveRoom(qint64 roomId)
{
    // The own leave event removes the room, on every device alike.
    roomRequest(req::leave(roomId), false);
}

void RoomActions::openDirect(const QString &user)
{
    roomRequest(req::openDirect(user.trimmed()), true);
}

void RoomActions::openGroup(const QStringList &users, const QString &name)
{
    QStringList others;
    for (const QString &user : users) {
        const QString u = user.trimmed();
        if (!u.isEmpty() && !others.contains(u, Qt::CaseInsensitive))
            others.append(u);
    }
    if (others.isEmpty() || others.size() >= protocol::MaxGroupMembers) {
        failGroup(others.isEmpty()
                ? tr("Choose at least one other person.")
                : tr("A group conversation has at most %1 people.").arg(protocol::MaxGroupMembers));
        return;
    }
    const quint64 generation = m_generation;
    m_connection->send(
        req::openGroup(others, name.trimmed()), this, [this, generation](const Reply &reply) {
            if (generation != m_generation)
                return;
            if (!reply.ok()) {
                failGroup(failureText(reply));
                return;
            }
            if (const auto result = protocol::RoomResult::fromJson(reply.data)) {
                m_state->applySummary(result->room);
                Q_EMIT groupOpened(result->room.id);
                Q_EMIT roomOpened(result->room.id);
            }
        });
}

void RoomActions::addToGroup(qint64 roomId, const QString &user)
{
    const QString u = user.trimmed();
    if (u.isEmpty())
        return;
    const quint64 generation = m_generation;
    m_connection->send(
        req::addToGroup(roomId, u), this, [this, generation, roomId, u](const Reply &reply) {
            if (generation != m_generation)
                return;
            if (reply.ok())
                Q_EMIT addedToGroup(roomId, u);
            else // several adds may be out at once: say whose failed
                failGroup(tr("Could not add %1. %2").arg(u, failureText(reply)));
        });
}

void RoomActions::setGroupFormShown(bool shown)
{
    if (m_groupFormShown == shown)
        return;
    m_groupFormShown = shown;
    Q_EMIT groupFormShownChanged();
}

void RoomActions::failGroup(const QString &message)
{
    // A failure that arrives after the dialog was closed would otherwise be lost.
    if (m_groupFormShown)
        Q_EMIT groupFailed(message);
    else
        Q_EMIT actionFailed(message);
}

QString RoomActions::failureText(const Reply &reply)
{
    if (reply.outcome == Reply::Disconnected)
        return tr("You are offline. Try again when the connection is back.");
    return groupErrorText(reply.error, reply.details.value(u"field"_s).toString());
}

void RoomActions::setTopic(const QString &topic)
{
    if (m_currentRoom != 0)
        roomRequest(req::setTopic(m_currentRoom, topic), false);
}

} // namespace confab::client
