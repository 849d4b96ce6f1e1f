// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/errorcode.h"

using namespace Qt::StringLiterals;

namespace confab::protocol {

QString errorCodeName(ErrorCode code)
{
    const QLatin1StringView name = ErrorCodeNames.toName(code);
    return name.isEmpty() ? u"internal"_s : QString(name);
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    return ErrorCodeNames.fromName(name);
}

} // namespace confab::protocol
