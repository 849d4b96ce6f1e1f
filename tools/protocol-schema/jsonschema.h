// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

namespace confab::tools {

/*!
 * \brief The JSON Schema (draft 2020-12) of every frame of the protocol: each request from
 * its FieldSpec table, each reply and push from its wire shape (shared/protocol).
 *
 * docs/protocol.schema.json is this object, written by the protocol_schema executable.
 */
QJsonObject protocolJsonSchema();

} // namespace confab::tools
