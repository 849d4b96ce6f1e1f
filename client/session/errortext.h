// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/requesttype.h"

#include <QAbstractSocket>
#include <QString>

namespace confab::client {

/*! \brief A translated sentence for a failed sign-in or account creation. */
QString signInErrorText(protocol::ErrorCode code, qint64 retryAfterMs);
/*! \brief Why the server could not be reached (refused, unknown host, TLS, timeout). */
QString connectErrorText(QAbstractSocket::SocketError error, bool timedOut);
/*! \brief Why opening a group conversation or adding someone to one (§18.4) failed;
 * \a field is the error's `field` ("users", "user", "room"), which tells what was wrong. */
QString groupErrorText(protocol::ErrorCode code, const QString &field);
/*! \brief Why a message could not be sent (shown on the failed message). */
QString sendErrorText(protocol::ErrorCode code);
/*! \brief Why a room action (join, leave, create, topic, direct) failed. */
QString actionErrorText(protocol::ErrorCode code);
/*! \brief Why an invitation, a moderation request, a role or a channel setting (§17)
 * failed; \a type says which, since `not_found` means something else for each. */
QString teamActionErrorText(protocol::ErrorCode code, protocol::RequestType type);
/*! \brief Why an edit, deletion, reaction or jump to a message failed. */
QString messageActionErrorText(protocol::ErrorCode code);
/*! \brief Why a user listing or an administration request (§17.5) failed. */
QString adminErrorText(protocol::ErrorCode code);
/*! \brief Why a password change, a session's sign-out, deleting the account or a
 * notification setting (§18.1, §18.3) failed. */
QString accountErrorText(protocol::ErrorCode code);
/*! \brief Why the server signed this connection out (close 4001), from its \a reason. */
QString signedOutText(const QString &reason);

} // namespace confab::client
