// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON layer under attack, for every request type in the field table
// (shared/protocol/requesttype.h): wrong types, missing and extra fields,
// null, huge strings and numbers, deep nesting. Each frame must get the typed
// error and `field` of docs/protocol.md §3.4 and §4, exactly one reply, and
// the connection must keep working.
#include "protocol/limits.h"
#include "protocol/requesttype.h"
#include "protocol/roles.h"
#include "protocol/selfservice.h"
#include "rawwebsocket.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::FieldKind;
using protocol::RequestType;

namespace {

constexpr int MaxTextBytes = 2000;

const QList<RequestType> AllTypes {RequestType::Register, RequestType::Login,
    RequestType::Authenticate, RequestType::Logout, RequestType::LogoutAll, RequestType::ListRooms,
    RequestType::CreateRoom, RequestType::Join, RequestType::Leave, RequestType::SetTopic,
    RequestType::OpenDirect, RequestType::Send, RequestType::History, RequestType::Sync,
    RequestType::MarkRead, RequestType::Typing, RequestType::Members, RequestType::Ping,
    RequestType::UploadBegin, RequestType::UploadStatus, RequestType::UploadFinish,
    RequestType::UploadCancel};

bool isString(FieldKind k)
{
    switch (k) {
    case FieldKind::Username:
    case FieldKind::Password:
    case FieldKind::Token:
    case FieldKind::InviteCode:
    case FieldKind::Txn:
    case FieldKind::RoomName:
    case FieldKind::Topic:
    case FieldKind::Text:
    case FieldKind::ReactionKey:
    case FieldKind::SearchQuery:
    case FieldKind::FileName:
    case FieldKind::Sha256:
    case FieldKind::Reason:
    case FieldKind::DisplayName:
    case FieldKind::Status:
    case FieldKind::DeviceName:
        return true;
    default:
        return false;
    }
}

// Strings that must be one of a few names (§17.8).
bool isName(FieldKind k)
{
    return k == FieldKind::Role || k == FieldKind::InvitePolicy || k == FieldKind::Registration
        || k == FieldKind::NotifyLevel;
}

bool isInteger(FieldKind k)
{
    return k == FieldKind::Id || k == FieldKind::Seq || k == FieldKind::PageSize
        || k == FieldKind::Timestamp || k == FieldKind::Offset || k == FieldKind::FileSize
        || k == FieldKind::Duration || k == FieldKind::InviteUses;
}

QJsonValue validValue(FieldKind k)
{
    switch (k) {
    case FieldKind::Username:
        return u"ana"_s;
    case FieldKind::Password:
        return u"password-123"_s;
    case FieldKind::Token:
        return u"token"_s;
    case FieldKind::InviteCode:
        return u"invite"_s;
    case FieldKind::Txn:
        return u"t:1"_s;
    case FieldKind::RoomName:
        return u"room"_s;
    case FieldKind::Topic:
        return u"topic"_s;
    case FieldKind::Text:
        return u"hello"_s;
    case FieldKind::Id:
    case FieldKind::PageSize:
        return 1;
    case FieldKind::Seq:
        return 0;
    case FieldKind::Boolean:
        return true;
    case FieldKind::Cursors:
        return QJsonObject();
    case FieldKind::ReactionKey:
        return u"👍"_s;
    case FieldKind::SearchQuery:
        return u"lunch"_s;
    case FieldKind::Timestamp:
    case FieldKind::Offset:
    case FieldKind::FileSize:
        return 0;
    case FieldKind::FileName:
        return u"a.txt"_s;
    case FieldKind::Sha256:
        return QString(protocol::Sha256HexLength, u'a');
    case FieldKind::FileIds:
        return QJsonArray {1};
    case FieldKind::Role:
        return u"member"_s;
    case FieldKind::InvitePolicy:
        return u"members"_s;
    case FieldKind::Registration:
        return u"open"_s;
    case FieldKind::Reason:
        return u"spam"_s;
    case FieldKind::Duration:
    case FieldKind::InviteUses:
        return 60;
    case FieldKind::DisplayName:
        return u"Ana Lima"_s;
    case FieldKind::Status:
        return u"away"_s;
    case FieldKind::DeviceName:
        return u"laptop"_s;
    case FieldKind::NotifyLevel:
        return u"mentions"_s;
    case FieldKind::Usernames:
        return QJsonArray {u"bob"_s};
    }
    return {};
}

// One character more than the rule allows, as a string of that length.
int maxLength(FieldKind k)
{
    switch (k) {
    case FieldKind::Username:
        return protocol::MaxUsernameLength;
    case FieldKind::Password:
        return protocol::MaxPasswordLength;
    case FieldKind::Token:
        return protocol::MaxTokenLength;
    case FieldKind::InviteCode:
    case FieldKind::Txn:
    case FieldKind::RoomName:
        return 64;
    case FieldKind::Topic:
        return protocol::MaxTopicLength;
    case FieldKind::Text:
        return MaxTextBytes;
    case FieldKind::ReactionKey:
        return protocol::MaxReactionKeyLength;
    case FieldKind::SearchQuery:
        return protocol::MaxSearchQueryLength;
    case FieldKind::FileName:
        return protocol::MaxFileNameLength;
    case FieldKind::Sha256:
        return protocol::Sha256HexLength;
    case FieldKind::Reason:
        return protocol::MaxReasonLength;
    case FieldKind::DisplayName:
        return protocol::MaxDisplayNameLength;
    case FieldKind::Status:
        return protocol::MaxStatusLength;
    case FieldKind::DeviceName:
        return protocol::MaxDeviceNameLength;
    default:
        return 0;
    }
}

QJsonValue nested(int depth)
{
    QJsonValue v = 1;
    for (int i = 0; i < depth; ++i)
        v = QJsonArray {v};
    return v;
}

struct Case
{
    QString name;
    QByteArray frame;
    ErrorCode code;
    QString field;
    bool idEchoed = true;
};

} // namespace

class TestHostileJson : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<test::RawWebSocket> m_signedIn;
    std::unique_ptr<test::RawWebSocket> m_anonymous;
    qint64 m_nextId = 1000;

    static QJsonObject base(RequestType type)
    {
        QJsonObject o {{"type"_L1, protocol::requestTypeName(type)}};
        for (const auto &spec : protocol::requestFields(type)) {
            if (spec.required)
                o.insert(spec.name, validValue(spec.kind));
        }
        return o;
    }

    QList<Case> casesFor(RequestType type)
    {
        QList<Case> cases;
        const QString typeName = protocol::requestTypeName(type);
        auto add = [&](const QString &what, QJsonObject o, ErrorCode code, const QString &field) {
            o.insert("id"_L1, double(++m_nextId));
            cases.append({typeName + u": "_s + what,
                QJsonDocument(o).toJson(QJsonDocument::Compact), code, field});
        };
        // §3.4 step 6: a member that is not a field of this type.
        QJsonObject extra = base(type);
        extra.insert("zz_extra"_L1, 1);
        add(u"extra field"_s, extra, ErrorCode::BadRequest, u"zz_extra"_s);
        QJsonObject longExtra = base(type);
        const QString longName(200, u'k');
        longExtra.insert(longName, true);
        add(u"extra field with a long name"_s, longExtra, ErrorCode::BadRequest, longName.left(64));

        for (const auto &spec : protocol::requestFields(type)) {
            const QString field = spec.name;
            auto with = [&](const QJsonValue &v) {
                QJsonObject o = base(type);
                o.insert(spec.name, v);
                return o;
            };
            if (spec.required) {
                QJsonObject missing = base(type);
                missing.remove(spec.name);
                add(field + u" missing"_s, missing, ErrorCode::BadRequest, field);
            }
            add(field + u" null"_s, with(QJsonValue::Null), ErrorCode::BadRequest, field);
            // [1] is a valid list of file ids; [true] is not.
            add(field + u" array"_s,
                with(spec.kind == FieldKind::FileIds ? QJsonArray {true} : QJsonArray {1}),
                ErrorCode::BadRequest, field);
            add(field + u" deeply nested"_s, with(nested(500)), ErrorCode::BadRequest, field);
            if (spec.kind != FieldKind::Cursors)
                add(field + u" object"_s, with(QJsonObject {{"a"_L1, 1}}), ErrorCode::BadRequest,
                    field);
            if (isString(spec.kind)) {
                add(field + u" number"_s, with(5), ErrorCode::BadRequest, field);
                add(field + u" boolean"_s, with(true), ErrorCode::BadRequest, field);
                add(field + u" one too long"_s, with(QString(maxLength(spec.kind) + 1, u'a')),
                    ErrorCode::TooLarge, field);
                add(field + u" huge"_s, with(QString(60'000, u'a')), ErrorCode::TooLarge, field);
                add(field + u" lone surrogate"_s, with(QString(QChar(0xd800))),
                    ErrorCode::BadRequest, field);
            }
            if (isInteger(spec.kind)) {
                add(field + u" string"_s, with(u"1"_s), ErrorCode::BadRequest, field);
                add(field + u" boolean"_s, with(true), ErrorCode::BadRequest, field);
                add(field + u" fraction"_s, with(1.5), ErrorCode::BadRequest, field);
                add(field + u" negative"_s, with(-1), ErrorCode::BadRequest, field);
                add(field + u" 2^53"_s, with(9007199254740992.0), ErrorCode::BadRequest, field);
                add(field + u" 1e300"_s, with(1e300), ErrorCode::BadRequest, field);
            }
            if (isName(spec.kind)) {
                add(field + u" number"_s, with(5), ErrorCode::BadRequest, field);
                add(field + u" unknown name"_s, with(u"overlord"_s), ErrorCode::BadRequest, field);
                add(field + u" wrong case"_s, with(validValue(spec.kind).toString().toUpper()),
                    ErrorCode::BadRequest, field);
            }
            if (spec.kind == FieldKind::Boolean) {
                add(field + u" 1"_s, with(1), ErrorCode::BadRequest, field);
                add(field + u" \"true\""_s, with(u"true"_s), ErrorCode::BadRequest, field);
            }
            if (spec.kind == FieldKind::Cursors) {
                add(field + u" key 01"_s, with(QJsonObject {{"01"_L1, 1}}), ErrorCode::BadRequest,
                    field);
                add(field + u" value -1"_s, with(QJsonObject {{"1"_L1, -1}}), ErrorCode::BadRequest,
                    field);
                QJsonObject many;
                for (int i = 1; i <= protocol::MaxSyncRooms + 1; ++i)
                    many.insert(QString::number(i), 0);
                add(field + u" 10001 rooms"_s, with(many), ErrorCode::TooLarge, field);
            }
        }
        return cases;
    }

    // Sends every case on \a s and checks each reply; returns the number checked.
    int runCases(test::RawWebSocket &s, const QList<Case> &cases)
    {
        for (const Case &c : cases)
            s.sendText(c.frame);
        int checked = 0;
        for (const Case &c : cases) {
            const QJsonValue id = QJsonDocument::fromJson(c.frame).object().value("id"_L1);
            const auto reply = s.waitReply(id, 10'000);
            if (!reply) {
                qWarning() << "no reply:" << c.name;
                return -1;
            }
            if (reply->type != protocol::ServerFrameType::Error || reply->error != c.code
                || reply->body.value("field"_L1).toString() != c.field) {
                qWarning() << c.name << "got" << reply->body;
                return -1;
            }
            ++checked;
        }
        return checked;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.maxTextBytes = MaxTextBytes;
        m_server->config().limits.maxFrameBytes = 128 * 1024;
        m_server->config().limits.rateBurst = 100'000;
        m_server->config().limits.ratePerSecond = 100'000;
        QVERIFY(m_server->start());
        test::TestClient ana;
        QVERIFY(ana.open(m_server->url()));
        QVERIFY(ana.registerUser(u"ana"_s));
        m_signedIn = std::make_unique<test::RawWebSocket>();
        QVERIFY(m_signedIn->open(m_server->server()->port()));
        const auto auth = m_signedIn->request(protocol::requests::authenticate(ana.token()), 1);
        QVERIFY(auth && auth->type == protocol::ServerFrameType::Result);
        m_anonymous = std::make_unique<test::RawWebSocket>();
        QVERIFY(m_anonymous->open(m_server->server()->port()));
    }

    void cleanupTestCase()
    {
        m_signedIn.reset();
        m_anonymous.reset();
        m_server.reset();
    }

    void everyTypeRefusesMalformedFields_data()
    {
        QTest::addColumn<int>("type");
        for (RequestType t : AllTypes)
            QTest::newRow(protocol::requestTypeName(t).data()) << int(t);
    }

    void everyTypeRefusesMalformedFields()
    {
        QFETCH(int, type);
        const auto cases = casesFor(RequestType(type));
        QVERIFY(!cases.isEmpty());
        // Validation (§3.4 step 2) comes before the session check (step 5), so a
        // connection that is not signed in gets the same answers.
        QCOMPARE(runCases(*m_signedIn, cases), cases.size());
        QCOMPARE(runCases(*m_anonymous, casesFor(RequestType(type))), cases.size());
        QVERIFY(m_signedIn->isConnected() && m_anonymous->isConnected());
    }

    void framesThatAreNotRequests_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("idNull");
        const auto bf = int(ErrorCode::BadFrame);
        const auto br = int(ErrorCode::BadRequest);
        QTest::newRow("not json") << QByteArray("{\"id\":1,") << bf << QString() << true;
        QTest::newRow("empty") << QByteArray("") << bf << QString() << true;
        QTest::newRow("array") << QByteArray("[{\"id\":1,\"type\":\"ping\"}]") << bf << QString()
                               << true;
        QTest::newRow("string") << QByteArray("\"ping\"") << bf << QString() << true;
        QTest::newRow("null") << QByteArray("null") << bf << QString() << true;
        // Qt's parser stops at 1024 levels (too deep for any stack to matter).
        QTest::newRow("nesting 5000 deep") << QByteArray("{\"id\":1,\"type\":\"ping\",\"x\":"
            + QByteArray(5000, '[') + QByteArray(5000, ']') + "}")
                                           << bf << QString() << true;
        QTest::newRow("no id") << QByteArray("{\"type\":\"ping\"}") << br << u"id"_s << true;
        QTest::newRow("id null") << QByteArray("{\"id\":null,\"type\":\"ping\"}") << br << u"id"_s
                                 << true;
        QTest::newRow("id object")
            << QByteArray("{\"id\":{},\"type\":\"ping\"}") << br << u"id"_s << true;
        QTest::newRow("id 65 chars")
            << QByteArray("{\"id\":\"" + QByteArray(65, 'i') + "\",\"type\":\"ping\"}") << br
            << u"id"_s << true;
        QTest::newRow("id 1e300") << QByteArray("{\"id\":1e300,\"type\":\"ping\"}") << br << u"id"_s
                                  << true;
        QTest::newRow("id negative")
            << QByteArray("{\"id\":-5,\"type\":\"ping\"}") << br << u"id"_s << true;
        // Beyond a double's range: Qt's parser calls that not JSON.
        QTest::newRow("id huge number literal")
            << QByteArray("{\"id\":" + QByteArray(5000, '9') + ",\"type\":\"ping\"}") << bf
            << QString() << true;
        QTest::newRow("type missing") << QByteArray("{\"id\":\"t1\"}") << br << u"type"_s << false;
        QTest::newRow("type number")
            << QByteArray("{\"id\":\"t2\",\"type\":3}") << br << u"type"_s << false;
        QTest::newRow("type unknown") << QByteArray("{\"id\":\"t3\",\"type\":\"PING\"}")
                                      << int(ErrorCode::UnknownType) << u"type"_s << false;
        QTest::newRow("type huge")
            << QByteArray("{\"id\":\"t4\",\"type\":\"" + QByteArray(60'000, 'x') + "\"}")
            << int(ErrorCode::UnknownType) << u"type"_s << false;
    }

    void framesThatAreNotRequests()
    {
        QFETCH(QByteArray, frame);
        QFETCH(int, code);
        QFETCH(QString, field);
        QFETCH(bool, idNull);
        const qsizetype before = m_anonymous->textFrames().size();
        m_anonymous->sendText(frame);
        QVERIFY(test::TestClient::waitUntil(
            [&] { return m_anonymous->textFrames().size() > before; }, 5000));
        const auto reply = m_anonymous->textFrames().at(before);
        QCOMPARE(reply.type, protocol::ServerFrameType::Error);
        QCOMPARE(int(reply.error), code);
        QCOMPARE(reply.body.value("field"_L1).toString(), field);
        QCOMPARE(reply.id.isNull(), idNull);
        // Exactly one reply: a ping sent next is answered next.
        const auto pong = m_anonymous->request(protocol::requests::ping(), ++m_nextId);
        QVERIFY(pong && pong->type == protocol::ServerFrameType::Result);
        QCOMPARE(m_anonymous->textFrames().size(), before + 2);
    }

    void validRequestsStillWork()
    {
        const auto rooms = m_signedIn->request(protocol::requests::listRooms(), ++m_nextId);
        QVERIFY(rooms && rooms->type == protocol::ServerFrameType::Result);
        const auto room
            = m_signedIn->request(protocol::requests::createRoom(u"after"_s), ++m_nextId);
        QVERIFY(room && room->type == protocol::ServerFrameType::Result);
        const auto unauth = m_anonymous->request(protocol::requests::listRooms(), ++m_nextId);
        QVERIFY(unauth && unauth->error == ErrorCode::Unauthenticated);
    }
};

CONFAB_SERVER_TEST_MAIN(TestHostileJson)
#include "tst_hostile_json.moc"
