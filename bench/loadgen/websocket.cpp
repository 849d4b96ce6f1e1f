// SPDX-License-Identifier: GPL-3.0-or-later
#include "websocket.h"

#include <cstring>

namespace loadgen::ws {

std::string upgradeRequest(std::string_view host, int port, std::string_view path)
{
    std::string r;
    r.reserve(256);
    r += "GET ";
    r += path;
    r += " HTTP/1.1\r\nHost: ";
    r += host;
    r += ':';
    r += std::to_string(port);
    r += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    return r;
}

UpgradeResult parseUpgradeResponse(std::string_view data, std::size_t *consumed)
{
    const std::size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos)
        return UpgradeResult::Incomplete;
    *consumed = end + 4;
    // "HTTP/1.1 101 Switching Protocols"
    if (data.size() < 12 || data.substr(9, 3) != "101")
        return UpgradeResult::Refused;
    return UpgradeResult::Accepted;
}

void appendFrame(std::string &out, Opcode opcode, std::string_view payload, std::uint32_t *maskSeed)
{
    const std::size_t n = payload.size();
    const std::size_t start = out.size();
    std::size_t header = 2 + 4 + (n < 126 ? 0 : n <= 0xFFFF ? 2 : 8);
    out.resize(start + header + n);
    auto *p = reinterpret_cast<unsigned char *>(out.data() + start);
    p[0] = 0x80 | static_cast<unsigned char>(opcode);
    std::size_t i = 2;
    if (n < 126) {
        p[1] = 0x80 | static_cast<unsigned char>(n);
    } else if (n <= 0xFFFF) {
        p[1] = 0x80 | 126;
        p[2] = static_cast<unsigned char>(n >> 8);
        p[3] = static_cast<unsigned char>(n);
        i = 4;
    } else {
        p[1] = 0x80 | 127;
        for (int b = 0; b < 8; ++b)
            p[2 + b] = static_cast<unsigned char>(std::uint64_t(n) >> (56 - 8 * b));
        i = 10;
    }
    // xorshift32: masking only has to stop proxies from caching; any varying key will do.
    std::uint32_t x = *maskSeed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *maskSeed = x;
    unsigned char mask[4];
    std::memcpy(mask, &x, 4);
    std::memcpy(p + i, mask, 4);
    i += 4;
    const auto *src = reinterpret_cast<const unsigned char *>(payload.data());
    for (std::size_t k = 0; k < n; ++k)
        p[i + k] = src[k] ^ mask[k & 3];
}

ParseResult parseFrame(std::string_view data, Frame *frame, std::size_t *consumed)
{
    if (data.size() < 2)
        return ParseResult::Incomplete;
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    if (p[1] & 0x80)
        return ParseResult::Error; // servers must not mask
    std::uint64_t n = p[1] & 0x7F;
    std::size_t header = 2;
    if (n == 126) {
        if (data.size() < 4)
            return ParseResult::Incomplete;
        n = (std::uint64_t(p[2]) << 8) | p[3];
        header = 4;
    } else if (n == 127) {
        if (data.size() < 10)
            return ParseResult::Incomplete;
        n = 0;
        for (int b = 0; b < 8; ++b)
            n = (n << 8) | p[2 + b];
        header = 10;
    }
    if (data.size() - header < n)
        return ParseResult::Incomplete;
    frame->final = (p[0] & 0x80) != 0;
    frame->opcode = static_cast<Opcode>(p[0] & 0x0F);
    frame->payload = data.substr(header, std::size_t(n));
    *consumed = header + std::size_t(n);
    return ParseResult::Frame;
}

} // namespace loadgen::ws
