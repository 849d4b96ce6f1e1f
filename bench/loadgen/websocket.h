// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A minimal RFC 6455 client codec: enough for a load generator talking to
// servers we start ourselves. No extensions, no TLS; the Sec-WebSocket-Accept
// digest is not verified because the peer is always our own local server.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen::ws {

enum class Opcode : std::uint8_t
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

std::string upgradeRequest(std::string_view host, int port, std::string_view path);

enum class UpgradeResult
{
    Incomplete,
    Accepted,
    Refused,
};
/*! \brief Looks for the end of the HTTP response in \a data; \a consumed is its length. */
UpgradeResult parseUpgradeResponse(std::string_view data, std::size_t *consumed);

/*! \brief Appends one masked, final client frame. \a maskSeed is advanced. */
void appendFrame(
    std::string &out, Opcode opcode, std::string_view payload, std::uint32_t *maskSeed);

struct Frame
{
    Opcode opcode = Opcode::Text;
    bool final = true;
    std::string_view payload;
};

enum class ParseResult
{
    Incomplete,
    Frame,
    Error,
};
/*! \brief Parses one unmasked server frame at the start of \a data. */
ParseResult parseFrame(std::string_view data, Frame *frame, std::size_t *consumed);

} // namespace loadgen::ws
