// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/messagechanges.h"

#include <algorithm>

using confab::protocol::EventKind;
using confab::protocol::Reaction;
using confab::protocol::RoomEvent;

namespace confab::client {

namespace {

bool sameUser(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

void addReaction(QList<Reaction> &reactions, const RoomEvent &change, const QString &ownUser)
{
    auto it = std::find_if(
        reactions.begin(), reactions.end(), [&](const Reaction &r) { return r.key == change.key; });
    if (it == reactions.end()) {
        reactions.append(Reaction {change.key, 1, {change.sender}});
        return;
    }
    ++it->count;
    const bool listed = std::any_of(it->users.cbegin(), it->users.cend(),
        [&](const QString &u) { return sameUser(u, change.sender); });
    if (listed)
        return;
    if (sameUser(change.sender, ownUser))
        it->users.prepend(change.sender);
    else
        it->users.append(change.sender);
}

void removeReaction(QList<Reaction> &reactions, const RoomEvent &change)
{
    auto it = std::find_if(
        reactions.begin(), reactions.end(), [&](const Reaction &r) { return r.key == change.key; });
    if (it == reactions.end())
        return;
    it->users.removeIf([&](const QString &u) { return sameUser(u, change.sender); });
    if (--it->count <= 0)
        reactions.erase(it);
}

} // namespace

bool applyChange(
    protocol::MessageState &state, QString &text, const RoomEvent &change, const QString &ownUser)
{
    if (change.seq <= state.changedSeq)
        return false;
    state.changedSeq = change.seq;
    // A tombstone stays one: nothing applied after its redaction brings text or reactions
    // back (the server refuses those changes; this guards against a reordered source).
    if (state.redacted)
        return true;
    switch (change.kind) {
    case EventKind::Edit:
        text = change.text;
        state.editedAt = change.timestamp;
        break;
    case EventKind::Redact:
        text.clear();
        state.redacted = true;
        state.editedAt = 0;
        state.reactions.clear();
        break;
    case EventKind::React:
        addReaction(state.reactions, change, ownUser);
        break;
    case EventKind::Unreact:
        removeReaction(state.reactions, change);
        break;
    case EventKind::Create:
    case EventKind::Message:
    case EventKind::Join:
    case EventKind::Leave:
    case EventKind::Topic:
    case EventKind::Invite:
    case EventKind::Kick:
    case EventKind::Ban:
    case EventKind::Unban:
    case EventKind::Mute:
    case EventKind::Unmute:
    case EventKind::Role:
    case EventKind::Settings:
    case EventKind::Add:
        break;
    }
    return true;
}

void ChangeBacklog::add(const RoomEvent &change)
{
    m_bySeq.insert_or_assign(change.seq, change);
    // The oldest go first: a newer change is likelier to concern what the user will load.
    while (int(m_bySeq.size()) > MaxChanges)
        m_bySeq.erase(m_bySeq.begin());
}

QList<RoomEvent> ChangeBacklog::takeLoaded(const std::function<bool(qint64)> &held)
{
    QList<RoomEvent> out;
    for (auto it = m_bySeq.begin(); it != m_bySeq.end();) {
        if (held(it->second.target)) {
            out.append(std::move(it->second));
            it = m_bySeq.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

} // namespace confab::client
