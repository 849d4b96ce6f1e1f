// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/request.h"

namespace confab::protocol {

qint64 Request::integer(QLatin1StringView name, qint64 fallback) const
{
    const QJsonValue v = fields.value(name);
    return v.isDouble() ? qint64(v.toDouble()) : fallback;
}

} // namespace confab::protocol
