// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"

#include <QString>

namespace confab::server {

class WriteContext;

/*!
 * \brief A message's current state in its own row (text, editedAt, redacted, changedSeq)
 * and in `reactions`, kept in the transaction that appends the edit, redact, react or
 * unreact event (protocol §7.4). Only the writer thread calls these.
 */
namespace messagestate {

/*! \brief The message a change names, as the transaction sees it. */
struct Target
{
    bool found = false; //!< a `message` event at that seq of that room
    qint64 id = 0;
    qint64 senderId = 0;
    bool redacted = false;
    QString text; //!< the current text, which the search indexes hold
};

/*! \brief The message at \a seq of \a room; found is false for any other kind of event. */
bool findMessage(WriteContext &ctx, qint64 room, qint64 seq, Target *target);

/*! \brief The seq of the redact event of the message at \a seq; 0 when none. */
bool redactionOf(WriteContext &ctx, qint64 room, qint64 seq, qint64 *redactSeq);

/*! \brief What \a userId's reaction \a key on the message means for a new react. */
struct ReactionState
{
    qint64 reactSeq = 0; //!< the react event that added \a userId's \a key; 0 when none
    bool keyPresent = false; //!< someone has reacted with \a key
    int distinctKeys = 0;
};
bool reactionState(WriteContext &ctx, qint64 room, qint64 seq, const QString &key, qint64 userId,
    ReactionState *state);

/*! \brief The message's text becomes \a edit's, edited at its ts; both indexes follow. */
bool applyEdit(WriteContext &ctx, const Target &target, const protocol::RoomEvent &edit);
/*!
 * \brief Makes the message a tombstone: its text leaves its row, every earlier edit event
 * of it, both indexes; its mentions and reactions are deleted.
 */
bool applyRedact(WriteContext &ctx, const Target &target, const protocol::RoomEvent &redact);
bool addReaction(
    WriteContext &ctx, const Target &target, const protocol::RoomEvent &react, qint64 userId);
bool removeReaction(
    WriteContext &ctx, const Target &target, const protocol::RoomEvent &unreact, qint64 userId);

} // namespace messagestate
} // namespace confab::server
