// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace confab::client {

/*!
 * \brief A room as the user sees it in the sidebar: the protocol's room summary
 * (docs/protocol.md §5.0) plus the client's resume cursor.
 */
struct RoomSummary
{
    qint64 id = 0;
    bool direct = false;
    QString name;
    QString topic;
    qint64 lastSeq = 0; //!< informational; never a cursor
    int memberCount = 0;
    QStringList members; //!< direct rooms only
    qint64 readSeq = 0;
    qint64 unread = 0;
    qint64 mentions = 0;

    static std::optional<RoomSummary> fromJson(const QJsonObject &summary);
    QJsonObject toJson() const;

    friend bool operator==(const RoomSummary &, const RoomSummary &) = default;
};

} // namespace confab::client
