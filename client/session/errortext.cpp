// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/errortext.h"

#include <QCoreApplication>

namespace confab::client {

namespace {

QString tr(const char *text, int n = -1)
{
    // Same context as Session, so translators see these next to its strings.
    return QCoreApplication::translate("Session", text, nullptr, n);
}

} // namespace

QString signInErrorText(protocol::ErrorCode code, qint64 retryAfterMs)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::InvalidCredentials:
        return tr("The username or password is wrong.");
    case ErrorCode::InvalidToken:
        return tr("Your session has expired. Please sign in again.");
    case ErrorCode::AccountDisabled:
        // An admin (§17.5) or the operator's disable-user; the sign-in cannot tell which.
        return tr("This account has been disabled by an admin or the server's operator.");
    case ErrorCode::Throttled: {
        const int seconds = int(std::max<qint64>(1, (retryAfterMs + 999) / 1000));
        return QCoreApplication::translate(
            "Session", "Too many attempts. Try again in %n second(s).", nullptr, seconds);
    }
    case ErrorCode::RegistrationClosed:
        return tr("This server does not accept new accounts.");
    case ErrorCode::InvalidInvite:
        return tr("The invite code is missing, wrong or used up.");
    case ErrorCode::NameTaken:
        return tr("That username is already taken.");
    case ErrorCode::WeakPassword:
        return tr("The password must be at least 8 characters long.");
    case ErrorCode::BadRequest:
    case ErrorCode::TooLarge:
        return tr("The username may only contain letters, digits, '.', '_' and '-', and must "
                  "start with a letter or digit.");
    case ErrorCode::ShuttingDown:
        return tr("The server is restarting. Try again in a moment.");
    default:
        return tr("The server could not sign you in. Try again later.");
    }
}

QString connectErrorText(QAbstractSocket::SocketError error, bool timedOut)
{
    if (timedOut)
        return tr("The server did not answer in time.");
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return tr("The server refused the connection. Check the address and that the server "
                  "is running.");
    case QAbstractSocket::HostNotFoundError:
        return tr("The server address could not be found.");
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return tr("A secure connection to the server could not be established.");
    case QAbstractSocket::SocketTimeoutError:
        return tr("The server did not answer in time.");
    default:
        return tr("The server could not be reached.");
    }
}

QString sendErrorText(protocol::ErrorCode code)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::NotFound:
        return tr("This room no longer exists.");
    case ErrorCode::NotMember:
        return tr("You are no longer a member of this room.");
    case ErrorCode::TooLarge:
        return tr("The message is too long.");
    case ErrorCode::BadRequest:
        return tr("The server rejected this message.");
    case ErrorCode::Muted:
        return tr("You are muted in this channel.");
    default:
        return tr("The message could not be sent.");
    }
}

QString actionErrorText(protocol::ErrorCode code)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::NameTaken:
        return tr("A room with that name already exists.");
    case ErrorCode::NotFound:
        return tr("That room or user does not exist.");
    case ErrorCode::NotMember:
        return tr("You are not a member of this room.");
    case ErrorCode::Forbidden:
        return tr("Direct conversations cannot be left and have no topic.");
    case ErrorCode::BadRequest:
    case ErrorCode::TooLarge:
        return tr("The name or topic is not valid.");
    case ErrorCode::RateLimited:
        return tr("Too many requests. Try again in a moment.");
    case ErrorCode::Banned:
        return tr("You are banned from this channel.");
    case ErrorCode::Muted:
        return tr("You are muted in this channel.");
    default:
        return tr("The server could not do that right now. Try again later.");
    }
}

QString groupErrorText(protocol::ErrorCode code, const QString &field)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::NotFound:
        return field == u"room" ? tr("You are no longer in this group conversation.")
                                : tr("There is no user of that name.");
    case ErrorCode::AlreadyMember:
        return tr("That person is in the conversation already.");
    case ErrorCode::Forbidden:
        return tr("A group conversation has at most 10 people.");
    case ErrorCode::BadRequest:
        return field == u"users" ? tr("Choose at least one other person.")
                                 : tr("The name is not valid.");
    case ErrorCode::TooLarge:
        return tr("The name is too long.");
    case ErrorCode::RateLimited:
        return tr("Too many requests. Try again in a moment.");
    default:
        return tr("The server could not do that right now. Try again later.");
    }
}

namespace {

// not_found of each team request (docs/protocol.md §17.3, §17.4).
QString teamNotFoundText(protocol::RequestType type)
{
    using protocol::RequestType;
    switch (type) {
    case RequestType::Invite:
        return tr("There is no user of that name.");
    case RequestType::Unban:
        return tr("That user is not banned from this channel, or the ban has already ended.");
    case RequestType::Unmute:
        return tr("That user is not muted in this channel, or the mute has already ended.");
    case RequestType::Kick:
        return tr("That user is neither in this channel nor invited to it.");
    case RequestType::Join:
    case RequestType::DeclineInvite:
        return tr("That invitation no longer exists.");
    default:
        return tr("That user is not in this channel, or does not exist.");
    }
}

} // namespace

QString teamActionErrorText(protocol::ErrorCode code, protocol::RequestType type)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::NotFound:
        return teamNotFoundText(type);
    case ErrorCode::NotMember:
        return tr("You are not a member of this channel.");
    case ErrorCode::Forbidden:
        return tr("Your role in this channel does not allow that.");
    case ErrorCode::Banned:
        return tr("That user is banned from this channel.");
    case ErrorCode::Muted:
        return tr("You are muted in this channel.");
    case ErrorCode::AlreadyMember:
        return tr("That user is already a member of this channel.");
    case ErrorCode::BadRequest:
    case ErrorCode::TooLarge:
        return tr("The server did not accept that. Check the name and the reason.");
    case ErrorCode::UnknownType:
        return tr("This server has no roles, invitations or moderation.");
    case ErrorCode::RateLimited:
        return tr("Too many requests. Try again in a moment.");
    default:
        return tr("The server could not do that right now. Try again later.");
    }
}

QString messageActionErrorText(protocol::ErrorCode code)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::NotFound:
        return tr("That message no longer exists, or was deleted.");
    case ErrorCode::NotMember:
        return tr("You are not a member of this room.");
    case ErrorCode::Forbidden:
        return tr("Only the author can change or delete this message.");
    case ErrorCode::Muted:
        return tr("You are muted in this channel.");
    case ErrorCode::TooLarge:
        return tr("This message has as many different reactions as it can take.");
    case ErrorCode::BadRequest:
        return tr("The server did not accept that change.");
    case ErrorCode::UnknownType:
        return tr("This server does not support editing, deleting or reacting.");
    case ErrorCode::RateLimited:
        return tr("Too many requests. Try again in a moment.");
    default:
        return tr("The server could not do that right now. Try again later.");
    }
}

QString adminErrorText(protocol::ErrorCode code)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::NotFound:
        return tr("That user does not exist.");
    case ErrorCode::Forbidden:
        return tr("The server refused: only admins may do this, no admin can change their own "
                  "account, and the last admin cannot be disabled or removed.");
    case ErrorCode::BadRequest:
    case ErrorCode::TooLarge:
        return tr("The server did not accept that change.");
    case ErrorCode::UnknownType:
        return tr("This server has no user directory or administration.");
    case ErrorCode::RateLimited:
        return tr("Too many requests. Try again in a moment.");
    default:
        return tr("The server could not do that right now. Try again later.");
    }
}

QString accountErrorText(protocol::ErrorCode code)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::InvalidCredentials:
        return tr("The current password is wrong.");
    case ErrorCode::WeakPassword:
        return tr("The new password is too short.");
    case ErrorCode::Throttled:
        return tr("Too many wrong passwords. Try again later.");
    case ErrorCode::NotFound:
        return tr("That session or room no longer exists.");
    case ErrorCode::NotMember:
        return tr("You are not a member of that room.");
    case ErrorCode::BadRequest:
        return tr("The server did not accept that change.");
    case ErrorCode::UnknownType:
        return tr("This server does not offer account settings.");
    case ErrorCode::RateLimited:
        return tr("Too many requests. Try again in a moment.");
    default:
        return tr("The server could not do that right now. Try again later.");
    }
}

QString signedOutText(const QString &reason)
{
    // The reasons are the server's close texts (docs/protocol.md §2.7).
    if (reason.contains(QLatin1StringView("disabled"), Qt::CaseInsensitive))
        return tr("Your account was disabled by an administrator.");
    if (reason.contains(QLatin1StringView("password changed"), Qt::CaseInsensitive))
        return tr("Your password was changed on another device. Sign in with the new one.");
    if (reason.contains(QLatin1StringView("session revoked"), Qt::CaseInsensitive))
        return tr("This device was signed out from another device.");
    if (reason.contains(QLatin1StringView("account deleted"), Qt::CaseInsensitive))
        return tr("Your account was deleted.");
    if (reason.contains(QLatin1StringView("operator"), Qt::CaseInsensitive))
        return tr("The server's operator signed you out.");
    return tr("You were signed out.");
}

} // namespace confab::client
