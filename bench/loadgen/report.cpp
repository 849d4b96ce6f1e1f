// SPDX-License-Identifier: GPL-3.0-or-later
#include "report.h"

#include <cmath>
#include <cstdio>

namespace loadgen {

namespace {
std::string number(double v)
{
    char buf[64];
    if (std::isnan(v) || std::isinf(v))
        return "null";
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (std::fabs(v) >= 100)
        std::snprintf(buf, sizeof buf, "%.1f", v);
    else
        std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

std::string jsonString(const std::string &s)
{
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\')
            out += '\\';
        out += ch;
    }
    return out + '"';
}
} // namespace

Row &Row::add(std::string key, Value value)
{
    m_fields.emplace_back(std::move(key), std::move(value));
    return *this;
}

void Row::print() const
{
    std::string table = "|";
    std::string json = "{";
    bool first = true;
    for (const auto &[key, value] : m_fields) {
        const std::string text = std::holds_alternative<double>(value)
            ? number(std::get<double>(value))
            : std::get<std::string>(value);
        table.append(1, ' ').append(key).append(1, '=').append(text).append(" |");
        json += (first ? "" : ",") + jsonString(key) + ':'
            + (std::holds_alternative<double>(value) ? text : jsonString(text));
        first = false;
    }
    std::printf("%s\n%s}\n", table.c_str(), json.c_str());
    std::fflush(stdout);
}

} // namespace loadgen
