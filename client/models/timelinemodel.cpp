// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/timelinemodel.h"

#include "models/messageformat.h"
#include "protocol/errorcode.h"
#include "session/profiles.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <QTimer>
#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::client {

namespace {

// The locale's short time without seconds: some locales (C/POSIX, the default of many
// servers and containers) put them in the short format, and a chat time does not need them.
// The format is stripped once per locale, not for every row drawn.
QString shortTime(qint64 ms)
{
    static const QRegularExpression seconds(u"[:.]?ss?(?:[.,]z{1,3})?"_s);
    thread_local QString localeFormat;
    thread_local QString format;
    const QLocale locale;
    const QString current = locale.timeFormat(QLocale::ShortFormat);
    if (current != localeFormat) {
        localeFormat = current;
        // Quoted literal text (rare) could hold an "s": such a format is kept as it is.
        format = current.contains(u'\'') ? current : QString(current).remove(seconds).trimmed();
    }
    return locale.toString(QDateTime::fromMSecsSinceEpoch(ms).time(), format);
}

// Punctuation that ends a sentence rather than a link: "see https://x.org." links x.org.
qsizetype trimLinkEnd(QStringView url)
{
    qsizetype end = url.size();
    while (end > 0) {
        const QChar c = url[end - 1];
        // Sentence punctuation, or a ')' that closes no '(' of the link.
        if (QStringView(u".,;:!?'\"").contains(c)
            || (c == u')' && url.left(end).count(u'(') < url.left(end).count(u')'))) {
            --end;
        } else {
            break;
        }
    }
    return end;
}

QString failureText(const QString &reason)
{
    using protocol::ErrorCode;
    switch (protocol::errorCodeFromName(reason).value_or(ErrorCode::Internal)) {
    case ErrorCode::NotFound:
        return TimelineModel::tr("The room no longer exists.");
    case ErrorCode::NotMember:
        return TimelineModel::tr("You are not a member of this room.");
    case ErrorCode::TooLarge:
        return TimelineModel::tr("The message is too long.");
    case ErrorCode::BadRequest:
        return TimelineModel::tr("The server refused the message.");
    default:
        return reason;
    }
}

} // namespace

TimelineModel::TimelineModel(qint64 roomId, const QString &ownUser, QObject *parent)
    : QAbstractListModel(parent)
    , m_roomId(roomId)
    , m_ownUser(ownUser)
    , m_ownLower(ownUser.toLower())
{
    scheduleMidnight();
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    return {
        {EventIdRole, "eventId"},
        {SeqRole, "seq"},
        {KindRole, "kind"},
        {SenderRole, "sender"},
        {TextRole, "text"},
        {RichTextRole, "richText"},
        {TimestampRole, "timestamp"},
        {TimeTextRole, "timeText"},
        {DeliveryRole, "delivery"},
        {IsOwnRole, "isOwn"},
        {ShowSenderRole, "showSender"},
        {DaySeparatorRole, "daySeparator"},
        {IsFirstUnreadRole, "isFirstUnread"},
        {MentionsMeRole, "mentionsMe"},
        {TxnRole, "txn"},
        {ErrorRole, "error"},
        {AccessibleTextRole, "accessibleText"},
        {ReplyToRole, "replyTo"},
        {ReplyLoadedRole, "replyLoaded"},
        {ReplySenderRole, "replySender"},
        {ReplyTextRole, "replyText"},
        {EditedRole, "edited"},
        {EditedAtRole, "editedAt"},
        {RedactedRole, "redacted"},
        {ReactionsRole, "reactions"},
        {AttachmentsRole, "attachments"},
        {UploadProgressRole, "uploadProgress"},
    };
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Row &r = m_rows[size_t(row)];
    switch (role) {
    case EventIdRole:
        return r.id;
    case SeqRole:
        return r.seq;
    case KindRole:
        return QString(protocol::eventKindName(r.kind));
    case SenderRole:
        return r.sender;
    case TextRole:
        return r.kind == EventKind::Message || r.kind == EventKind::Topic
            ? QString::fromUtf8(r.text)
            : systemText(r);
    case RichTextRole:
        return r.kind == EventKind::Message ? richText(r) : systemText(r).toHtmlEscaped();
    case TimestampRole:
        return QDateTime::fromMSecsSinceEpoch(r.timestamp);
    case TimeTextRole:
        return shortTime(r.timestamp);
    case DeliveryRole:
        return int(r.delivery);
    case IsOwnRole:
        return r.own;
    case ShowSenderRole:
        return !groupsWithPrevious(row);
    case DaySeparatorRole:
        return derived(row).daySeparator;
    case IsFirstUnreadRole:
        return row == m_firstUnread;
    case MentionsMeRole:
        return r.mentionsMe;
    case TxnRole:
        return r.txn;
    case ErrorRole:
        return r.delivery == Failed ? m_errors.value(r.txn) : QString();
    case AccessibleTextRole:
        return accessibleText(row);
    case ReplyToRole:
        return r.replyTo;
    case ReplyLoadedRole:
        return r.replyTo > 0 && rowForSeq(r.replyTo) >= 0;
    case ReplySenderRole: {
        const int quoted = r.replyTo > 0 ? rowForSeq(r.replyTo) : -1;
        return quoted >= 0 ? m_rows[size_t(quoted)].sender : QString();
    }
    case ReplyTextRole: {
        const int quoted = r.replyTo > 0 ? rowForSeq(r.replyTo) : -1;
        return quoted >= 0 ? quoteText(quoted) : QString();
    }
    case EditedRole:
        return r.state.editedAt > 0 && !r.state.redacted;
    case EditedAtRole:
        return r.state.editedAt > 0 ? QDateTime::fromMSecsSinceEpoch(r.state.editedAt)
                                    : QDateTime();
    case RedactedRole:
        return r.state.redacted;
    case ReactionsRole:
        return reactionsData(r);
    case AttachmentsRole:
        return attachmentsData(r);
    case UploadProgressRole:
        return r.seq == 0 ? m_uploadProgress.value(r.txn, -1.0) : -1.0;
    default:
        return {};
    }
}

void TimelineModel::appendEvents(const QList<protocol::RoomEvent> &events)
{
    insertEvents(events);
}

void TimelineModel::prependEvents(const QList<protocol::RoomEvent> &events, bool hasMore)
{
    // Same path as appending: an older page lands at position 0 as one insertion.
    insertEvents(events);
    setHasMoreBefore(hasMore);
}

void TimelineModel::setHasMoreBefore(bool hasMore)
{
    if (m_hasMoreBefore == hasMore)
        return;
    m_hasMoreBefore = hasMore;
    Q_EMIT hasMoreBeforeChanged();
}

TimelineModel::Row TimelineModel::rowFromEvent(const RoomEvent &event)
{
    Row r;
    r.id = event.id;
    r.seq = event.seq;
    r.timestamp = event.timestamp;
    auto it = m_senders.constFind(event.sender);
    if (it == m_senders.constEnd())
        it = m_senders.insert(event.sender);
    r.sender = *it;
    r.kind = event.kind;
    r.own = isOwn(event.sender);
    if (event.kind == EventKind::Message) {
        // Only an own message's txn is ever looked up (unsent rows, retry, errors); others'
        // would cost a string per row for nothing.
        if (r.own)
            r.txn = event.txn;
        r.text = compactUtf8(event.text);
        r.replyTo = event.replyTo;
        r.state = event.state;
        r.mentionsMe = !r.own && !r.state.redacted && event.mentions.contains(m_ownLower);
        r.attachments = event.attachments;
    } else if (event.kind == EventKind::Topic) {
        r.text = compactUtf8(event.topic);
    } else if (event.kind == EventKind::Create) {
        r.text = compactUtf8(event.text);
    } else if (protocol::namesUser(event.kind) || event.kind == EventKind::Settings) {
        r.text = compactUtf8(teamDetails(event));
    }
    return r;
}

bool TimelineModel::isOwn(const QString &sender) const
{
    return sender.compare(m_ownUser, Qt::CaseInsensitive) == 0;
}

int TimelineModel::storedLowerBound(qint64 seq) const
{
    const auto end = m_rows.begin() + m_storedCount;
    return int(std::lower_bound(m_rows.begin(), end, seq, [](const Row &r, qint64 s) {
        return r.seq < s;
    }) - m_rows.begin());
}

int TimelineModel::pendingRow(const QString &txn) const
{
    for (int i = m_storedCount; i < int(m_rows.size()); ++i) {
        if (m_rows[size_t(i)].txn == txn)
            return i;
    }
    return -1;
}

void TimelineModel::insertEvents(QList<RoomEvent> events)
{
    std::stable_sort(events.begin(), events.end(),
        [](const RoomEvent &a, const RoomEvent &b) { return a.seq < b.seq; });

    // Consecutive new events that fall into the same gap between held rows are inserted
    // together, so a page of 10 000 costs one beginInsertRows.
    std::vector<Row> run;
    int runPosition = -1;
    const auto flush = [&] {
        if (!run.empty())
            insertRun(runPosition, run);
        run.clear();
    };

    // Changes never become rows: they are applied to their messages once every message of
    // this batch is in place (a page can hold a message and its edit).
    QList<RoomEvent> changes;
    bool inserted = false;
    qint64 previousSeq = -1;
    for (const RoomEvent &e : std::as_const(events)) {
        if (e.seq <= 0 || e.seq == previousSeq || (e.room != 0 && e.room != m_roomId))
            continue;
        previousSeq = e.seq;
        if (protocol::changesMessage(e.kind)) {
            changes.append(e);
            continue;
        }
        const bool ownMessage = e.kind == EventKind::Message && !e.txn.isEmpty() && isOwn(e.sender);
        const int position = storedLowerBound(e.seq);
        if (position < m_storedCount && m_rows[size_t(position)].seq == e.seq) {
            if (e.kind == EventKind::Message
                && e.state.changedSeq > m_rows[size_t(position)].state.changedSeq) {
                flush();
                adoptState(storedLowerBound(e.seq), e);
            }
            // Already held. If an unsent row still shows it (outbox restored after the
            // event was cached), the message is delivered: drop the duplicate row.
            if (ownMessage) {
                const int pending = pendingRow(e.txn);
                if (pending >= 0) {
                    flush();
                    removeRowAt(pendingRow(e.txn));
                }
            }
            continue;
        }
        if (ownMessage) {
            const int pending = pendingRow(e.txn);
            if (pending >= 0) {
                flush();
                replacePending(pendingRow(e.txn), storedLowerBound(e.seq), e);
                inserted = true;
                continue;
            }
        }
        if (!run.empty() && runPosition != position)
            flush();
        runPosition = position;
        run.push_back(rowFromEvent(e));
        inserted = true;
    }
    flush();

    if (inserted && !m_backlog.isEmpty()) {
        // Held-back changes whose messages this batch loaded, in seq order with its own.
        changes += m_backlog.takeLoaded([this](qint64 target) { return rowForSeq(target) >= 0; });
        std::sort(changes.begin(), changes.end(),
            [](const RoomEvent &a, const RoomEvent &b) { return a.seq < b.seq; });
    }
    applyChanges(changes);
}

void TimelineModel::insertRun(int position, std::vector<Row> &rows)
{
    const int n = int(rows.size());
    QList<QPair<int, Derived>> watched;
    if (position < int(m_rows.size()))
        watched.append({position + n, derived(position)});
    if (m_firstUnread >= 0)
        watched.append({m_firstUnread >= position ? m_firstUnread + n : m_firstUnread,
            derived(m_firstUnread)});

    beginInsertRows({}, position, position + n - 1);
    m_rows.insert(m_rows.begin() + position, std::make_move_iterator(rows.begin()),
        std::make_move_iterator(rows.end()));
    m_storedCount += n;
    // Keep the unread line's index valid until refreshDerived() recomputes it.
    if (m_firstUnread >= position)
        m_firstUnread += n;
    endInsertRows();

    refreshDerived(watched, position, n);
    const bool quotes = std::any_of(m_rows.begin() + position, m_rows.begin() + position + n,
        [](const Row &r) { return r.replyTo > 0; });
    // Rows held before that quote one of these can show the quote now.
    if (m_hasReplies)
        announceReplies(m_rows[size_t(position)].seq, m_rows[size_t(position + n - 1)].seq);
    m_hasReplies = m_hasReplies || quotes;
    Q_EMIT countChanged();
}

void TimelineModel::replacePending(int pendingRow, int position, const RoomEvent &event)
{
    // The event is the unsent row itself: it keeps its identity (and delegate), moving
    // only when others' messages were stored before it while it was in flight.
    QList<QPair<int, Derived>> watched;
    if (pendingRow + 1 < int(m_rows.size()))
        watched.append({pendingRow + 1, derived(pendingRow + 1)});
    if (position < pendingRow && position < int(m_rows.size()))
        watched.append({position + 1, derived(position)});
    if (m_firstUnread >= 0)
        watched.append({m_firstUnread >= position && m_firstUnread < pendingRow ? m_firstUnread + 1
                                                                                : m_firstUnread,
            derived(m_firstUnread)});

    if (position < pendingRow) {
        beginMoveRows({}, pendingRow, pendingRow, {}, position);
        std::rotate(m_rows.begin() + position, m_rows.begin() + pendingRow,
            m_rows.begin() + pendingRow + 1);
        if (m_firstUnread >= position && m_firstUnread < pendingRow)
            ++m_firstUnread;
        endMoveRows();
    }
    const QString txn = m_rows[size_t(position)].txn;
    m_rows[size_t(position)] = rowFromEvent(event);
    m_errors.remove(txn);
    m_uploadingFiles.remove(txn);
    m_uploadProgress.remove(txn);
    ++m_storedCount;
    const QModelIndex changed = index(position);
    Q_EMIT dataChanged(changed, changed);
    refreshDerived(watched, position, 1);
}

void TimelineModel::removeRowAt(int row)
{
    QList<QPair<int, Derived>> watched;
    if (row + 1 < int(m_rows.size()))
        watched.append({row, derived(row + 1)});
    const bool stored = row < m_storedCount;
    if (m_firstUnread >= 0 && m_firstUnread != row)
        watched.append(
            {m_firstUnread > row ? m_firstUnread - 1 : m_firstUnread, derived(m_firstUnread)});

    beginRemoveRows({}, row, row);
    m_errors.remove(m_rows[size_t(row)].txn);
    m_uploadingFiles.remove(m_rows[size_t(row)].txn);
    m_uploadProgress.remove(m_rows[size_t(row)].txn);
    m_rows.erase(m_rows.begin() + row);
    if (stored)
        --m_storedCount;
    if (m_firstUnread > row)
        --m_firstUnread;
    else if (m_firstUnread == row)
        m_firstUnread = -1;
    endRemoveRows();

    refreshDerived(watched);
    Q_EMIT countChanged();
}

void TimelineModel::addPending(const QString &txn, const QString &text, qint64 createdMs,
    qint64 replyTo, const QVariantList &attachments)
{
    if (txn.isEmpty() || pendingRow(txn) >= 0)
        return;
    if (!attachments.isEmpty())
        m_uploadingFiles.insert(txn, attachments);
    Row r;
    r.timestamp = createdMs;
    r.sender = m_ownUser;
    r.txn = txn;
    r.text = compactUtf8(text);
    r.replyTo = replyTo;
    m_hasReplies = m_hasReplies || replyTo > 0;
    r.delivery = Sending;
    r.own = true;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back(std::move(r));
    endInsertRows();
    Q_EMIT countChanged();
}

void TimelineModel::markAcknowledged(const QString &txn, qint64 seq, qint64 timestamp)
{
    const int row = pendingRow(txn);
    if (row < 0)
        return;
    QList<QPair<int, Derived>> watched;
    if (row + 1 < int(m_rows.size()))
        watched.append({row + 1, derived(row + 1)});
    Row &r = m_rows[size_t(row)];
    r.delivery = Sent;
    r.seq = seq;
    if (timestamp > 0)
        r.timestamp = timestamp;
    m_errors.remove(txn);
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
    refreshDerived(watched);
}

void TimelineModel::markFailed(const QString &txn, const QString &reason)
{
    const int row = pendingRow(txn);
    if (row < 0)
        return;
    m_rows[size_t(row)].delivery = Failed;
    m_errors.insert(txn, failureText(reason));
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {DeliveryRole, ErrorRole, AccessibleTextRole});
}

void TimelineModel::markSending(const QString &txn)
{
    const int row = pendingRow(txn);
    if (row < 0)
        return;
    m_rows[size_t(row)].delivery = Sending;
    m_errors.remove(txn);
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {DeliveryRole, ErrorRole, AccessibleTextRole});
}

void TimelineModel::removePending(const QString &txn)
{
    const int row = pendingRow(txn);
    if (row >= 0)
        removeRowAt(row);
}

void TimelineModel::setLandingPending(bool pending)
{
    if (m_landingPending == pending)
        return;
    m_landingPending = pending;
    Q_EMIT landingPendingChanged();
}

bool TimelineModel::unreadLineLoaded() const
{
    if (!m_hasMoreBefore || m_storedCount == 0)
        return true;
    return m_readSeq + 1 >= lowestSeq();
}

void TimelineModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    m_storedCount = 0;
    m_firstUnread = -1;
    m_errors.clear();
    m_uploadingFiles.clear();
    m_uploadProgress.clear();
    m_senders.clear();
    m_backlog.clear();
    m_hasReplies = false;
    endResetModel();
    Q_EMIT countChanged();
}

qint64 TimelineModel::lowestSeq() const
{
    return m_storedCount > 0 ? m_rows.front().seq : 0;
}

qint64 TimelineModel::highestSeq() const
{
    return m_storedCount > 0 ? m_rows[size_t(m_storedCount - 1)].seq : 0;
}

int TimelineModel::rowForSeq(qint64 seq) const
{
    const int position = storedLowerBound(seq);
    return position < m_storedCount && m_rows[size_t(position)].seq == seq ? position : -1;
}

qint64 TimelineModel::seqAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].seq : 0;
}

QString TimelineModel::systemText(const Row &r) const
{
    QString text = QString::fromUtf8(r.text);
    const QString sender = shownName(r.sender);
    switch (r.kind) {
    case EventKind::Join:
        return tr("%1 joined").arg(sender);
    case EventKind::Leave:
        return tr("%1 left").arg(sender);
    case EventKind::Topic:
        return text.isEmpty() ? tr("%1 cleared the topic").arg(sender)
                              : tr("%1 changed the topic to \"%2\"").arg(sender, text);
    case EventKind::Create:
        return text.isEmpty() ? tr("%1 started this conversation").arg(sender)
                              : tr("%1 created #%2").arg(sender, text);
    case EventKind::Invite:
    case EventKind::Kick:
    case EventKind::Ban:
    case EventKind::Unban:
    case EventKind::Mute:
    case EventKind::Unmute:
    case EventKind::Role:
    case EventKind::Settings:
    case EventKind::Add:
        return teamText(r.kind, r.sender, text);
    case EventKind::Message:
    case EventKind::Edit:
    case EventKind::Redact:
    case EventKind::React:
    case EventKind::Unreact:
        break;
    }
    return text;
}

QString TimelineModel::richText(const Row &r) const
{
    const QString plain = QString::fromUtf8(r.text);
    // Markdown only where it is used: most messages are plain, and the links-only path
    // below is much cheaper than a QTextDocument per row drawn.
    const auto names = [this](const QString &user) { return shownName(user); };
    if (messageformat::usesMarkdown(plain))
        return messageformat::toHtml(plain, names);
    return linkedText(plain, names);
}

QString TimelineModel::linkedText(
    const QString &plain, const std::function<QString(const QString &)> &names)
{
    static const QRegularExpression link(u"(?<![\\w@.-])(?:https?://|www\\.)[^\\s<>\"]+"_s,
        QRegularExpression::CaseInsensitiveOption);
    QString out;
    out.reserve(plain.size() + 16);
    const QStringView text(plain);
    qsizetype done = 0;
    for (auto it = link.globalMatch(plain); it.hasNext();) {
        const auto match = it.next();
        const QStringView candidate = text.mid(match.capturedStart(), match.capturedLength());
        const QStringView url = candidate.left(trimLinkEnd(candidate));
        const bool www = url.startsWith(u"www."_s, Qt::CaseInsensitive);
        const qsizetype prefix = www ? 4 : url.indexOf(u"//") + 2;
        if (url.size() <= prefix)
            continue;
        messageformat::appendPlain(out, text.mid(done, match.capturedStart() - done), names);
        const QString href = (www ? u"http://"_s : QString()) + url.toString();
        out += "<a href=\""_L1 + href.toHtmlEscaped() + "\">"_L1 + url.toString().toHtmlEscaped()
            + "</a>"_L1;
        done = match.capturedStart() + url.size();
    }
    messageformat::appendPlain(out, text.mid(done), names);
    return out;
}

QString TimelineModel::accessibleText(int row) const
{
    const Row &r = m_rows[size_t(row)];
    const QString text = QString::fromUtf8(r.text);
    const Derived d = derived(row);
    QString prefix;
    if (!d.daySeparator.isEmpty())
        prefix += d.daySeparator + ". "_L1;
    if (d.firstUnread)
        prefix += tr("New messages.") + u' ';
    const QString time = shortTime(r.timestamp);
    const QString edited = r.state.editedAt > 0 ? u' ' + tr("(edited)") : QString();
    if (r.kind != EventKind::Message)
        return prefix + tr("%1 at %2").arg(systemText(r), time);
    if (r.state.redacted)
        return prefix
            + tr("%1 at %2: message deleted").arg(r.own ? tr("You") : shownName(r.sender), time);
    if (r.own) {
        switch (r.delivery) {
        case Sending:
            return prefix + tr("You, sending: %1").arg(text);
        case Failed: {
            const QString error = m_errors.value(r.txn);
            return prefix
                + (error.isEmpty() ? tr("You, failed: %1").arg(text)
                                   : tr("You, failed: %1. %2").arg(text, error));
        }
        case Sent:
            return prefix + tr("You at %1: %2").arg(time, text) + edited;
        }
    }
    const QString sentence = tr("%1 at %2: %3").arg(shownName(r.sender), time, text) + edited;
    return prefix + (r.mentionsMe ? tr("%1 (mentions you)").arg(sentence) : sentence);
}

QString TimelineModel::shownName(const QString &user) const
{
    return m_profiles && !user.isEmpty() ? m_profiles->displayName(user) : user;
}

void TimelineModel::setProfiles(Profiles *profiles)
{
    m_profiles = profiles;
    // Any row may show the user (sender, mention, system line). A member list applies one
    // profile per member in one go: relabel once per event-loop turn, not once per profile.
    connect(profiles, &Profiles::changed, this, [this] {
        if (m_relabelPending)
            return;
        m_relabelPending = true;
        QTimer::singleShot(0, this, [this] {
            m_relabelPending = false;
            if (!m_rows.empty())
                Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                    {TextRole, RichTextRole, AccessibleTextRole});
        });
    });
}

} // namespace confab::client
