// SPDX-License-Identifier: GPL-3.0-or-later
#include "accessrequests.h"

#include "protocol/accountrequests.h"
#include "protocol/errorcode.h"
#include "protocol/teamrequests.h"

#include <optional>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;
using confab::protocol::RequestType;
namespace req = confab::protocol::requests;

namespace confab::test::matrix {

namespace {
const QString Password = u"password-123"_s;

// Requests only an admin may make (§17.5).
bool adminOnly(RequestType t)
{
    return t == RequestType::SetUser || t == RequestType::ServerSettings
        || t == RequestType::SetServerSettings || t == RequestType::CreateInvite
        || t == RequestType::Audit;
}

// Requests that need a rank in the channel (§17.1): every row names the owner, whom
// nobody in the matrix outranks, or (set_room) the channel.
bool moderation(RequestType t)
{
    switch (t) {
    case RequestType::Kick:
    case RequestType::Ban:
    case RequestType::Unban:
    case RequestType::Mute:
    case RequestType::Unmute:
    case RequestType::SetRole:
    case RequestType::SetRoom:
        return true;
    default:
        return false;
    }
}

// What a muted member may not do (§17.4).
bool speaks(RequestType t)
{
    switch (t) {
    case RequestType::Send:
    case RequestType::Edit:
    case RequestType::React:
    case RequestType::Unreact:
    case RequestType::SetTopic:
    case RequestType::Invite:
    case RequestType::Typing:
        return true;
    default:
        return false;
    }
}

// Requests about someone else's upload or file (§16.3): outsiders cannot tell it exists.
bool fileScoped(RequestType t)
{
    return t == RequestType::UploadStatus || t == RequestType::UploadFinish
        || t == RequestType::UploadCancel || t == RequestType::Download;
}

bool roomScoped(RequestType t)
{
    switch (t) {
    case RequestType::Leave:
    case RequestType::SetTopic:
    case RequestType::Send:
    case RequestType::History:
    case RequestType::MarkRead:
    case RequestType::Typing:
    case RequestType::Members:
    case RequestType::Edit:
    case RequestType::Redact:
    case RequestType::React:
    case RequestType::Unreact:
    case RequestType::Search: // with a room filter
    case RequestType::Context:
    case RequestType::Invite:
    case RequestType::Kick:
    case RequestType::Ban:
    case RequestType::Unban:
    case RequestType::Mute:
    case RequestType::Unmute:
    case RequestType::SetRole:
    case RequestType::SetRoom:
    case RequestType::SetNotify: // §18.3: as members does
        return true;
    default:
        return false;
    }
}

// What a signed-in row gets from the requests about its own account (§18.1), whoever it
// is: the revoke_session row names the owner's session, the delete_account row a wrong
// password; change_password sets the same password again.
std::optional<QString> ownAccount(RequestType t)
{
    switch (t) {
    case RequestType::ChangePassword:
    case RequestType::Sessions:
        return u"ok"_s;
    case RequestType::RevokeSession:
        return protocol::errorCodeName(ErrorCode::NotFound);
    case RequestType::DeleteAccount:
        return protocol::errorCodeName(ErrorCode::InvalidCredentials);
    default:
        return std::nullopt;
    }
}

} // namespace

bool isMember(Who who)
{
    return who == Who::Muted || who == Who::PlainMember || who == Who::NotAdmin;
}

QString expected(RequestType t, Who who)
{
    const auto code = [](ErrorCode c) { return protocol::errorCodeName(c); };
    if (who == Who::ForeignOrigin)
        return u"403"_s;
    if (t == RequestType::Ping)
        return u"ok"_s; // §2.2: always allowed
    switch (who) {
    case Who::NotSignedIn:
    case Who::RevokedToken:
    case Who::ExpiredToken:
    case Who::DisabledAccount:
        // §2.2: only register, login, authenticate and ping before sign-in.
        if (t == RequestType::Register)
            return code(ErrorCode::NameTaken); // an existing name: no new account, no hash
        if (t == RequestType::Authenticate)
            return code(ErrorCode::InvalidToken); // §5.3: unknown, revoked or expired
        if (t == RequestType::Login) {
            if (who == Who::DisabledAccount)
                return code(ErrorCode::AccountDisabled); // right password, disabled
            if (who == Who::NotSignedIn)
                return code(ErrorCode::InvalidCredentials); // wrong password
            return u"ok"_s; // a dead token never blocks signing in with the password
        }
        return code(ErrorCode::Unauthenticated);
    case Who::NonMember:
    case Who::DirectOutsider:
    case Who::LeftMember:
    case Who::Invited:
    case Who::Banned:
    case Who::Kicked:
        if (t == RequestType::Register || t == RequestType::Login || t == RequestType::Authenticate)
            return code(ErrorCode::AlreadyAuthenticated);
        if (const auto answer = ownAccount(t))
            return *answer;
        if (t == RequestType::Join) // the banned row asks for the channel, the others a direct room
            return code(
                who == Who::Banned ? ErrorCode::Banned : ErrorCode::NotFound); // §5.8, §17.3
        if (t == RequestType::DeclineInvite) // §17.3: not_found without a pending invitation
            return who == Who::Invited ? u"ok"_s : code(ErrorCode::NotFound);
        if (t == RequestType::AddToGroup || t == RequestType::OpenGroup)
            return code(ErrorCode::NotFound); // §18.4: no group here; no such user
        if (roomScoped(t))
            return code(who == Who::DirectOutsider ? ErrorCode::NotFound : ErrorCode::NotMember);
        if (fileScoped(t))
            return code(ErrorCode::NotFound);
        if (adminOnly(t))
            return code(ErrorCode::Forbidden);
        // list_rooms, create_room, open_direct, sync, logout, logout_all, upload_begin, users,
        // set_profile (only ever one's own, §18.2)
        return u"ok"_s;
    case Who::Muted:
    case Who::PlainMember:
    case Who::NotAdmin:
        if (t == RequestType::Register || t == RequestType::Login || t == RequestType::Authenticate)
            return code(ErrorCode::AlreadyAuthenticated);
        if (const auto answer = ownAccount(t))
            return *answer;
        if (t == RequestType::Join || t == RequestType::DeclineInvite
            || t == RequestType::AddToGroup || t == RequestType::OpenGroup)
            return code(ErrorCode::NotFound); // a direct room; no invitation; no group; no user
        if (who == Who::Muted && speaks(t))
            return code(ErrorCode::Muted); // §17.4, before anything about the target
        // Seq 1 is the create event, not a message (§5.19-5.22); leave and redact of one's
        // own stay allowed to the muted.
        if (t == RequestType::Edit || t == RequestType::Redact || t == RequestType::React
            || t == RequestType::Unreact)
            return code(ErrorCode::NotFound);
        if (moderation(t) || adminOnly(t))
            return code(ErrorCode::Forbidden); // §17.1: nobody here outranks the owner
        if (t == RequestType::UploadStatus || t == RequestType::UploadFinish
            || t == RequestType::UploadCancel)
            return code(ErrorCode::NotFound); // the owner's upload
        // a member reads, writes and downloads the channel's files; invite is by members
        return u"ok"_s;
    case Who::ForeignOrigin:
        break;
    }
    return {};
}

QString userOf(Who who)
{
    switch (who) {
    case Who::NotSignedIn:
        return u"owner"_s;
    case Who::NonMember:
    case Who::DirectOutsider:
        return u"outsider"_s;
    case Who::LeftMember:
        return u"leaver"_s;
    case Who::RevokedToken:
        return u"revoked"_s;
    case Who::ExpiredToken:
        return u"expired"_s;
    case Who::DisabledAccount:
        return u"disabled"_s;
    case Who::Invited:
        return u"invited"_s;
    case Who::Banned:
        return u"banned"_s;
    case Who::Kicked:
        return u"kicked"_s;
    case Who::Muted:
        return u"muted"_s;
    case Who::PlainMember:
        return u"member"_s;
    case Who::NotAdmin:
        return u"moderator"_s;
    case Who::ForeignOrigin:
        break;
    }
    return u"owner"_s;
}

protocol::OutgoingRequest requestFor(RequestType t, Who who, const QString &user,
    const QString &token, const Targets &targets, const QString &tag)
{
    const qint64 room = who == Who::DirectOutsider ? targets.direct : targets.channel;
    switch (t) {
    case RequestType::Register:
        return req::registerAccount(u"owner"_s, Password);
    case RequestType::Login:
        return req::login(user, who == Who::NotSignedIn ? u"wrong-password"_s : Password);
    case RequestType::Authenticate:
        return req::authenticate(who == Who::NotSignedIn ? u"no-such-token"_s : token);
    case RequestType::Logout:
        return req::logout();
    case RequestType::LogoutAll:
        return req::logoutAll();
    case RequestType::ListRooms:
        return req::listRooms();
    case RequestType::CreateRoom:
        return req::createRoom(tag);
    case RequestType::Join:
        return req::join(who == Who::Banned ? targets.channel : targets.direct);
    case RequestType::Leave:
        return req::leave(room);
    case RequestType::SetTopic:
        return req::setTopic(room, u"hijacked"_s);
    case RequestType::OpenDirect:
        return req::openDirect(user); // with oneself: shares nothing with anyone
    case RequestType::Send:
        return req::send(room, tag, u"let me in"_s);
    case RequestType::History:
        return req::historyAfter(room, 0, 50);
    case RequestType::Sync:
        return req::sync({{targets.channel, 0}, {targets.direct, 0}});
    case RequestType::MarkRead:
        return req::markRead(room, 1);
    case RequestType::Typing:
        return req::typing(room, true);
    case RequestType::Members:
        return req::members(room);
    case RequestType::Ping:
        return req::ping();
    // Seq 1 is the room's create event: a target that exists, and nothing anyone may
    // change; an outsider must learn neither.
    case RequestType::Edit:
        return req::edit(room, 1, u"hijacked"_s);
    case RequestType::Redact:
        return req::redact(room, 1);
    case RequestType::React:
        return req::react(room, 1, u"👍"_s);
    case RequestType::Unreact:
        return req::unreact(room, 1, u"👍"_s);
    case RequestType::Search:
        return req::search({u"noise"_s, room, {}, 0, 0}, 20);
    case RequestType::Context:
        return req::context(room, 1, 50);
    // The owner's files, attached in the room the row is about, and the owner's upload.
    case RequestType::UploadBegin:
        return req::uploadBegin(tag + u".txt"_s, 5);
    case RequestType::UploadStatus:
        return req::uploadStatus(targets.ownerUpload);
    case RequestType::UploadFinish:
        return req::uploadFinish(targets.ownerUpload);
    case RequestType::UploadCancel:
        return req::uploadCancel(targets.ownerUpload);
    case RequestType::Download:
        return req::download(who == Who::DirectOutsider ? targets.directFile : targets.channelFile);
    // The team requests (§17): the targets are the owner (outranked by nobody here), the
    // guest (a user in no room) and the channel itself.
    case RequestType::Invite:
        return req::invite(room, u"guest"_s);
    case RequestType::DeclineInvite:
        return req::declineInvite(targets.channel);
    case RequestType::Kick:
        return req::kick(room, u"owner"_s, u"row"_s);
    case RequestType::Ban:
        return req::ban(room, u"owner"_s, u"row"_s, 60);
    case RequestType::Unban:
        return req::unban(room, u"owner"_s);
    case RequestType::Mute:
        return req::mute(room, u"owner"_s);
    case RequestType::Unmute:
        return req::unmute(room, u"owner"_s);
    case RequestType::SetRole:
        return req::setRole(room, u"owner"_s, protocol::RoomRole::Member);
    case RequestType::SetRoom:
        return req::setRoom(room, true);
    case RequestType::Users:
        return req::users(u"o"_s);
    case RequestType::SetUser:
        return req::setUser(u"friend"_s, true);
    case RequestType::ServerSettings:
        return req::serverSettings();
    case RequestType::SetServerSettings:
        return req::setServerSettings(protocol::RegistrationMode::Closed);
    case RequestType::CreateInvite:
        return req::createInvite(5);
    case RequestType::Audit:
        return req::audit();
    // Self-service (§18): what a row may do is only to itself, or to a room it must
    // belong to; the group rows name the channel and the direct room, which are no group.
    case RequestType::ChangePassword:
        return req::changePassword(Password, Password);
    case RequestType::Sessions:
        return req::sessions();
    case RequestType::RevokeSession:
        return req::revokeSession(targets.ownerSession);
    case RequestType::DeleteAccount:
        return req::deleteAccount(u"wrong-password"_s);
    case RequestType::SetProfile:
        return req::setProfile(u"row"_s);
    case RequestType::SetNotify:
        return req::setNotify(room, protocol::NotifyLevel::Nothing);
    case RequestType::SetDnd:
        return req::setDnd(0);
    case RequestType::OpenGroup:
        // A user who does not exist: a group made here would give the row's user
        // presence and room pushes in later rows, which outsiders must never get.
        return req::openGroup({u"nobody"_s});
    case RequestType::AddToGroup:
        return req::addToGroup(room, u"guest"_s);
    }
    return req::ping();
}

} // namespace confab::test::matrix
