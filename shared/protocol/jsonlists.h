// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/jsoninteger.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <optional>

/*!
 * \file
 * \brief How result types read and write their lists and integers; for the result files'
 * own use, not an API.
 */
namespace confab::protocol::json {

// Ids, sequences and timestamps: integers a JSON double carries exactly.
inline std::optional<qint64> integer(const QJsonObject &o, QLatin1StringView name)
{
    const auto n = jsonInteger(o.value(name));
    if (!n || *n < 0)
        return std::nullopt;
    return n;
}

template<typename T> QJsonArray listJson(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(item.toJson());
    return array;
}

template<typename T> std::optional<T> objectFrom(const QJsonValue &v)
{
    return T::fromJson(v.toObject());
}

/*!
 * The items of \a value that \a decode accepts: a list drops what it cannot read (§15)
 * rather than failing the whole reply.
 */
template<typename T, auto decode = objectFrom<T>> QList<T> listFrom(const QJsonValue &value)
{
    QList<T> items;
    const QJsonArray array = value.toArray();
    items.reserve(array.size());
    for (const auto &v : array) {
        if (std::optional<T> item = decode(v))
            items.append(std::move(*item));
    }
    return items;
}

} // namespace confab::protocol::json
