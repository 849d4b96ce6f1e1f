// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace loadgen {

/*!
 * \brief One result: printed as an aligned table row for people and as one
 * JSON line for tools/bench, which builds docs/performance.md from those.
 */
class Row
{
public:
    using Value = std::variant<std::string, double>;
    Row &add(std::string key, Value value);
    /*! \brief "key=value ..." for the console, then the JSON line on its own. */
    void print() const;

private:
    std::vector<std::pair<std::string, Value>> m_fields;
};

} // namespace loadgen
