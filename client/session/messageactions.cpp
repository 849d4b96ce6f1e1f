// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/messageactions.h"

#include "core/clientlogging.h"
#include "models/roomlistmodel.h"
#include "models/timelinemodel.h"
#include "net/connection.h"
#include "protocol/hello.h"
#include "protocol/results.h"
#include "protocol/searchresults.h"
#include "protocol/textrules.h"
#include "session/account.h"
#include "session/connectionstate.h"
#include "session/currentroom.h"
#include "session/errortext.h"
#include "session/messagesender.h"
#include "session/roomstate.h"
#include "session/session.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QJSEngine>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;
using confab::protocol::RoomEvent;
namespace req = confab::protocol::requests;

namespace confab::client {

namespace {

constexpr int ContextLimit = 50;

// The server's host and port as a link names it: ws://chat.example.org:8080/ws gives
// chat.example.org:8080. The scheme (ws or wss) is left out: the link is the same for
// everyone on that server, however they connect.
QString serverAuthority(const QString &serverUrl)
{
    const QUrl url(serverUrl);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    return url.port() > 0 ? u"%1:%2"_s.arg(url.host()).arg(url.port()) : url.host();
}

} // namespace

MessageActions::MessageActions(Connection *connection, ConnectionState *connectionState,
    RoomState *state, RoomListModel *rooms, CurrentRoom *currentRoom, Account *account,
    QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_connectionState(connectionState)
    , m_state(state)
    , m_rooms(rooms)
    , m_currentRoom(currentRoom)
    , m_account(account)
{
    connect(m_connection, &Connection::ready, this, &MessageActions::availableChanged);
    connect(m_currentRoom, &CurrentRoom::roomChanged, this, [this] {
        // A reply or edit belongs to the room it was started in.
        cancelReply();
        cancelEdit();
        ++m_jumpGeneration;
        setJumping(false);
    });
    m_highlight.setSingleShot(true);
    m_highlight.setInterval(HighlightMs);
    connect(&m_highlight, &QTimer::timeout, this, [this] {
        m_highlightSeq = 0;
        Q_EMIT highlightChanged();
    });
}

MessageActions *MessageActions::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->messageActions(), QJSEngine::CppOwnership);
    return session->messageActions();
}

bool MessageActions::available() const
{
    return m_connection->hello().has(protocol::features::Conversations);
}

TimelineModel *MessageActions::openTimeline() const
{
    return m_state->existingTimeline(m_currentRoom->roomId());
}

void MessageActions::startReply(qint64 seq)
{
    TimelineModel *tl = openTimeline();
    if (!tl || tl->rowForSeq(seq) < 0)
        return;
    cancelEdit();
    m_replyTo = seq;
    m_replySender = tl->senderOf(seq);
    const QString text = tl->textOf(seq).trimmed();
    m_replyText = text.section(u'\n', 0, 0);
    Q_EMIT replyChanged();
}

void MessageActions::cancelReply()
{
    if (m_replyTo == 0)
        return;
    m_replyTo = 0;
    m_replySender.clear();
    m_replyText.clear();
    Q_EMIT replyChanged();
}

void MessageActions::cancelUpload(const QString &txn)
{
    if (m_sender)
        m_sender->cancelUpload(txn);
}

void MessageActions::send(const QString &text)
{
    m_currentRoom->sendMessage(text, m_replyTo);
    cancelReply();
}

bool MessageActions::startEdit(qint64 seq)
{
    TimelineModel *tl = openTimeline();
    if (!available() || !tl || !tl->isLiveMessage(seq)
        || tl->senderOf(seq).compare(m_account->username(), Qt::CaseInsensitive) != 0)
        return false;
    cancelReply();
    m_editing = seq;
    m_editText = tl->textOf(seq);
    Q_EMIT editingChanged();
    return true;
}

bool MessageActions::editLast()
{
    TimelineModel *tl = openTimeline();
    return tl && startEdit(tl->lastEditableSeq());
}

void MessageActions::cancelEdit()
{
    if (m_editing == 0)
        return;
    m_editing = 0;
    m_editText.clear();
    Q_EMIT editingChanged();
}

void MessageActions::submitEdit(const QString &input)
{
    const qint64 target = m_editing;
    if (target == 0)
        return;
    QString lines = input;
    lines.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n');
    const QString text = protocol::withoutControlCharacters(lines, protocol::MessageTextControls);
    if (text.trimmed().isEmpty()) {
        Q_EMIT actionFailed(tr("A message cannot be edited to nothing. Delete it instead."));
        return;
    }
    if (text.toUtf8().size() > m_connection->limits().maxTextBytes) {
        Q_EMIT actionFailed(tr("The message is too long to send."));
        return;
    }
    const bool unchanged = text == m_editText;
    cancelEdit();
    if (!unchanged)
        change(req::edit(m_currentRoom->roomId(), target, text));
}

void MessageActions::redact(qint64 seq)
{
    if (seq > 0)
        change(req::redact(m_currentRoom->roomId(), seq));
}

void MessageActions::toggleReaction(qint64 seq, const QString &key)
{
    TimelineModel *tl = openTimeline();
    if (!tl || key.isEmpty() || !tl->isLiveMessage(seq))
        return;
    const qint64 room = m_currentRoom->roomId();
    change(tl->reacted(seq, key) ? req::unreact(room, seq, key) : req::react(room, seq, key));
}

void MessageActions::change(const protocol::OutgoingRequest &request)
{
    if (!m_connectionState->isLive()) {
        Q_EMIT actionFailed(tr("You are offline. Try again when the connection is back."));
        return;
    }
    // The change shows when its event comes back (it follows the result), as for
    // everyone else in the room.
    m_connection->send(request, this, [this](const Reply &reply) {
        if (!reply.ok())
            failWith(reply);
    });
}

void MessageActions::failWith(const Reply &reply)
{
    if (reply.outcome == Reply::Disconnected) {
        Q_EMIT actionFailed(tr("You are offline. Try again when the connection is back."));
        return;
    }
    qCInfo(lcClientSession) << "message action refused:" << reply.message;
    Q_EMIT actionFailed(messageActionErrorText(reply.error));
}

void MessageActions::copyText(qint64 seq)
{
    TimelineModel *tl = openTimeline();
    if (tl && tl->rowForSeq(seq) >= 0)
        QGuiApplication::clipboard()->setText(tl->textOf(seq));
}

void MessageActions::copyLink(qint64 seq)
{
    const QString link = linkFor(m_currentRoom->roomId(), seq);
    if (!link.isEmpty())
        QGuiApplication::clipboard()->setText(link);
}

QString MessageActions::linkFor(qint64 room, qint64 seq) const
{
    const QString authority = serverAuthority(m_account->serverUrl());
    if (authority.isEmpty() || room <= 0 || seq <= 0)
        return {};
    return u"confab://%1/room/%2/%3"_s.arg(authority).arg(room).arg(seq);
}

bool MessageActions::openLink(const QString &link)
{
    static const QRegularExpression path(u"^/room/([1-9][0-9]{0,15})/([1-9][0-9]{0,15})/?$"_s);
    const QUrl url(link.trimmed());
    const auto match = path.match(url.path());
    if (url.scheme() != "confab"_L1 || !match.hasMatch()) {
        Q_EMIT actionFailed(tr("That is not a link to a Confab message."));
        return false;
    }
    const QString authority
        = url.port() > 0 ? u"%1:%2"_s.arg(url.host()).arg(url.port()) : url.host();
    if (authority.compare(serverAuthority(m_account->serverUrl()), Qt::CaseInsensitive) != 0) {
        Q_EMIT actionFailed(tr("That link is to a message on another server (%1).").arg(authority));
        return false;
    }
    jumpTo(match.captured(1).toLongLong(), match.captured(2).toLongLong());
    return true;
}

void MessageActions::setJumping(bool jumping)
{
    if (m_jumping == jumping)
        return;
    m_jumping = jumping;
    Q_EMIT jumpingChanged();
}

void MessageActions::land(qint64 room, qint64 seq)
{
    setJumping(false);
    if (room != m_currentRoom->roomId())
        return;
    m_highlightSeq = seq;
    Q_EMIT highlightChanged();
    m_highlight.start();
    Q_EMIT jumpReady(seq);
}

void MessageActions::jumpTo(qint64 room, qint64 seq)
{
    if (room <= 0 || seq <= 0)
        return;
    if (!m_rooms->contains(room)) {
        Q_EMIT actionFailed(tr("You are not a member of that room."));
        return;
    }
    if (room != m_currentRoom->roomId())
        m_currentRoom->select(room);
    const quint64 generation = ++m_jumpGeneration;
    TimelineModel *tl = openTimeline();
    if (!tl)
        return;
    if (tl->rowForSeq(seq) >= 0) {
        land(room, seq);
        return;
    }
    if (!m_connectionState->isLive() || !available()) {
        Q_EMIT actionFailed(tr("That message is not loaded, and the server cannot be asked now."));
        return;
    }
    setJumping(true);
    m_connection->send(req::context(room, seq, ContextLimit), this,
        [this, room, seq, generation](const Reply &reply) {
            if (generation != m_jumpGeneration)
                return;
            const auto page
                = reply.ok() ? protocol::ContextPage::fromJson(reply.data) : std::nullopt;
            if (!page) {
                setJumping(false);
                failWith(reply);
                return;
            }
            QList<RoomEvent> events = page->events;
            events.removeIf([](const RoomEvent &e) { return e.isPlaceholder(); });
            TimelineModel *timeline = m_state->existingTimeline(room);
            const qint64 held = timeline ? timeline->lowestSeq() : 0;
            const qint64 last = events.isEmpty() ? seq : events.last().seq;
            // The timeline holds one contiguous run of the log: what lies between the
            // page and the held rows is loaded too, so paging and the unread line stay
            // right.
            fillGap(room, seq, events, page->hasMoreBefore, held > last + 1 ? held - 1 : 0);
        });
}

void MessageActions::fillGap(
    qint64 room, qint64 seq, QList<RoomEvent> events, bool hasMoreBefore, qint64 upTo)
{
    const qint64 from = events.isEmpty() ? seq : events.last().seq;
    if (upTo <= from) {
        m_state->applyOlder(room, events, hasMoreBefore);
        land(room, seq);
        return;
    }
    if (upTo - from > MaxJumpGap) {
        setJumping(false);
        Q_EMIT actionFailed(tr("That message is too far back to open here. Scroll up to it, "
                               "or search for it."));
        return;
    }
    const quint64 generation = m_jumpGeneration;
    const int limit = m_connection->limits().historyPageMax;
    m_connection->send(req::historyAfter(room, from, limit), this,
        [this, room, seq, events, hasMoreBefore, upTo, generation](const Reply &reply) mutable {
            if (generation != m_jumpGeneration)
                return;
            const auto page
                = reply.ok() ? protocol::HistoryPage::fromJson(reply.data) : std::nullopt;
            if (!page || page->events.isEmpty()) {
                setJumping(false);
                failWith(reply);
                return;
            }
            for (const RoomEvent &e : std::as_const(page->events)) {
                if (!e.isPlaceholder() && e.seq <= upTo)
                    events.append(e);
            }
            const qint64 reached = page->events.last().seq;
            fillGap(room, seq, std::move(events), hasMoreBefore,
                reached >= upTo || !page->hasMore ? 0 : upTo);
        });
}

} // namespace confab::client
