// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/requestbody.h"
#include "protocol/requesttype.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace confab::protocol {

/*!
 * \brief A client request that passed validation: every field it carries is
 * known to its type and satisfies that field's rule.
 */
struct Request
{
    QJsonValue id; //!< echoed verbatim in the reply: a string or an integer
    RequestType type = RequestType::Ping;
    QJsonObject fields; //!< as received, for re-encoding; handlers read \c body
    RequestBody body;

    /*! \brief The body as the type of request it is; only call it for that type. */
    template<typename T> const T &as() const { return std::get<T>(body); }
};

/*!
 * \brief Why a frame was refused, ready to be sent back as an error frame.
 */
struct RequestError
{
    ErrorCode code = ErrorCode::BadRequest;
    QString message;
    QJsonValue id = QJsonValue::Null; //!< the request's id when it could be read
    QString field; //!< offending field, when there is one
};

} // namespace confab::protocol
