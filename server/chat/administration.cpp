// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/administration.h"

#include "auth/sessioncache.h"
#include "auth/tokens.h"
#include "chat/fanout.h"
#include "chat/peer.h"
#include "chat/peerwrite.h"
#include "chat/ranks.h"
#include "core/logging.h"
#include "protocol/hello.h"
#include "protocol/serverframe.h"
#include "storage/accountstore.h"
#include "storage/auditstore.h"
#include "storage/profilestore.h"
#include "storage/serversettings.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;
using confab::protocol::ErrorCode;

namespace confab::server {

namespace {
// What set_user decided inside its transaction: the account afterwards, or why not.
struct UserChange
{
    std::optional<ErrorCode> refusal;
    QString message;
    UserRecord user;
    bool adminChanged = false;
    bool disabledChanged = false;
};

/*!
 * \brief Whether \a actor is, as the transaction sees it, an enabled admin: Ranks may not
 * have caught up yet with an operator's set-admin from the shell.
 */
bool stillAdmin(WriteContext &ctx, qint64 actor, bool *admin)
{
    std::optional<UserRecord> record;
    if (!accountstore::userById(ctx, actor, &record))
        return false;
    *admin = record && record->admin && !record->disabled;
    return true;
}

/*!
 * \brief Applies \a request to \a target with its audit entries, unless it would leave the
 * server without an enabled admin; nullopt on a database error.
 */
std::optional<UserChange> changeUser(
    WriteContext &ctx, qint64 actor, const protocol::body::SetUser &request, qint64 target)
{
    UserChange change;
    bool actorAdmin = false;
    std::optional<UserRecord> before;
    if (!stillAdmin(ctx, actor, &actorAdmin) || !accountstore::userById(ctx, target, &before))
        return std::nullopt;
    if (!actorAdmin)
        return UserChange {ErrorCode::Forbidden, u"only admins may change accounts"_s, {}};
    if (!before)
        return UserChange {ErrorCode::NotFound, u"no user %1"_s.arg(request.user), {}};
    UserRecord after = *before;
    after.disabled = request.disabled.value_or(before->disabled);
    after.admin = request.admin.value_or(before->admin);
    const bool wasEnabledAdmin = before->admin && !before->disabled;
    if (wasEnabledAdmin && !(after.admin && !after.disabled)) {
        int admins = 0;
        if (!accountstore::enabledAdmins(ctx, &admins))
            return std::nullopt;
        if (admins <= 1)
            return UserChange {
                ErrorCode::Forbidden, u"the server would be left without an enabled admin"_s, {}};
    }
    change.disabledChanged = after.disabled != before->disabled;
    change.adminChanged = after.admin != before->admin;
    if (change.disabledChanged) {
        // Disabling signs the account out everywhere, as the operator's disable-user does.
        if (!accountstore::setDisabled(ctx, target, after.disabled)
            || (after.disabled && !accountstore::deleteUserTokens(ctx, target))
            || !auditstore::append(
                ctx, actor, after.disabled ? u"disable_user"_s : u"enable_user"_s, after.name))
            return std::nullopt;
    }
    if (change.adminChanged) {
        if (!accountstore::setAdmin(ctx, target, after.admin)
            || !auditstore::append(
                ctx, actor, after.admin ? u"grant_admin"_s : u"revoke_admin"_s, after.name))
            return std::nullopt;
    }
    after.passwordHash.clear();
    change.user = after;
    return change;
}
} // namespace

Administration::Administration(ServerConfig &config, StorageWriter &writer, StatementCache &reader,
    Fanout &fanout, Ranks &ranks, SessionCache &sessions)
    : m_config(config)
    , m_writer(writer)
    , m_reader(reader)
    , m_fanout(fanout)
    , m_ranks(ranks)
    , m_sessions(sessions)
{ }

void Administration::loadSettings()
{
    const std::optional<QString> stored
        = serversettings::value(m_reader, serversettings::RegistrationKey);
    if (!stored)
        return;
    if (const auto policy = registrationPolicyFromName(*stored)) {
        if (*policy != m_config.registration)
            qCInfo(lcAdmin) << "registration is" << *stored
                            << "as set from the app, not as in the configuration";
        m_config.registration = *policy;
    } else {
        qCWarning(lcAdmin) << "ignoring the stored registration mode" << *stored;
    }
}

bool Administration::requireAdmin(Peer *peer, const protocol::Request &r) const
{
    if (m_ranks.isAdmin(peer->userId()))
        return true;
    peer->fail(r.id, ErrorCode::Forbidden, u"only admins may do this"_s);
    return false;
}

protocol::UserEntry Administration::entry(const UserRecord &user, bool adminView) const
{
    protocol::UserEntry e;
    e.user = user.name;
    e.online = m_fanout.isOnlineAnywhere(user.id);
    e.adminView = adminView;
    if (adminView) {
        e.admin = user.admin;
        e.disabled = user.disabled;
        e.createdAt = user.createdMs;
    }
    return e;
}

int Administration::pageLimit(int requested) const
{
    return std::clamp(requested, 1, m_config.limits.historyPageMax);
}

void Administration::handleUsers(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::Users>();
    const bool admin = m_ranks.isAdmin(peer->userId());
    const QList<UserRecord> found
        = accountstore::searchUsers(m_reader, request.query, pageLimit(request.limit), admin);
    protocol::UserList list;
    for (const UserRecord &u : found) {
        protocol::UserEntry e = entry(u, admin);
        // Fresh from the reader: a page is small, and the row was just read anyway.
        const ProfileRecord p = profilestore::profile(m_reader, u.id).value_or(ProfileRecord {});
        e.profile = protocol::Profile {u.name, p.displayName, p.status, p.avatar};
        list.users.append(e);
    }
    peer->reply(r.id, list.toJson());
}

void Administration::handleSetUser(Peer *peer, const protocol::Request &r)
{
    const auto &request = r.as<protocol::body::SetUser>();
    if (!request.disabled && !request.admin)
        return peer->fail(r.id, ErrorCode::BadRequest, u"give 'disabled' or 'admin'"_s,
            protocol::frames::offendingField(u"disabled"_s));
    if (!requireAdmin(peer, r))
        return;
    const std::optional<UserRecord> target = accountstore::userByName(m_reader, request.user);
    if (!target)
        return peer->fail(r.id, ErrorCode::NotFound, u"no user %1"_s.arg(request.user));
    if (target->id == peer->userId())
        return peer->fail(r.id, ErrorCode::Forbidden, u"you cannot change your own account"_s);
    const qint64 actor = peer->userId();
    const QString actorName = peer->userName();
    const qint64 targetId = target->id;
    writeFor<UserChange>(
        m_writer, peer, r.id,
        [actor, request, targetId](
            WriteContext &ctx) { return changeUser(ctx, actor, request, targetId); },
        // Disabling ends the target's tokens: none is answered from memory meanwhile.
        [this, id = r.id, actorName, targetId, revoking = m_sessions.revoking(targetId)](
            Peer *p, const UserChange &change) {
            if (change.refusal) {
                if (p)
                    p->fail(id, *change.refusal, change.message);
                return;
            }
            // Only enabled admins rank as admins: disabling one demotes them in Ranks too.
            if (change.adminChanged || change.disabledChanged)
                m_ranks.setAdmin(targetId, change.user.admin && !change.user.disabled);
            if (change.adminChanged) {
                qCInfo(lcAdmin) << actorName
                                << (change.user.admin ? "made an admin:" : "revoked admin from")
                                << change.user.name;
            }
            if (change.disabledChanged) {
                qCInfo(lcAdmin) << actorName << (change.user.disabled ? "disabled" : "enabled")
                                << change.user.name;
                if (change.user.disabled)
                    m_fanout.closeUser(targetId, {}, u"account disabled by an admin"_s);
            }
            if (p)
                p->reply(id, protocol::UserResult {entry(change.user, true)}.toJson());
        });
}

void Administration::handleServerSettings(Peer *peer, const protocol::Request &r)
{
    if (!requireAdmin(peer, r))
        return;
    peer->reply(
        r.id, protocol::ServerSettings {registrationPolicyName(m_config.registration)}.toJson());
}

void Administration::handleSetServerSettings(Peer *peer, const protocol::Request &r)
{
    if (!requireAdmin(peer, r))
        return;
    const QString mode = QString(protocol::RegistrationModeNames.toName(
        r.as<protocol::body::SetServerSettings>().registration));
    const std::optional<RegistrationPolicy> policy = registrationPolicyFromName(mode);
    if (!policy)
        return peer->fail(r.id, ErrorCode::Internal, u"unknown registration mode"_s);
    const qint64 actor = peer->userId();
    const QString actorName = peer->userName();
    writeFor<bool>(
        m_writer, peer, r.id,
        [actor, mode](WriteContext &ctx) -> std::optional<bool> {
            bool admin = false;
            if (!stillAdmin(ctx, actor, &admin))
                return std::nullopt;
            if (!admin)
                return false;
            if (!serversettings::setValue(ctx, serversettings::RegistrationKey, mode)
                || !auditstore::append(ctx, actor, u"set_registration"_s, mode))
                return std::nullopt;
            return true;
        },
        [this, id = r.id, actorName, mode, policy = *policy](Peer *p, bool done) {
            if (!done) {
                if (p)
                    p->fail(id, ErrorCode::Forbidden, u"only admins may do this"_s);
                return;
            }
            m_config.registration = policy;
            if (m_settingsChanged)
                m_settingsChanged();
            qCInfo(lcAdmin) << actorName << "set registration to" << mode;
            if (p)
                p->reply(id, protocol::ServerSettings {mode}.toJson());
        });
}

void Administration::handleCreateInvite(Peer *peer, const protocol::Request &r)
{
    if (!requireAdmin(peer, r))
        return;
    const int uses = r.as<protocol::body::CreateInvite>().uses;
    const QString code = tokens::inviteCode();
    const QByteArray hash = tokens::hash(code);
    const qint64 actor = peer->userId();
    const QString actorName = peer->userName();
    writeFor<bool>(
        m_writer, peer, r.id,
        [actor, hash, uses](WriteContext &ctx) -> std::optional<bool> {
            bool admin = false;
            if (!stillAdmin(ctx, actor, &admin))
                return std::nullopt;
            if (!admin)
                return false;
            if (!accountstore::insertInvite(ctx, hash, uses)
                || !auditstore::append(ctx, actor, u"create_invite"_s, QString::number(uses)))
                return std::nullopt;
            return true;
        },
        [id = r.id, actorName, code, uses](Peer *p, bool done) {
            if (!done) {
                if (p)
                    p->fail(id, ErrorCode::Forbidden, u"only admins may do this"_s);
                return;
            }
            // The code itself is never logged: whoever reads the log could register with it.
            qCInfo(lcAdmin) << actorName << "created an invite code for" << uses << "uses";
            if (p)
                p->reply(id, protocol::InviteCode {code, uses}.toJson());
        });
}

void Administration::handleAudit(Peer *peer, const protocol::Request &r)
{
    if (!requireAdmin(peer, r))
        return;
    const auto &request = r.as<protocol::body::Audit>();
    const QList<AuditRecord> records
        = auditstore::page(m_reader, request.before.value_or(0), pageLimit(request.limit));
    protocol::AuditPage page;
    for (const AuditRecord &a : records)
        page.entries.append({a.id, a.ts, a.actor, a.action, a.subject, a.detail});
    peer->reply(r.id, page.toJson());
}

} // namespace confab::server
