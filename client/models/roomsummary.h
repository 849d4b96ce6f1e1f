// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomsummary.h"

namespace confab::client {

// A sidebar row is exactly the protocol's room summary; the client adds nothing to it.
using protocol::RoomSummary;

} // namespace confab::client
