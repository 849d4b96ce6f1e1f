// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/roomlog.h"
#include "protocol/request.h"
#include "storage/messagestate.h"

#include <functional>
#include <optional>

namespace confab::server {

class Fanout;
class Peer;
class Ranks;
class RedactionPurge;
class RoomDirectory;
class RoomViews;
class StatementCache;

/*!
 * \brief Changes to sent messages: edit, redact, react and unreact (protocol §5.19–5.22).
 *
 * Each is an event appended through RoomLog::append whose check finds the target message
 * inside the write transaction (what the handler saw may have changed), and whose
 * `alongside` updates the message's state in the same transaction (storage/messagestate).
 * A redaction also lowers the counts of everyone it counted for, and schedules the purge
 * of its text from the files. Moderators may redact anyone's message; a muted member may
 * only redact (§17.4).
 */
class MessageChanges
{
public:
    MessageChanges(RoomLog &log, const RoomDirectory &rooms, const Ranks &ranks,
        const Fanout &fanout, RoomViews &views, StatementCache &reader, RedactionPurge &purge);

    void handleEdit(Peer *peer, const protocol::Request &r);
    void handleRedact(Peer *peer, const protocol::Request &r);
    void handleReact(Peer *peer, const protocol::Request &r);
    void handleUnreact(Peer *peer, const protocol::Request &r);

private:
    //! What react or unreact makes of the author's reaction state for the key.
    using ReactionRule = std::function<std::optional<RoomLog::Verdict>(
        const protocol::RoomEvent &, const messagestate::ReactionState &)>;
    /*! \brief react and unreact: the same target checks, then \a rule. */
    void appendReaction(
        Peer *peer, const protocol::Request &r, protocol::EventKind kind, ReactionRule rule);
    /*! \brief `unread` pushes to the members whose counts the redacted message was part of. */
    void pushLoweredCounts(qint64 roomId, qint64 seq, qint64 senderId);

    RoomLog &m_log;
    const RoomDirectory &m_rooms;
    const Ranks &m_ranks;
    const Fanout &m_fanout;
    RoomViews &m_views;
    StatementCache &m_reader;
    RedactionPurge &m_purge;
};

} // namespace confab::server
