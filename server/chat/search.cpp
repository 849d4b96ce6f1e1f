// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/search.h"

#include "chat/peer.h"
#include "chat/replybudget.h"
#include "chat/roomviews.h"
#include "storage/searchquery.h"

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;

namespace confab::server {

namespace {

// Roughly the bytes one hit takes in the reply: its event, its snippet (at most its text
// and two ellipses) and its highlights.
qint64 hitSize(const protocol::SearchHit &hit)
{
    protocol::RoomEvent snippet;
    snippet.text = hit.snippet;
    return ReplyBudget::encodedSize(hit.event) + ReplyBudget::encodedSize(snippet)
        + 24 * hit.highlights.size();
}

} // namespace

Search::Search(const ServerConfig &config, StatementCache &reader, RoomViews &views)
    : m_config(config)
    , m_reader(reader)
    , m_views(views)
{ }

void Search::handleSearch(Peer *peer, const protocol::Request &r)
{
    const auto &body = r.as<protocol::body::Search>();
    // The room filter is checked as any room request is: not_found, then not_member.
    if (body.room > 0 && !m_views.memberRoom(peer, r))
        return;
    if (body.after && body.before && *body.after >= *body.before)
        return peer->fail(r.id, ErrorCode::BadRequest, u"'after' must be less than 'before'"_s);
    searchquery::Query query {body.query, peer->userId(), body.room, body.sender, body.after,
        body.before, body.offset, std::min(body.limit, m_config.limits.historyPageMax)};
    searchquery::Page page = searchquery::search(m_reader, query);
    // A page past the budget is cut short; hasMore sends the client on from where it stops.
    qint64 left = peer->replyBudget(m_config.maxReplyBytes);
    for (qsizetype i = 0; i < page.hits.size(); ++i) {
        left -= hitSize(page.hits.at(i));
        if (left < 0 && i > 0) {
            page.hits.resize(i);
            page.hasMore = true;
            break;
        }
    }
    peer->reply(r.id, protocol::SearchResults {page.hits, page.hasMore}.toJson());
}

} // namespace confab::server
