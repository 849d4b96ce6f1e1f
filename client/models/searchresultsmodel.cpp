// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/searchresultsmodel.h"

#include "models/roomlistmodel.h"
#include "net/connection.h"
#include "protocol/requestbuilder.h"
#include "session/errortext.h"
#include "session/session.h"

#include <QDateTime>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcClientSearch, "confab.client.search", QtInfoMsg)

namespace confab::client {

SearchResultsModel::SearchResultsModel(QObject *parent)
    : SearchResultsModel(Session::instance() ? Session::instance()->connection() : nullptr,
        Session::instance() ? Session::instance()->rooms() : nullptr, parent)
{ }

SearchResultsModel::SearchResultsModel(
    Connection *connection, RoomListModel *rooms, QObject *parent)
    : QAbstractListModel(parent)
    , m_connection(connection)
    , m_rooms(rooms)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SearchResultsModel::searchNow);
    if (m_connection)
        connect(m_connection, &Connection::ready, this, &SearchResultsModel::availableChanged);
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Hit &hit = m_hits.at(index.row());
    switch (role) {
    case RoomIdRole:
        return hit.room;
    case SeqRole:
        return hit.seq;
    case RoomNameRole:
        return roomName(hit.room);
    case SenderRole:
        return hit.sender;
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(hit.timestamp).toLocalTime();
    case SnippetRole:
        return hit.html;
    case Qt::DisplayRole:
    case TextRole:
        return hit.snippet;
    case Qt::AccessibleTextRole:
        return u"%1, %2: %3"_s.arg(roomName(hit.room), hit.sender, hit.snippet);
    default:
        return {};
    }
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const
{
    return {{RoomIdRole, "roomId"}, {SeqRole, "seq"}, {RoomNameRole, "roomName"},
        {SenderRole, "sender"}, {TimeRole, "time"}, {SnippetRole, "snippet"},
        {TextRole, "plainText"}};
}

bool SearchResultsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_busy && !m_query.trimmed().isEmpty();
}

void SearchResultsModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        request(m_received);
}

void SearchResultsModel::setQuery(const QString &query)
{
    if (m_query == query)
        return;
    m_query = query;
    Q_EMIT queryChanged();
    // Whatever is on its way answers an older query now.
    ++m_generation;
    m_answered = false;
    if (m_query.trimmed().isEmpty()) {
        m_debounce.stop();
        beginResetModel();
        m_hits.clear();
        endResetModel();
        m_received = 0;
        m_hasMore = false;
        setBusy(false);
        Q_EMIT countChanged();
        return;
    }
    Q_EMIT busyChanged(); // not answered
    m_debounce.start();
}

bool SearchResultsModel::available() const
{
    return m_connection && m_connection->hello().has(protocol::features::Search);
}

void SearchResultsModel::searchNow()
{
    m_debounce.stop();
    if (m_query.trimmed().isEmpty())
        return;
    ++m_generation;
    m_answered = false;
    request(0);
}

qint64 SearchResultsModel::roomIdAt(int row) const
{
    return row >= 0 && row < m_hits.size() ? m_hits.at(row).room : 0;
}

qint64 SearchResultsModel::seqAt(int row) const
{
    return row >= 0 && row < m_hits.size() ? m_hits.at(row).seq : 0;
}

QString SearchResultsModel::snippetHtml(
    const QString &snippet, const QList<protocol::Highlight> &highlights)
{
    // The snippet is the message's text: escaped before any markup of ours goes in, so
    // what someone wrote as HTML shows as text.
    QString html;
    qsizetype at = 0;
    for (const protocol::Highlight &h : highlights) {
        const qsizetype start = std::max<qsizetype>(h.start, at);
        const qsizetype end = std::min<qsizetype>(qsizetype(h.start) + h.length, snippet.size());
        if (start >= end)
            continue;
        html += snippet.mid(at, start - at).toHtmlEscaped();
        html += u"<b>"_s + snippet.mid(start, end - start).toHtmlEscaped() + u"</b>"_s;
        at = end;
    }
    html += snippet.mid(at).toHtmlEscaped();
    return html;
}

void SearchResultsModel::request(int offset)
{
    if (!m_connection)
        return;
    protocol::requests::SearchFilter filter;
    filter.query = m_query.trimmed().left(protocol::MaxSearchQueryLength);
    const quint64 generation = m_generation;
    setBusy(true);
    qCDebug(lcClientSearch) << "search at" << offset;
    m_connection->send(protocol::requests::search(filter, PageSize, offset), this,
        [this, generation, offset](const Reply &reply) {
            if (generation != m_generation)
                return; // the query changed since
            if (reply.outcome == Reply::Disconnected) {
                setBusy(false, tr("You are offline. Search needs the connection."));
                return;
            }
            const auto page
                = reply.ok() ? protocol::SearchResults::fromJson(reply.data) : std::nullopt;
            if (!page) {
                qCInfo(lcClientSearch) << "search failed:" << reply.message;
                setBusy(false, actionErrorText(reply.error));
                return;
            }
            if (offset == 0) {
                beginResetModel();
                m_hits.clear();
                m_received = 0;
                endResetModel();
            }
            applyPage(*page);
            m_answered = true;
            setBusy(false);
        });
}

void SearchResultsModel::applyPage(const protocol::SearchResults &page)
{
    m_received += int(page.hits.size());
    m_hasMore = page.hasMore && !page.hits.isEmpty();
    const int before = int(m_hits.size());
    for (const protocol::SearchHit &h : page.hits) {
        Hit hit {h.event.room, h.event.seq, h.event.sender, h.event.timestamp, h.snippet,
            snippetHtml(h.snippet, h.highlights)};
        // After the last hit of its room, or at the end for a room not shown yet.
        int row = int(m_hits.size());
        for (int r = int(m_hits.size()) - 1; r >= 0; --r) {
            if (m_hits.at(r).room == hit.room) {
                row = r + 1;
                break;
            }
        }
        beginInsertRows({}, row, row);
        m_hits.insert(row, std::move(hit));
        endInsertRows();
    }
    if (m_hits.size() != before)
        Q_EMIT countChanged();
}

void SearchResultsModel::setBusy(bool busy, const QString &error)
{
    if (m_busy == busy && m_errorText == error)
        return;
    m_busy = busy;
    m_errorText = error;
    Q_EMIT busyChanged();
}

QString SearchResultsModel::roomName(qint64 room) const
{
    if (m_rooms) {
        if (const auto summary = m_rooms->room(room))
            return summary->name;
    }
    return tr("Room %1").arg(room);
}

} // namespace confab::client
