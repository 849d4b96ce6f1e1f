// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"

#include <QString>
#include <optional>

namespace confab::protocol {

/*!
 * \brief Stable error codes carried in error frames. Append only; the wire
 * form is the snake_case name, never the number.
 */
enum class ErrorCode
{
    BadFrame, //!< not a JSON object, or a binary frame
    BadRequest, //!< missing, mistyped, unknown or invalid field
    UnknownType, //!< request type the server does not know
    TooLarge, //!< a field or the frame exceeds a limit
    Unauthenticated, //!< request needs a signed-in session
    AlreadyAuthenticated, //!< login/register/authenticate on a signed-in connection
    InvalidCredentials, //!< wrong username or password (never says which)
    InvalidToken, //!< token unknown, revoked or expired
    AccountDisabled, //!< credentials right, account disabled by the operator
    Throttled, //!< too many failed logins for this account; retry later
    RegistrationClosed, //!< the server does not accept registrations
    InvalidInvite, //!< invite code unknown or used up
    NameTaken, //!< username or channel name already in use
    WeakPassword, //!< password shorter than the minimum
    NotFound, //!< unknown room or user
    NotMember, //!< the room exists but the user is not in it
    Forbidden, //!< not allowed for this room kind (e.g. leave a direct room)
    RateLimited, //!< connection exceeded its request rate
    StorageError, //!< the server could not make the change durable
    ShuttingDown, //!< the server is stopping; reconnect later
    Internal, //!< a bug; reported, connection stays usable
    SignInInProgress, //!< login/register/authenticate while another sign-in is being verified
    QuotaExceeded, //!< an upload would pass the user's storage quota
    TooManyUploads, //!< the user has uploadsInFlight unfinished uploads
    BadOffset, //!< an upload chunk does not start where the stored bytes end
    UploadIncomplete, //!< upload_finish before every byte is durable
    HashMismatch, //!< the uploaded bytes differ from the declared SHA-256
    Banned, //!< the user is banned from the room (§17.4)
    Muted, //!< the user is muted in the room (§17.4)
    AlreadyMember, //!< invite of a user who is a member already
};

inline constexpr auto ErrorCodeNames = enumNames<ErrorCode>({
    {ErrorCode::BadFrame, "bad_frame"},
    {ErrorCode::BadRequest, "bad_request"},
    {ErrorCode::UnknownType, "unknown_type"},
    {ErrorCode::TooLarge, "too_large"},
    {ErrorCode::Unauthenticated, "unauthenticated"},
    {ErrorCode::AlreadyAuthenticated, "already_authenticated"},
    {ErrorCode::InvalidCredentials, "invalid_credentials"},
    {ErrorCode::InvalidToken, "invalid_token"},
    {ErrorCode::AccountDisabled, "account_disabled"},
    {ErrorCode::Throttled, "throttled"},
    {ErrorCode::RegistrationClosed, "registration_closed"},
    {ErrorCode::InvalidInvite, "invalid_invite"},
    {ErrorCode::NameTaken, "name_taken"},
    {ErrorCode::WeakPassword, "weak_password"},
    {ErrorCode::NotFound, "not_found"},
    {ErrorCode::NotMember, "not_member"},
    {ErrorCode::Forbidden, "forbidden"},
    {ErrorCode::RateLimited, "rate_limited"},
    {ErrorCode::StorageError, "storage_error"},
    {ErrorCode::ShuttingDown, "shutting_down"},
    {ErrorCode::Internal, "internal"},
    {ErrorCode::SignInInProgress, "sign_in_in_progress"},
    {ErrorCode::QuotaExceeded, "quota_exceeded"},
    {ErrorCode::TooManyUploads, "too_many_uploads"},
    {ErrorCode::BadOffset, "bad_offset"},
    {ErrorCode::UploadIncomplete, "upload_incomplete"},
    {ErrorCode::HashMismatch, "hash_mismatch"},
    {ErrorCode::Banned, "banned"},
    {ErrorCode::Muted, "muted"},
    {ErrorCode::AlreadyMember, "already_member"},
});

/*! \brief The wire name; "internal" for a value outside the enum. */
QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(QStringView name);

} // namespace confab::protocol
