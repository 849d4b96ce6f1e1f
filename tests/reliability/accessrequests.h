// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"
#include "protocol/requesttype.h"

#include <QString>
#include <utility>

/*!
 * \file
 * \brief The access matrix of tst_reliability_access: the ways of not belonging, every
 * request type, the request each cell sends and the answer docs/protocol.md gives it.
 */
namespace confab::test::matrix {

using protocol::RequestType;

enum class Who
{
    NotSignedIn,
    NonMember, //!< signed in, targets a channel it is not in
    DirectOutsider, //!< signed in, targets someone else's direct room
    LeftMember, //!< was in the channel, left it
    RevokedToken, //!< its token was signed out with logout
    ExpiredToken,
    DisabledAccount, //!< disabled by the operator (admin_log path)
    ForeignOrigin, //!< a browser page from an origin not in allowed_origins
    // The ways of not belonging that teams add (§17).
    Invited, //!< invited to the channel, not joined
    Banned, //!< was in the channel, banned from it
    Kicked, //!< was in the channel, kicked from it
    Muted, //!< a member, muted in the channel
    PlainMember, //!< a member, not a moderator
    NotAdmin, //!< a moderator of the channel, not an admin of the server
};

inline constexpr std::pair<Who, const char *> Conditions[] = {
    {Who::NotSignedIn, "not signed in"},
    {Who::NonMember, "non-member"},
    {Who::DirectOutsider, "outsider of a direct room"},
    {Who::LeftMember, "member who left"},
    {Who::RevokedToken, "revoked token"},
    {Who::ExpiredToken, "expired token"},
    {Who::DisabledAccount, "disabled account"},
    {Who::ForeignOrigin, "foreign origin"},
    {Who::Invited, "invited, not joined"},
    {Who::Banned, "banned"},
    {Who::Kicked, "kicked"},
    {Who::Muted, "muted member"},
    {Who::PlainMember, "not a moderator"},
    {Who::NotAdmin, "moderator, not an admin"},
};

inline constexpr RequestType AllTypes[] = {RequestType::Register, RequestType::Login,
    RequestType::Authenticate, RequestType::Logout, RequestType::LogoutAll, RequestType::ListRooms,
    RequestType::CreateRoom, RequestType::Join, RequestType::Leave, RequestType::SetTopic,
    RequestType::OpenDirect, RequestType::Send, RequestType::History, RequestType::Sync,
    RequestType::MarkRead, RequestType::Typing, RequestType::Members, RequestType::Ping,
    RequestType::Edit, RequestType::Redact, RequestType::React, RequestType::Unreact,
    RequestType::Search, RequestType::Context, RequestType::UploadBegin, RequestType::UploadStatus,
    RequestType::UploadFinish, RequestType::UploadCancel, RequestType::Download,
    RequestType::Invite, RequestType::DeclineInvite, RequestType::Kick, RequestType::Ban,
    RequestType::Unban, RequestType::Mute, RequestType::Unmute, RequestType::SetRole,
    RequestType::SetRoom, RequestType::Users, RequestType::SetUser, RequestType::ServerSettings,
    RequestType::SetServerSettings, RequestType::CreateInvite, RequestType::Audit,
    RequestType::ChangePassword, RequestType::Sessions, RequestType::RevokeSession,
    RequestType::DeleteAccount, RequestType::SetProfile, RequestType::SetNotify,
    RequestType::SetDnd, RequestType::OpenGroup, RequestType::AddToGroup};

// Members of the channel: what they may do there is allowed, so rows check their answers
// rather than that nothing leaks.
bool isMember(Who who);

/*!
 * \brief What docs/protocol.md says the cell must answer: an error code name,
 * "ok" where the request is legitimately allowed (and checked not to leak),
 * "403" where the upgrade itself is refused.
 */
QString expected(RequestType t, Who who);

/*! \brief The user a row signs in as (or names, before sign-in). */
QString userOf(Who who);

/*! \brief What the owner set up for the rows to aim at. */
struct Targets
{
    qint64 channel = 0;
    qint64 direct = 0;
    qint64 channelFile = 0; //!< the owner's, attached in the channel
    qint64 directFile = 0; //!< the owner's, attached in the direct room
    qint64 ownerUpload = 0; //!< an upload of the owner's, not finished
    qint64 ownerSession = 0; //!< the owner's first session (§18.1)
};

/*! \brief The request the cell (\a t, \a who) sends; \a token is the dead token of the
 * token rows, \a tag makes names and transaction ids unique per row. */
protocol::OutgoingRequest requestFor(RequestType t, Who who, const QString &user,
    const QString &token, const Targets &targets, const QString &tag);

} // namespace confab::test::matrix
