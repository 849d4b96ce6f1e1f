// SPDX-License-Identifier: GPL-3.0-or-later
#include "admin/admincommands.h"

#include "admin/filecommands.h"
#include "auth/passwordhasher.h"
#include "auth/tokens.h"
#include "core/logging.h"
#include "protocol/limits.h"
#include "protocol/textrules.h"
#include "storage/accountstore.h"
#include "storage/auditstore.h"
#include "storage/roomstore.h"
#include "storage/standalonewrite.h"
#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace confab::server::admin {

namespace {
const QString Connection = u"confab-admin"_s;

enum Exit
{
    Ok = 0,
    Failed = 1,
    Usage = 2,
    Database = 4
};

struct Session
{
    QTextStream &in;
    QTextStream &out;
    QTextStream &err;
    WriteContext &ctx;
    StatementCache &reads;
    const ServerConfig &config;
    std::function<void()> afterCommit; //!< runs once the command's changes are committed
};

QString readPassword(Session &s)
{
    s.err << "password (read from standard input): " << Qt::flush;
    return s.in.readLine();
}

std::optional<UserRecord> existingUser(Session &s, const QString &name)
{
    auto user = accountstore::userByName(s.reads, name);
    if (!user)
        s.err << "no user named " << name << Qt::endl;
    return user;
}

int addUser(Session &s, const QStringList &a)
{
    if (a.size() != 1 || !protocol::isValidUsername(a[0])) {
        s.err << "usage: add-user NAME   (letters, digits, _ . -; password on stdin)" << Qt::endl;
        return Usage;
    }
    if (accountstore::userByName(s.reads, a[0])) {
        s.err << "user " << a[0] << " exists" << Qt::endl;
        return Failed;
    }
    // A deleted account's name stays taken (§18.1): userByName does not find it.
    bool taken = false;
    if (!accountstore::nameTaken(s.ctx, a[0], &taken))
        return Failed;
    if (taken) {
        s.err << "name taken: " << a[0] << " belonged to a deleted account, and stays reserved"
              << Qt::endl;
        return Failed;
    }
    const QString password = readPassword(s);
    if (password.size() < protocol::MinPasswordLength) {
        s.err << "password needs at least " << protocol::MinPasswordLength << " characters"
              << Qt::endl;
        return Failed;
    }
    qint64 id = 0;
    if (!accountstore::insertUser(s.ctx, a[0], passwords::hash(password), &id))
        return Failed;
    s.out << "added user " << a[0] << Qt::endl;
    return Ok;
}

int resetPassword(Session &s, const QStringList &a)
{
    if (a.size() != 1) {
        s.err << "usage: reset-password NAME   (new password on stdin)" << Qt::endl;
        return Usage;
    }
    const auto user = existingUser(s, a[0]);
    if (!user)
        return Failed;
    const QString password = readPassword(s);
    if (password.size() < protocol::MinPasswordLength) {
        s.err << "password needs at least " << protocol::MinPasswordLength << " characters"
              << Qt::endl;
        return Failed;
    }
    // A reset is usually a response to a compromise: every session ends too.
    if (!accountstore::setPasswordHash(s.ctx, user->id, passwords::hash(password))
        || !accountstore::deleteUserTokens(s.ctx, user->id)
        || !accountstore::logAdminAction(s.ctx, u"revoke_user"_s, user->id))
        return Failed;
    s.out << "password reset; " << user->name << " is signed out everywhere" << Qt::endl;
    return Ok;
}

int setDisabled(Session &s, const QStringList &a, bool disabled)
{
    if (a.size() != 1) {
        s.err << "usage: " << (disabled ? "disable-user" : "enable-user") << " NAME" << Qt::endl;
        return Usage;
    }
    const auto user = existingUser(s, a[0]);
    if (!user)
        return Failed;
    // The audit log's actor 0 is the operator's shell (§17.5).
    if (!accountstore::setDisabled(s.ctx, user->id, disabled)
        || !auditstore::append(
            s.ctx, 0, disabled ? u"disable_user"_s : u"enable_user"_s, user->name))
        return Failed;
    if (disabled
        && (!accountstore::deleteUserTokens(s.ctx, user->id)
            || !accountstore::logAdminAction(s.ctx, u"revoke_user"_s, user->id)))
        return Failed;
    // A running server ranks an enabled admin as admin again.
    if (!disabled && !accountstore::logAdminAction(s.ctx, u"enable_user"_s, user->id))
        return Failed;
    s.out << user->name << (disabled ? " disabled and signed out" : " enabled") << Qt::endl;
    return Ok;
}

int setAdmin(Session &s, const QStringList &a)
{
    if (a.size() != 2 || (a[1] != "on"_L1 && a[1] != "off"_L1)) {
        s.err << "usage: set-admin NAME on|off" << Qt::endl;
        return Usage;
    }
    const auto user = existingUser(s, a[0]);
    if (!user)
        return Failed;
    const bool admin = a[1] == "on"_L1;
    if (user->admin == admin) {
        s.out << user->name << (admin ? " is already an admin" : " is not an admin") << Qt::endl;
        return Ok;
    }
    // The running server keeps the admins in memory: admin_log tells it to read this one again.
    if (!accountstore::setAdmin(s.ctx, user->id, admin)
        || !auditstore::append(s.ctx, 0, admin ? u"grant_admin"_s : u"revoke_admin"_s, user->name)
        || !accountstore::logAdminAction(s.ctx, u"set_admin"_s, user->id))
        return Failed;
    int admins = 0;
    if (!accountstore::enabledAdmins(s.ctx, &admins))
        return Failed;
    s.out << user->name << (admin ? " is now an admin" : " is no longer an admin") << Qt::endl;
    // The operator may leave the server without one (the shell can always grant it again), but
    // is told: nobody can run the server from the app meanwhile.
    if (admins == 0)
        s.err << "note: no enabled account is an admin now" << Qt::endl;
    return Ok;
}

int createRoom(Session &s, const QStringList &a)
{
    if (a.isEmpty() || a.size() > 2 || a[0].trimmed().isEmpty()
        || a[0].size() > protocol::MaxRoomNameLength || protocol::hasControlCharacter(a[0])) {
        s.err << "usage: create-room NAME [TOPIC]" << Qt::endl;
        return Usage;
    }
    const QString name = a[0].trimmed();
    const QString topic = a.value(1);
    bool taken = false;
    if (!roomstore::channelNameTaken(s.ctx, name, &taken))
        return Failed;
    if (taken) {
        s.err << "a channel named " << name << " exists" << Qt::endl;
        return Failed;
    }
    // The create event needs a sender: the oldest account stands in for the operator.
    std::optional<UserRecord> oldest;
    if (!accountstore::oldestUser(s.ctx, &oldest))
        return Failed;
    if (!oldest) {
        s.err << "add a user first: a room's first event needs an author" << Qt::endl;
        return Failed;
    }
    const qint64 author = oldest->id;
    const QString authorName = oldest->name;
    qint64 id = 0;
    protocol::RoomEvent created;
    created.kind = protocol::EventKind::Create;
    created.sender = authorName;
    created.text = name;
    created.topic = topic;
    if (!roomstore::insertRoom(s.ctx, RoomKind::Channel, name, topic, {}, &id))
        return Failed;
    created.room = id;
    if (!s.ctx.appendEvent(created, author) || !accountstore::logAdminAction(s.ctx, u"room"_s, id))
        return Failed;
    s.out << "created channel " << name << " (id " << id << ")" << Qt::endl;
    return Ok;
}

int listUsers(Session &s, const QStringList &a)
{
    if (!a.isEmpty()) {
        s.err << "usage: list-users" << Qt::endl;
        return Usage;
    }
    const auto users = accountstore::allUsers(s.reads);
    // Deleted accounts are listed, marked: their names stay taken and their messages stay.
    for (const UserRecord &u : users) {
        s.out << u.name
              << (u.deleted           ? "\tdeleted"
                         : u.disabled ? "\tdisabled"
                                      : "\tactive")
              << Qt::endl;
    }
    return Ok;
}

int createInvite(Session &s, const QStringList &a)
{
    bool ok = true;
    const int uses = a.isEmpty() ? 1 : a[0].toInt(&ok);
    if (!ok || uses < 1 || a.size() > 1) {
        s.err << "usage: create-invite [USES]" << Qt::endl;
        return Usage;
    }
    const QString code = tokens::inviteCode();
    if (!accountstore::insertInvite(s.ctx, tokens::hash(code), uses)
        || !auditstore::append(s.ctx, 0, u"create_invite"_s, QString::number(uses)))
        return Failed;
    s.out << code << Qt::endl;
    return Ok;
}

using Command = std::function<int(Session &, const QStringList &)>;
const QList<std::pair<QString, Command>> &commands()
{
    static const QList<std::pair<QString, Command>> list {
        {u"add-user"_s, addUser},
        {u"reset-password"_s, resetPassword},
        {u"disable-user"_s,
            [](Session &s, const QStringList &a) { return setDisabled(s, a, true); }},
        {u"enable-user"_s,
            [](Session &s, const QStringList &a) { return setDisabled(s, a, false); }},
        {u"set-admin"_s, setAdmin},
        {u"create-room"_s, createRoom},
        {u"list-users"_s, listUsers},
        {u"create-invite"_s, createInvite},
        {u"files"_s,
            [](Session &s, const QStringList &a) {
                return filesCommand(s.config, a, s.ctx, s.reads, s.out, s.err, &s.afterCommit);
            }},
    };
    return list;
}
} // namespace

QStringList commandNames()
{
    QStringList names;
    for (const auto &c : commands())
        names.append(c.first);
    return names;
}

int run(const ServerConfig &config, const QStringList &args, QTextStream &in, QTextStream &out,
    QTextStream &err)
{
    const auto it = std::find_if(commands().begin(), commands().end(),
        [&](const auto &c) { return c.first == args.value(0); });
    if (it == commands().end()) {
        err << "unknown command " << args.value(0) << Qt::endl;
        return Usage;
    }
    if (!passwords::initialize() || !QDir().mkpath(config.dataDir)) {
        err << "cannot prepare data folder " << config.dataDir << Qt::endl;
        return Database;
    }
    StandaloneWrite write(Connection);
    QString error;
    if (!write.begin(config.databaseLocation(), config.durability, &error)) {
        err << error << Qt::endl;
        return Database;
    }
    Session session {in, out, err, write.context(), write.reads(), config, {}};
    const int code = it->second(session, args.mid(1));
    if (code == Ok && !write.commit(&error)) {
        err << "could not save: " << error << Qt::endl;
        return Database;
    }
    if (code == Ok && session.afterCommit)
        session.afterCommit();
    return code;
}

} // namespace confab::server::admin
