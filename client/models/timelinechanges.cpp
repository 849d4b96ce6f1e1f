// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineModel, part two: what later events (edits, redactions, reactions, §7.4) do to a
// message, and what the message actions ask about one. Rows and their order are in
// timelinemodel.cpp, the derived roles in timelinederived.cpp.
#include "models/timelinemodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::client {

namespace {

// What a change event (§7.4) can alter in its message's row.
const QList<int> &changedRoles()
{
    static const QList<int> roles {TimelineModel::TextRole, TimelineModel::RichTextRole,
        TimelineModel::EditedRole, TimelineModel::EditedAtRole, TimelineModel::RedactedRole,
        TimelineModel::ReactionsRole, TimelineModel::MentionsMeRole,
        TimelineModel::AccessibleTextRole, TimelineModel::AttachmentsRole};
    return roles;
}

const QList<int> &quoteRoles()
{
    static const QList<int> roles {TimelineModel::ReplyLoadedRole, TimelineModel::ReplySenderRole,
        TimelineModel::ReplyTextRole};
    return roles;
}

} // namespace

QByteArray TimelineModel::compactUtf8(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    utf8.squeeze();
    return utf8;
}

void TimelineModel::applyChanges(const QList<RoomEvent> &changes)
{
    for (const RoomEvent &change : changes) {
        const int row = rowForSeq(change.target);
        if (row < 0) {
            m_backlog.add(change);
            continue;
        }
        if (m_rows[size_t(row)].kind == EventKind::Message)
            applyChangeAt(row, change);
    }
}

bool TimelineModel::applyChangeAt(int row, const RoomEvent &change)
{
    Row &r = m_rows[size_t(row)];
    const bool textChanges = change.kind == EventKind::Edit || change.kind == EventKind::Redact;
    QString text = textChanges ? QString::fromUtf8(r.text) : QString();
    QList<QPair<int, Derived>> watched;
    if (m_firstUnread >= 0)
        watched.append({m_firstUnread, derived(m_firstUnread)});
    if (!applyChange(r.state, text, change, m_ownUser))
        return false;
    if (textChanges)
        r.text = compactUtf8(text);
    if (r.state.redacted) {
        r.mentionsMe = false;
        r.attachments.clear(); // §7.1: a deleted message has none
    }
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, changedRoles());
    if (textChanges)
        announceReplies(r.seq, r.seq);
    if (change.kind == EventKind::Redact)
        refreshDerived(watched);
    return true;
}

void TimelineModel::adoptState(int row, const RoomEvent &event)
{
    // State read from the server (or the cache) includes every change up to its
    // changedSeq: it replaces what was applied locally, which can only be older.
    QList<QPair<int, Derived>> watched;
    if (m_firstUnread >= 0)
        watched.append({m_firstUnread, derived(m_firstUnread)});
    Row &r = m_rows[size_t(row)];
    r.state = event.state;
    r.text = compactUtf8(event.text);
    r.attachments = r.state.redacted ? QList<protocol::FileInfo>() : event.attachments;
    if (r.state.redacted)
        r.mentionsMe = false;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, changedRoles());
    announceReplies(r.seq, r.seq);
    refreshDerived(watched);
}

void TimelineModel::announceReplies(qint64 fromSeq, qint64 toSeq)
{
    if (!m_hasReplies)
        return;
    for (int i = 0; i < m_storedCount; ++i) {
        const qint64 quoted = m_rows[size_t(i)].replyTo;
        if (quoted >= fromSeq && quoted <= toSeq)
            Q_EMIT dataChanged(index(i), index(i), quoteRoles());
    }
}

QString TimelineModel::quoteText(int quotedRow) const
{
    const Row &q = m_rows[size_t(quotedRow)];
    if (q.state.redacted)
        return tr("Message deleted");
    const QString text = QString::fromUtf8(q.text).trimmed();
    const qsizetype newline = text.indexOf(u'\n');
    return newline < 0 ? text : text.left(newline).trimmed() + u"…"_s;
}

QVariant TimelineModel::reactionsData(const Row &r) const
{
    QVariantList out;
    out.reserve(r.state.reactions.size());
    for (const protocol::Reaction &reaction : r.state.reactions) {
        const bool mine = std::any_of(reaction.users.cbegin(), reaction.users.cend(),
            [this](const QString &u) { return isOwn(u); });
        out.append(QVariantMap {{u"key"_s, reaction.key}, {u"count"_s, reaction.count},
            {u"users"_s, reaction.users}, {u"mine"_s, mine}});
    }
    return out;
}

qint64 TimelineModel::lastEditableSeq() const
{
    for (int i = m_storedCount - 1; i >= 0; --i) {
        const Row &r = m_rows[size_t(i)];
        if (r.own && r.kind == EventKind::Message && !r.state.redacted)
            return r.seq;
    }
    return 0;
}

QString TimelineModel::textOf(qint64 seq) const
{
    const int row = rowForSeq(seq);
    return row >= 0 ? QString::fromUtf8(m_rows[size_t(row)].text) : QString();
}

QString TimelineModel::senderOf(qint64 seq) const
{
    const int row = rowForSeq(seq);
    return row >= 0 ? m_rows[size_t(row)].sender : QString();
}

bool TimelineModel::reacted(qint64 seq, const QString &key) const
{
    const int row = rowForSeq(seq);
    if (row < 0)
        return false;
    for (const protocol::Reaction &reaction : m_rows[size_t(row)].state.reactions) {
        if (reaction.key == key)
            return std::any_of(reaction.users.cbegin(), reaction.users.cend(),
                [this](const QString &u) { return isOwn(u); });
    }
    return false;
}

bool TimelineModel::isLiveMessage(qint64 seq) const
{
    const int row = rowForSeq(seq);
    return row >= 0 && m_rows[size_t(row)].kind == EventKind::Message
        && !m_rows[size_t(row)].state.redacted;
}

} // namespace confab::client
