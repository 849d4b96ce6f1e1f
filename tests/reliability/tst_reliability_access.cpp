// SPDX-License-Identifier: GPL-3.0-or-later
// Who may do what: every request type against every way of not belonging,
// each cell answered with the code docs/protocol.md documents, and nothing
// from a room reaching anyone outside it.
#include "admin/admincommands.h"
#include "auth/tokens.h"
#include "clientpool.h"
#include "protocol/accountrequests.h"
#include "protocol/fileframe.h"
#include "protocol/results.h"
#include "protocol/teamrequests.h"
#include "rawwebsocket.h"
#include "reliability.h"
#include "testclient.h"
#include "testserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTextStream>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::RequestType;
using protocol::ServerFrame;
using protocol::ServerFrameType;
namespace req = protocol::requests;

namespace {
const QString Password = u"password-123"_s;

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

const std::pair<Who, const char *> Conditions[] = {
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

// Members of the channel: what they may do there is allowed, so rows check their answers
// rather than that nothing leaks.
bool isMember(Who who)
{
    return who == Who::Muted || who == Who::PlainMember || who == Who::NotAdmin;
}

constexpr RequestType AllTypes[] = {RequestType::Register, RequestType::Login,
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

/*!
 * \brief What docs/protocol.md says the cell must answer: an error code name,
 * "ok" where the request is legitimately allowed (and checked not to leak),
 * "403" where the upgrade itself is refused.
 */
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

struct AdminResult
{
    int exit = -1;
    QString out;
};
} // namespace

class TestReliabilityAccess : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    std::unique_ptr<test::TestClient> m_listener;
    std::unique_ptr<test::TestClient> m_owner;
    std::unique_ptr<test::TestClient> m_friend;
    qint64 m_channel = 0;
    qint64 m_direct = 0;
    qint64 m_channelFile = 0;
    qint64 m_directFile = 0;
    qint64 m_ownerUpload = 0;
    qint64 m_ownerSession = 0; //!< the owner's first session (§18.1), for revoke_session rows
    QString m_revokedToken;
    QString m_expiredToken;
    QString m_disabledToken;
    int m_row = 0;

    AdminResult admin(const QStringList &args)
    {
        QString none;
        AdminResult r;
        QString err;
        QTextStream in(&none, QIODevice::ReadOnly);
        QTextStream out(&r.out, QIODevice::WriteOnly);
        QTextStream errs(&err, QIODevice::WriteOnly);
        r.exit = server::admin::run(m_server->config(), args, in, out, errs);
        return r;
    }
    std::unique_ptr<test::TestClient> connected()
    {
        auto c = std::make_unique<test::TestClient>();
        return c->open(m_server->url()) ? std::move(c) : nullptr;
    }
    static bool ok(const std::optional<ServerFrame> &f)
    {
        return f && f->type == ServerFrameType::Result;
    }
    /*! \brief The HTTP status line of an upgrade request from \a origin. */
    QByteArray upgradeStatus(const QString &origin)
    {
        const quint16 port = m_server->server()->port();
        test::RawWebSocket s;
        if (!s.connectTcp(port))
            return {};
        s.sendUpgrade(port, {}, {{"Origin", origin.toUtf8()}});
        s.waitResponse();
        return s.statusLine();
    }
    protocol::OutgoingRequest requestFor(RequestType t, Who who, const QString &user)
    {
        const qint64 room = who == Who::DirectOutsider ? m_direct : m_channel;
        const QString tag = u"row%1"_s.arg(++m_row);
        switch (t) {
        case RequestType::Register:
            return req::registerAccount(u"owner"_s, Password);
        case RequestType::Login:
            return req::login(user, who == Who::NotSignedIn ? u"wrong-password"_s : Password);
        case RequestType::Authenticate:
            return req::authenticate(who == Who::NotSignedIn ? u"no-such-token"_s : tokenOf(who));
        case RequestType::Logout:
            return req::logout();
        case RequestType::LogoutAll:
            return req::logoutAll();
        case RequestType::ListRooms:
            return req::listRooms();
        case RequestType::CreateRoom:
            return req::createRoom(tag);
        case RequestType::Join:
            return req::join(who == Who::Banned ? m_channel : m_direct);
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
            return req::sync({{m_channel, 0}, {m_direct, 0}});
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
            return req::uploadStatus(m_ownerUpload);
        case RequestType::UploadFinish:
            return req::uploadFinish(m_ownerUpload);
        case RequestType::UploadCancel:
            return req::uploadCancel(m_ownerUpload);
        case RequestType::Download:
            return req::download(who == Who::DirectOutsider ? m_directFile : m_channelFile);
        // The team requests (§17): the targets are the owner (outranked by nobody here), the
        // guest (a user in no room) and the channel itself.
        case RequestType::Invite:
            return req::invite(room, u"guest"_s);
        case RequestType::DeclineInvite:
            return req::declineInvite(m_channel);
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
            return req::revokeSession(m_ownerSession);
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
    QString tokenOf(Who who) const
    {
        switch (who) {
        case Who::RevokedToken:
            return m_revokedToken;
        case Who::ExpiredToken:
            return m_expiredToken;
        case Who::DisabledAccount:
            return m_disabledToken;
        default:
            return u"no-such-token"_s;
        }
    }
    static QString userOf(Who who)
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
    /*! \brief Uploads \a bytes as the owner (§16.1); the upload id, or 0. */
    qint64 beginUpload(const QByteArray &bytes)
    {
        const auto begun = m_owner->request(req::uploadBegin(u"note.txt"_s, bytes.size()));
        if (!ok(begun))
            return 0;
        const qint64 upload = qint64(begun->data().value("upload"_L1).toDouble());
        m_owner->socket().sendBinaryMessage(protocol::encodeFileFrame(
            {protocol::FileFrameKind::UploadChunk, quint64(upload), 0, bytes}));
        return upload;
    }
    /*! \brief A file of the owner's, attached to a message in \a room; its id, or 0. */
    qint64 sharedFile(qint64 room, const QByteArray &bytes)
    {
        const auto finished = m_owner->request(req::uploadFinish(beginUpload(bytes)));
        if (!ok(finished))
            return 0;
        const qint64 file
            = qint64(finished->data().value("file"_L1).toObject().value("id"_L1).toDouble());
        const auto sent
            = m_owner->request(req::send(room, u"file%1"_s.arg(file), u"have a look"_s, 0, {file}));
        return ok(sent) ? file : 0;
    }
    /*! \brief Activity a non-member could overhear: events, typing, presence, topic. */
    void makeNoise()
    {
        static int round = 0;
        ++round;
        QVERIFY(ok(m_owner->request(req::send(m_channel, u"noise%1"_s.arg(round), u"psst"_s))));
        QVERIFY(ok(m_owner->request(req::send(m_direct, u"dnoise%1"_s.arg(round), u"secret"_s))));
        QVERIFY(ok(m_owner->request(req::typing(m_channel, true))));
        QVERIFY(ok(m_owner->request(req::typing(m_direct, true))));
        QVERIFY(ok(m_owner->request(req::setTopic(m_channel, u"topic %1"_s.arg(round)))));
        m_friend->disconnectNow(); // presence offline, then online
        m_friend = connected();
        QVERIFY(m_friend && m_friend->login(u"friend"_s));
        // Presence is batched: once the owner has heard that the friend is back, the
        // frame that would leak went out to every recipient in the same pass.
        QVERIFY(m_owner->waitPush([](const protocol::ServerFrame &f) {
            return f.type == protocol::ServerFrameType::Presence
                && f.body.value("online"_L1).toArray().contains(u"friend"_s);
        }));
    }
    void checkListenerHeardNothing()
    {
        // Replies come in order on one connection; once this ping is answered, anything
        // broadcast before it has been delivered.
        QVERIFY(ok(m_listener->request(req::ping())));
        // Channel directory entries go to everyone signed in (protocol §6.6): what
        // list_rooms shows anyone is no leak. Nothing else may arrive, and never a
        // direct room.
        const auto listing = m_listener->request(req::listRooms());
        QVERIFY(ok(listing));
        const auto listed = protocol::Directory::fromJson(listing->data());
        QVERIFY(listed);
        QList<protocol::ServerFrame> pushes;
        for (const auto &f : m_listener->pushes()) {
            const auto entry = f.directoryEntry();
            const bool isPublic = entry && entry->id != m_direct && !entry->joined
                && std::any_of(listed->rooms.begin(), listed->rooms.end(),
                    [&](const auto &e) { return e.id == entry->id && e.name == entry->name; });
            if (!isPublic)
                pushes.append(f);
        }
        QVERIFY2(pushes.isEmpty(),
            pushes.isEmpty()
                ? ""
                : QJsonDocument(pushes.first().body).toJson(QJsonDocument::Compact).constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().allowedOrigins = {u"https://chat.example"_s};
        QVERIFY(m_server->start());
        QCOMPARE(upgradeStatus(u"https://chat.example"_s).left(12), QByteArray("HTTP/1.1 101"));
        m_listener = connected();
        QVERIFY(m_listener && m_listener->registerUser(u"listener"_s));
        m_owner = connected();
        QVERIFY(m_owner && m_owner->registerUser(u"owner"_s));
        const auto sessions = m_owner->request(req::sessions());
        QVERIFY(ok(sessions));
        m_ownerSession = qint64(sessions->data()
                                    .value("sessions"_L1)
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value("id"_L1)
                                    .toDouble());
        QVERIFY(m_ownerSession);
        m_friend = connected();
        QVERIFY(m_friend && m_friend->registerUser(u"friend"_s));
        m_channel = test::createRoom(m_owner.get(), u"club"_s);
        QVERIFY(m_channel);
        QVERIFY(ok(m_friend->request(req::join(m_channel))));
        const auto direct = m_owner->request(req::openDirect(u"friend"_s));
        QVERIFY(ok(direct));
        m_direct = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        m_channelFile = sharedFile(m_channel, "club notes");
        QVERIFY(m_channelFile);
        m_directFile = sharedFile(m_direct, "just us");
        QVERIFY(m_directFile);
        m_ownerUpload = beginUpload("half");
        QVERIFY(m_ownerUpload);

        QVERIFY(m_clients.registered(u"outsider"_s));
        auto *leaver = m_clients.registered(u"leaver"_s);
        QVERIFY(leaver && ok(leaver->request(req::join(m_channel))));
        QVERIFY(ok(leaver->request(req::leave(m_channel))));

        auto *revoked = m_clients.registered(u"revoked"_s);
        QVERIFY(revoked);
        m_revokedToken = revoked->token();
        QVERIFY(ok(revoked->request(req::logout())));

        auto *expired = m_clients.registered(u"expired"_s);
        QVERIFY(expired);
        m_expiredToken = expired->token();
        {
            test::SqliteFile file(m_server->databasePath());
            QSqlQuery q(file.db());
            QVERIFY(q.prepare(u"UPDATE tokens SET expires_ms = ? WHERE hash = ?"_s));
            q.addBindValue(QDateTime::currentMSecsSinceEpoch() - 1);
            q.addBindValue(server::tokens::hash(m_expiredToken));
            QVERIFY(q.exec());
            QCOMPARE(q.numRowsAffected(), 1);
        }

        auto *disabled = m_clients.registered(u"disabled"_s);
        QVERIFY(disabled);
        m_disabledToken = disabled->token();
        QCOMPARE(admin({u"disable-user"_s, u"disabled"_s}).exit, 0);
        // The running server learns it from admin_log and signs the account out.
        QTRY_COMPARE_WITH_TIMEOUT(disabled->closeCode(), 4001, 5000);
        QCOMPARE(disabled->socket().closeReason(), u"signed out by the operator"_s);

        // The ways of not belonging of §17, each made by the owner.
        QVERIFY(m_clients.registered(u"guest"_s));
        QVERIFY(m_clients.registered(u"invited"_s));
        QVERIFY(ok(m_owner->request(req::invite(m_channel, u"invited"_s))));
        for (const QString &name :
            {u"banned"_s, u"kicked"_s, u"muted"_s, u"member"_s, u"moderator"_s}) {
            auto *c = m_clients.registered(name);
            QVERIFY(c && ok(c->request(req::join(m_channel))));
        }
        QVERIFY(ok(m_owner->request(req::ban(m_channel, u"banned"_s))));
        QVERIFY(ok(m_owner->request(req::kick(m_channel, u"kicked"_s))));
        QVERIFY(ok(m_owner->request(req::mute(m_channel, u"muted"_s))));
        QVERIFY(ok(m_owner->request(
            req::setRole(m_channel, u"moderator"_s, protocol::RoomRole::Moderator))));

        m_clients.clear();
        makeNoise();
        checkListenerHeardNothing();
    }

    void everyRequestUnderEveryCondition_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("who");
        QTest::addColumn<QString>("expect");
        for (const auto &[who, label] : Conditions) {
            for (const RequestType t : AllTypes) {
                QTest::addRow("%s / %s", protocol::requestTypeName(t).data(), label)
                    << int(t) << int(who) << expected(t, who);
            }
        }
    }
    void everyRequestUnderEveryCondition()
    {
        QFETCH(int, type);
        QFETCH(int, who);
        QFETCH(QString, expect);
        const auto t = RequestType(type);
        const auto w = Who(who);

        if (w == Who::ForeignOrigin) {
            // The page never gets a WebSocket, so it cannot send anything at all.
            QCOMPARE(upgradeStatus(u"https://evil.example"_s).left(12), QByteArray("HTTP/1.1 403"));
            return;
        }
        auto c = connected();
        QVERIFY(c);
        const QString user = userOf(w);
        switch (w) {
        case Who::NonMember:
        case Who::DirectOutsider:
        case Who::LeftMember:
        case Who::Invited:
        case Who::Banned:
        case Who::Kicked:
        case Who::Muted:
        case Who::PlainMember:
        case Who::NotAdmin:
            // A fresh password sign-in per row: logout rows revoke what they use.
            QVERIFY(c->login(user));
            break;
        case Who::RevokedToken:
        case Who::ExpiredToken:
        case Who::DisabledAccount: {
            const auto refused = c->request(req::authenticate(tokenOf(w)));
            QVERIFY(refused && refused->type == ServerFrameType::Error);
            QCOMPARE(refused->error, ErrorCode::InvalidToken);
            break;
        }
        default:
            break;
        }

        const auto reply = c->request(requestFor(t, w, user), 15000);
        QVERIFY2(reply, "no reply");
        const QString got = reply->type == ServerFrameType::Result
            ? u"ok"_s
            : protocol::errorCodeName(reply->error);
        QCOMPARE(got, expect);

        if (isMember(w)) {
            // A member who left is a member again for the next rows, in the same role; the
            // mute stays (§17.4).
            if (t == RequestType::Leave) {
                QVERIFY(ok(c->request(req::join(m_channel))));
                if (w == Who::NotAdmin)
                    QVERIFY(ok(m_owner->request(
                        req::setRole(m_channel, user, protocol::RoomRole::Moderator))));
            }
            // The channel is theirs to see; the direct room is not.
            for (const auto &p : c->pushes()) {
                const auto e = p.roomEvent();
                QVERIFY(!e || e->room != m_direct);
            }
            return;
        }
        // Allowed cells must not reveal the room either.
        if (t == RequestType::Sync && got == "ok"_L1) {
            const QJsonObject data = reply->data();
            for (const auto &entry : data.value("rooms"_L1).toArray()) {
                const qint64 id = qint64(
                    entry.toObject().value("room"_L1).toObject().value("id"_L1).toDouble());
                QVERIFY(id != m_channel && id != m_direct);
            }
            const QJsonArray left = data.value("left"_L1).toArray();
            QVERIFY(left.contains(double(m_channel)) && left.contains(double(m_direct)));
        }
        if (t == RequestType::ListRooms && got == "ok"_L1) {
            for (const auto &r : reply->data().value("rooms"_L1).toArray()) {
                QVERIFY(qint64(r.toObject().value("id"_L1).toDouble()) != m_direct);
                if (qint64(r.toObject().value("id"_L1).toDouble()) == m_channel)
                    QCOMPARE(r.toObject().value("joined"_L1).toBool(), false);
            }
        }
        if ((t == RequestType::Logout || t == RequestType::LogoutAll) && got == "ok"_L1)
            QTRY_COMPARE_WITH_TIMEOUT(c->closeCode(), 4001, 2000);
        // Nothing of the room arrived on this connection either.
        for (const auto &p : c->pushes()) {
            const auto e = p.roomEvent();
            QVERIFY(!e || (e->room != m_channel && e->room != m_direct));
            QVERIFY(p.type != ServerFrameType::Typing && p.type != ServerFrameType::Presence);
        }
    }

    void listeningNonMemberReceivesNothing()
    {
        makeNoise();
        checkListenerHeardNothing();
        QVERIFY(m_listener->isConnected());
    }

    void signingOutClosesThatSessionAtOnce()
    {
        auto *a1 = m_clients.registered(u"multi"_s);
        QVERIFY(a1);
        auto *a2 = m_clients.signedIn(a1->token());
        auto *b = m_clients.connectClient();
        QVERIFY(a2 && b && b->login(u"multi"_s));
        auto *c = m_clients.connectClient();
        QVERIFY(c && c->login(u"multi"_s));

        // logout: every connection of that token, none of the others.
        QVERIFY(ok(a1->request(req::logout())));
        QTRY_COMPARE_WITH_TIMEOUT(a1->closeCode(), 4001, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(a2->closeCode(), 4001, 2000);
        QCOMPARE(a2->socket().closeReason(), u"signed out"_s);
        QVERIFY(ok(b->request(req::ping())));
        QVERIFY(ok(c->request(req::ping())));

        // logout_all: every connection of the user.
        QVERIFY(ok(b->request(req::logoutAll())));
        QTRY_COMPARE_WITH_TIMEOUT(b->closeCode(), 4001, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(c->closeCode(), 4001, 2000);
        QCOMPARE(c->socket().closeReason(), u"signed out everywhere"_s);
        for (const QString &token : {a1->token(), b->token(), c->token()}) {
            auto *probe = m_clients.connectClient();
            QVERIFY(probe);
            const auto r = probe->request(req::authenticate(token));
            QVERIFY(r && r->type == ServerFrameType::Error);
            QCOMPARE(r->error, ErrorCode::InvalidToken);
        }
        m_clients.clear();
    }

    void cleanupTestCase()
    {
        m_clients.clear();
        m_listener.reset();
        m_owner.reset();
        m_friend.reset();
        m_server.reset();
    }
};

CONFAB_SERVER_TEST_MAIN(TestReliabilityAccess)
#include "tst_reliability_access.moc"
