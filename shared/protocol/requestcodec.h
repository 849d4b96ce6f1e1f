// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/limits.h"
#include "protocol/request.h"

#include <QByteArray>
#include <variant>

namespace confab::protocol {

using DecodedRequest = std::variant<Request, RequestError>;

/*!
 * \brief Parses and validates one client frame (UTF-8 JSON text).
 *
 * Returns a Request only when the frame is a JSON object with a valid id, a
 * known type, every required field present, no unknown field, and each field
 * satisfying its rule under \a limits. Anything else is a RequestError whose
 * code says which rule failed; it never throws and never reads past the input.
 */
DecodedRequest decodeRequest(const QByteArray &utf8, const Limits &limits);

/*!
 * \brief Checks one field value against its rule; empty result means valid.
 */
std::optional<RequestError> validateField(
    const FieldSpec &spec, const QJsonValue &value, const Limits &limits);

} // namespace confab::protocol
