// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"

#include <QJsonObject>
#include <QList>
#include <optional>

/*!
 * \file
 * \brief The results of `search` (§5.23) and `context` (§5.24): finding a message and
 * opening the timeline at its place.
 */
namespace confab::protocol {

/*! \brief A part of a snippet that matched the query, in UTF-16 code units. */
struct Highlight
{
    int start = 0;
    int length = 0;

    friend bool operator==(const Highlight &, const Highlight &) = default;
};

/*! \brief One message that matched, with the part of its text that shows why. */
struct SearchHit
{
    RoomEvent event; //!< a message, with its current state (§7.4)
    QString snippet; //!< an excerpt of the current text, at most ~64 words
    QList<Highlight> highlights; //!< ascending, not overlapping

    QJsonObject toJson() const;
    static std::optional<SearchHit> fromJson(const QJsonObject &hit);
};

/*! \brief `search` (§5.23): one page of ranked hits. */
struct SearchResults
{
    QList<SearchHit> hits;
    bool hasMore = false; //!< a further page exists at offset + hits.size()

    QJsonObject toJson() const;
    static std::optional<SearchResults> fromJson(const QJsonObject &data);
};

/*! \brief `context` (§5.24): the events around one seq, oldest first. */
struct ContextPage
{
    qint64 room = 0;
    QList<RoomEvent> events;
    bool hasMoreBefore = false;
    bool hasMoreAfter = false;

    QJsonObject toJson() const;
    static std::optional<ContextPage> fromJson(const QJsonObject &data);
};

} // namespace confab::protocol
