// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/errorcode.h"

#include <array>

using namespace Qt::StringLiterals;

namespace confab::protocol {

namespace {
struct Entry
{
    ErrorCode code;
    QLatin1StringView name;
};

constexpr std::array Names {
    Entry {ErrorCode::BadFrame, "bad_frame"_L1},
    Entry {ErrorCode::BadRequest, "bad_request"_L1},
    Entry {ErrorCode::UnknownType, "unknown_type"_L1},
    Entry {ErrorCode::TooLarge, "too_large"_L1},
    Entry {ErrorCode::Unauthenticated, "unauthenticated"_L1},
    Entry {ErrorCode::AlreadyAuthenticated, "already_authenticated"_L1},
    Entry {ErrorCode::InvalidCredentials, "invalid_credentials"_L1},
    Entry {ErrorCode::InvalidToken, "invalid_token"_L1},
    Entry {ErrorCode::AccountDisabled, "account_disabled"_L1},
    Entry {ErrorCode::Throttled, "throttled"_L1},
    Entry {ErrorCode::RegistrationClosed, "registration_closed"_L1},
    Entry {ErrorCode::InvalidInvite, "invalid_invite"_L1},
    Entry {ErrorCode::NameTaken, "name_taken"_L1},
    Entry {ErrorCode::WeakPassword, "weak_password"_L1},
    Entry {ErrorCode::NotFound, "not_found"_L1},
    Entry {ErrorCode::NotMember, "not_member"_L1},
    Entry {ErrorCode::Forbidden, "forbidden"_L1},
    Entry {ErrorCode::RateLimited, "rate_limited"_L1},
    Entry {ErrorCode::StorageError, "storage_error"_L1},
    Entry {ErrorCode::ShuttingDown, "shutting_down"_L1},
    Entry {ErrorCode::Internal, "internal"_L1},
    Entry {ErrorCode::SignInInProgress, "sign_in_in_progress"_L1},
};
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &e : Names) {
        if (e.code == code)
            return e.name;
    }
    return u"internal"_s;
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (const auto &e : Names) {
        if (name == e.name)
            return e.code;
    }
    return std::nullopt;
}

} // namespace confab::protocol
