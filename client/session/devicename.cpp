// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/devicename.h"

#include "protocol/selfservice.h"

#include <QSysInfo>

using namespace Qt::StringLiterals;

namespace confab::client {

QString deviceName()
{
    const QString host = QSysInfo::machineHostName().trimmed();
    const QString system = QSysInfo::prettyProductName().trimmed();
    QString name;
    if (host.isEmpty())
        name = system;
    else if (system.isEmpty())
        name = host;
    else
        name = u"%1 (%2)"_s.arg(host, system);
    // The server refuses a longer name (bad_request), which would fail the sign-in.
    return name.left(protocol::MaxDeviceNameLength).trimmed();
}

} // namespace confab::client
