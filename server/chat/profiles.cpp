// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/profiles.h"

#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/roomdirectory.h"
#include "chat/roomviews.h"
#include "core/logging.h"
#include "net/wireframe.h"
#include "protocol/serverframe.h"
#include "storage/filestore.h"
#include "storage/profilestore.h"
#include "storage/writecontext.h"

#include <QDateTime>
#include <QSet>

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;

namespace confab::server {

namespace {
// What set_profile decided inside its transaction: the profile afterwards, or why not.
struct ProfileChange
{
    std::optional<ErrorCode> refusal;
    QString message;
    ProfileRecord profile;
    bool changed = false;
};

ProfileChange refuse(ErrorCode code, const QString &message)
{
    return {code, message, {}, false};
}

/*! \brief Why \a fileId cannot be \a user's avatar, if it cannot (§18.2). */
std::optional<ProfileChange> avatarRefusal(WriteContext &ctx, qint64 user, qint64 fileId)
{
    const std::optional<FileRecord> file = filestore::file(ctx, fileId);
    // Someone else's file reads as missing: its existence is not the caller's to learn.
    if (!file || file->uploaderId != user)
        return refuse(ErrorCode::NotFound, u"no such file of yours"_s);
    if (!file->info.type.startsWith("image/"_L1) || !file->info.thumbnail
        || file->thumbnailSha256.isEmpty())
        return refuse(ErrorCode::BadRequest, u"an avatar must be an image with a thumbnail"_s);
    return std::nullopt;
}

std::optional<ProfileChange> changeProfile(
    WriteContext &ctx, qint64 user, const protocol::body::SetProfile &request)
{
    std::optional<ProfileRecord> before;
    if (!profilestore::profile(ctx, user, &before))
        return std::nullopt;
    // A change queued behind delete_account must not give the deleted account a profile.
    if (!before)
        return refuse(ErrorCode::NotFound, u"your account is gone"_s);
    ProfileRecord after = *before;
    if (request.displayName)
        after.displayName = request.displayName->trimmed();
    if (request.status)
        after.status = request.status->trimmed();
    if (request.avatar && *request.avatar != before->avatar) {
        if (*request.avatar) {
            if (auto refusal = avatarRefusal(ctx, user, *request.avatar))
                return refusal;
        }
        after.avatar = *request.avatar;
    }
    if (after == *before)
        return ProfileChange {std::nullopt, {}, after, false};
    if (!profilestore::store(ctx, user, *before, after, QDateTime::currentMSecsSinceEpoch()))
        return std::nullopt;
    return ProfileChange {std::nullopt, {}, after, true};
}
} // namespace

Profiles::Profiles(
    StorageWriter &writer, const RoomDirectory &rooms, Fanout &fanout, RoomViews &views)
    : m_writer(writer)
    , m_rooms(rooms)
    , m_fanout(fanout)
    , m_views(views)
{ }

void Profiles::handleSetProfile(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::SetProfile>();
    if (!request.displayName && !request.status && !request.avatar) {
        return peer->fail(r.id, ErrorCode::BadRequest,
            u"give 'displayName', 'status' or 'avatar'"_s,
            protocol::frames::offendingField(u"displayName"_s));
    }
    const qint64 user = peer->userId();
    const QString name = peer->userName();
    writeFor<ProfileChange>(
        m_writer, peer, r.id,
        [user, request](WriteContext &ctx) { return changeProfile(ctx, user, request); },
        [this, id = r.id, user, name](Peer *p, const ProfileChange &change) {
            if (change.refusal) {
                if (p) {
                    p->fail(id, *change.refusal, change.message,
                        protocol::frames::offendingField(u"avatar"_s));
                }
                return;
            }
            const protocol::Profile profile {
                name, change.profile.displayName, change.profile.status, change.profile.avatar};
            if (p)
                p->reply(id, profile.toJson());
            if (!change.changed)
                return;
            m_views.rememberProfile(user, change.profile);
            m_views.changedHere(RoomViews::Shared::Profile, user);
            qCInfo(lcProfiles) << name << "changed their profile";
            m_fanout.sendToUsers(
                audience(m_rooms, user), WireFrame::text(protocol::frames::profile(profile)));
        });
}

QSet<qint64> Profiles::audience(const RoomDirectory &rooms, qint64 user)
{
    QSet<qint64> users {user};
    for (qint64 id : rooms.roomsOf(user)) {
        if (const RoomRecord *room = rooms.room(id))
            users.unite(room->members);
    }
    return users;
}

} // namespace confab::server
