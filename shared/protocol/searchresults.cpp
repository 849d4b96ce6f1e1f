// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/searchresults.h"

#include "protocol/jsoninteger.h"
#include "protocol/resultshapes.h"

#include <QJsonArray>

namespace confab::protocol {

QJsonObject SearchHit::toJson() const
{
    namespace w = wire::search_hit;
    QJsonArray marks;
    for (const Highlight &h : highlights)
        marks.append(QJsonObject {
            {wire::highlight::Start.name, h.start}, {wire::highlight::Length.name, h.length}});
    return {
        {w::Event.name, event.toJson()}, {w::Snippet.name, snippet}, {w::Highlights.name, marks}};
}

std::optional<SearchHit> SearchHit::fromJson(const QJsonObject &hit)
{
    namespace w = wire::search_hit;
    auto event = RoomEvent::fromJson(hit.value(w::Event.name).toObject());
    if (!event || event->kind != EventKind::Message)
        return std::nullopt;
    SearchHit h {std::move(*event), hit.value(w::Snippet.name).toString(), {}};
    const QJsonArray marks = hit.value(w::Highlights.name).toArray();
    for (const auto &m : marks) {
        const auto start = jsonInteger(m.toObject().value(wire::highlight::Start.name));
        const auto length = jsonInteger(m.toObject().value(wire::highlight::Length.name));
        // Kept only where it lies inside the snippet: a client indexes text with it.
        if (start && length && *start >= 0 && *length > 0 && *start + *length <= h.snippet.size())
            h.highlights.append({int(*start), int(*length)});
    }
    return h;
}

QJsonObject SearchResults::toJson() const
{
    namespace w = wire::search_results;
    QJsonArray array;
    for (const SearchHit &h : hits)
        array.append(h.toJson());
    return {{w::Hits.name, array}, {w::HasMore.name, hasMore}};
}

std::optional<SearchResults> SearchResults::fromJson(const QJsonObject &data)
{
    namespace w = wire::search_results;
    if (!data.value(w::Hits.name).isArray())
        return std::nullopt;
    SearchResults r;
    const QJsonArray array = data.value(w::Hits.name).toArray();
    for (const auto &v : array) {
        if (auto hit = SearchHit::fromJson(v.toObject()))
            r.hits.append(std::move(*hit));
    }
    r.hasMore = data.value(w::HasMore.name).toBool();
    return r;
}

QJsonObject ContextPage::toJson() const
{
    namespace w = wire::context_page;
    QJsonArray array;
    for (const RoomEvent &e : events)
        array.append(e.toJson());
    return {{w::Room.name, double(room)}, {w::Events.name, array},
        {w::HasMoreBefore.name, hasMoreBefore}, {w::HasMoreAfter.name, hasMoreAfter}};
}

std::optional<ContextPage> ContextPage::fromJson(const QJsonObject &data)
{
    namespace w = wire::context_page;
    const auto room = jsonInteger(data.value(w::Room.name));
    if (!room || *room < 1 || !data.value(w::Events.name).isArray())
        return std::nullopt;
    ContextPage p;
    p.room = *room;
    const QJsonArray array = data.value(w::Events.name).toArray();
    for (const auto &v : array) {
        if (auto e = RoomEvent::fromServer(v.toObject()))
            p.events.append(std::move(*e));
    }
    p.hasMoreBefore = data.value(w::HasMoreBefore.name).toBool();
    p.hasMoreAfter = data.value(w::HasMoreAfter.name).toBool();
    return p;
}

} // namespace confab::protocol
