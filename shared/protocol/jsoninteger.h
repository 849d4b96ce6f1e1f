// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/limits.h"

#include <QJsonValue>
#include <cmath>
#include <optional>

namespace confab::protocol {

/*!
 * \brief A JSON number as an integer, if it is one the protocol can carry: finite, whole and
 * within ±(2^53−1). Casting any other double to qint64 is undefined behaviour (found by
 * tests/fuzz), so every decoder of server frames reads integers through this.
 */
inline std::optional<qint64> jsonInteger(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::abs(d) > double(MaxSafeInteger) || d != std::trunc(d))
        return std::nullopt;
    return qint64(d);
}

} // namespace confab::protocol
