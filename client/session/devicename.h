// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace confab::client {

/*! \brief The name this device gives its sessions (docs/protocol.md §18.1), so that the
 * Account dialog on another device can tell them apart: the system's name and the host
 * name, at most protocol::MaxDeviceNameLength characters. */
QString deviceName();

} // namespace confab::client
