// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/replybudget.h"

namespace confab::server {

namespace {

// Bytes of \a s as JSON-escaped UTF-8, without encoding it.
qint64 jsonBytes(QStringView s)
{
    qint64 n = 2; // the quotes
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20)
            n += 6; // \u00XX; control characters are stripped on the way in, but be safe
        else if (u < 0x80)
            n += (u == u'"' || u == u'\\') ? 2 : 1;
        else if (u < 0x800 || c.isSurrogate())
            n += 2; // a surrogate pair: 2 + 2 = the 4 bytes of its UTF-8
        else
            n += 3;
    }
    return n;
}

// Field names, numbers and punctuation of one encoded event, generously.
constexpr qint64 EventOverhead = 160;
constexpr qint64 StateOverhead = 80;
constexpr qint64 ReactionOverhead = 40;
constexpr qint64 TeamOverhead = 60;

} // namespace

qint64 ReplyBudget::encodedSize(const protocol::RoomEvent &e)
{
    qint64 n = EventOverhead + jsonBytes(e.sender) + jsonBytes(e.txn) + jsonBytes(e.text)
        + jsonBytes(e.topic);
    for (const QString &m : e.mentions)
        n += jsonBytes(m) + 1;
    n += jsonBytes(e.key);
    // Team events (§17.7): the user and reason as text, until, role, private and invitesBy
    // as the short values they are.
    if (protocol::namesUser(e.kind) || e.kind == protocol::EventKind::Settings)
        n += TeamOverhead + jsonBytes(e.user) + jsonBytes(e.reason) + jsonBytes(e.role)
            + jsonBytes(e.invitesBy);
    // A message's bundled state: editedAt, redacted, changedSeq, then up to 20 keys with up
    // to 20 names each, which can outweigh a short text many times over.
    if (e.state.changedSeq > 0)
        n += StateOverhead;
    for (const protocol::Reaction &r : e.state.reactions) {
        n += ReactionOverhead + jsonBytes(r.key);
        for (const QString &u : r.users)
            n += jsonBytes(u) + 1;
    }
    return n;
}

bool ReplyBudget::trim(QList<protocol::RoomEvent> &events, bool keepNewest)
{
    qsizetype kept = 0;
    for (; kept < events.size(); ++kept) {
        const auto &e = keepNewest ? events.at(events.size() - 1 - kept) : events.at(kept);
        const qint64 size = encodedSize(e);
        if (size > m_left && kept > 0)
            break;
        m_left -= size;
    }
    if (kept == events.size())
        return false;
    if (keepNewest)
        events.remove(0, events.size() - kept);
    else
        events.resize(kept);
    return true;
}

} // namespace confab::server
