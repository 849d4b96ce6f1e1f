// SPDX-License-Identifier: GPL-3.0-or-later
//
// Tests for the Confab wire protocol codec in confab_shared: request decoding
// and validation, request builders, room events, server frames, text rules and
// the name tables.

#include "protocol/errorcode.h"
#include "protocol/limits.h"
#include "protocol/protocolversion.h"
#include "protocol/request.h"
#include "protocol/requestbuilder.h"
#include "protocol/requestcodec.h"
#include "protocol/requesttype.h"
#include "protocol/roomevent.h"
#include "protocol/serverframe.h"
#include "protocol/textrules.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QTest>
#include <cmath>
#include <limits>
#include <variant>

using namespace Qt::StringLiterals;
using namespace confab::protocol;

Q_DECLARE_METATYPE(confab::protocol::ErrorCode)
Q_DECLARE_METATYPE(confab::protocol::RequestType)
Q_DECLARE_METATYPE(confab::protocol::EventKind)
Q_DECLARE_METATYPE(confab::protocol::ServerFrameType)
Q_DECLARE_METATYPE(confab::protocol::OutgoingRequest)
Q_DECLARE_METATYPE(confab::protocol::RoomEvent)

namespace {

constexpr qint64 TwoPow53 = qint64(1) << 53;

// Every enumerator, listed by hand so that a forgotten table entry shows up.
const QList<ErrorCode> AllErrorCodes {
    ErrorCode::BadFrame,
    ErrorCode::BadRequest,
    ErrorCode::UnknownType,
    ErrorCode::TooLarge,
    ErrorCode::Unauthenticated,
    ErrorCode::AlreadyAuthenticated,
    ErrorCode::InvalidCredentials,
    ErrorCode::InvalidToken,
    ErrorCode::AccountDisabled,
    ErrorCode::Throttled,
    ErrorCode::RegistrationClosed,
    ErrorCode::InvalidInvite,
    ErrorCode::NameTaken,
    ErrorCode::WeakPassword,
    ErrorCode::NotFound,
    ErrorCode::NotMember,
    ErrorCode::Forbidden,
    ErrorCode::RateLimited,
    ErrorCode::StorageError,
    ErrorCode::ShuttingDown,
    ErrorCode::Internal,
};

const QList<RequestType> AllRequestTypes {
    RequestType::Register,
    RequestType::Login,
    RequestType::Authenticate,
    RequestType::Logout,
    RequestType::LogoutAll,
    RequestType::ListRooms,
    RequestType::CreateRoom,
    RequestType::Join,
    RequestType::Leave,
    RequestType::SetTopic,
    RequestType::OpenDirect,
    RequestType::Send,
    RequestType::History,
    RequestType::Sync,
    RequestType::MarkRead,
    RequestType::Typing,
    RequestType::Members,
    RequestType::Ping,
};

QString ch(char16_t c)
{
    return QString(QChar(c));
}

QString repeated(qsizetype n, QStringView unit)
{
    QString s;
    s.reserve(n * unit.size());
    for (qsizetype i = 0; i < n; ++i)
        s.append(unit);
    return s;
}

QByteArray toBytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray frame(QLatin1StringView type, QJsonObject fields, const QJsonValue &id)
{
    fields.insert("id"_L1, id);
    fields.insert("type"_L1, type);
    return toBytes(fields);
}

// A field set that decodes cleanly for each request type.
QJsonObject validFields(RequestType type)
{
    switch (type) {
    case RequestType::Register:
        return requests::registerAccount(u"ana"_s, u"correct horse"_s, u"inv-1"_s).fields;
    case RequestType::Login:
        return requests::login(u"ana"_s, u"correct horse"_s).fields;
    case RequestType::Authenticate:
        return requests::authenticate(u"tok-123"_s).fields;
    case RequestType::CreateRoom:
        return requests::createRoom(u"General"_s, u"Chit chat"_s).fields;
    case RequestType::Join:
        return requests::join(1).fields;
    case RequestType::Leave:
        return requests::leave(1).fields;
    case RequestType::SetTopic:
        return requests::setTopic(1, u"topic"_s).fields;
    case RequestType::OpenDirect:
        return requests::openDirect(u"bob"_s).fields;
    case RequestType::Send:
        return requests::send(1, u"t1"_s, u"hi"_s).fields;
    case RequestType::History:
        return requests::historyBefore(1, 10, 50).fields;
    case RequestType::Sync:
        return requests::sync({{1, 0}}).fields;
    case RequestType::MarkRead:
        return requests::markRead(1, 3).fields;
    case RequestType::Typing:
        return requests::typing(1, true).fields;
    case RequestType::Members:
        return requests::members(1).fields;
    case RequestType::Logout:
    case RequestType::LogoutAll:
    case RequestType::ListRooms:
    case RequestType::Ping:
        return {};
    }
    return {};
}

// The valid frame for \a type with \a field set to \a value (removed if undefined).
QByteArray with(
    RequestType type, QLatin1StringView field, const QJsonValue &value, const QJsonValue &id = 7)
{
    QJsonObject f = validFields(type);
    if (value.isUndefined())
        f.remove(field);
    else
        f.insert(field, value);
    return frame(requestTypeName(type), f, id);
}

QJsonObject cursors(std::initializer_list<std::pair<QString, QJsonValue>> entries)
{
    QJsonObject o;
    for (const auto &[k, v] : entries)
        o.insert(k, v);
    return o;
}

} // namespace

class TestCodec : public QObject
{
    Q_OBJECT

private:
    static void addErrorColumns();
    static void verifyError(const Limits &limits = {});

private Q_SLOTS:
    // Builders and request round trips
    void requestRoundTrip_data();
    void requestRoundTrip();
    void encodeShape_data();
    void encodeShape();
    void requestAccessors();
    void acceptedValues_data();
    void acceptedValues();

    // Bad input
    void badFrames_data();
    void badFrames();
    void badIds_data();
    void badIds();
    void badTypes_data();
    void badTypes();
    void unknownFields_data();
    void unknownFields();
    void missingFields_data();
    void missingFields();
    void badFieldValues_data();
    void badFieldValues();
    void frameSizeLimit();
    void customLimits_data();
    void customLimits();
    void syncRoomCountLimit();
    void deepNestingDoesNotCrash();
    void rawControlCharactersInJsonStrings();
    void validateFieldDirect();

    // Room events
    void roomEventRoundTrip_data();
    void roomEventRoundTrip();
    void roomEventFromJsonRejects_data();
    void roomEventFromJsonRejects();

    // Server frames
    void helloFrame();
    void resultFrame_data();
    void resultFrame();
    void errorFrame_data();
    void errorFrame();
    void errorFrameDetails();
    void errorFrameUnknownCode();
    void eventFrame();
    void roomFrame();
    void unreadFrame();
    void presenceFrame_data();
    void presenceFrame();
    void typingFrame_data();
    void typingFrame();
    void roomEventOnlyFromEventFrames();
    void decodeServerFrameRejects_data();
    void decodeServerFrameRejects();
    void serverFrameTypeNames_data();
    void serverFrameTypeNames();

    // Text rules
    void isValidUtf8_data();
    void isValidUtf8();
    void hasUnpairedSurrogate_data();
    void hasUnpairedSurrogate();
    void hasControlCharacter_data();
    void hasControlCharacter();
    void isValidUsername_data();
    void isValidUsername();
    void isValidTxn_data();
    void isValidTxn();
    void extractMentions_data();
    void extractMentions();

    // Name tables
    void errorCodeNames_data();
    void errorCodeNames();
    void errorCodeNamesUnique();
    void errorCodeFromUnknownName();
    void requestTypeNames_data();
    void requestTypeNames();
    void requestTypeFromUnknownName();
    void eventKindNames_data();
    void eventKindNames();
};

// ---------------------------------------------------------------------------
// Builders and round trips

void TestCodec::requestRoundTrip_data()
{
    QTest::addColumn<OutgoingRequest>("request");
    QTest::addColumn<RequestType>("type");
    QTest::addColumn<QJsonObject>("fields");
    QTest::addColumn<QJsonValue>("id");

    const QString emoji = QString::fromUtf8("\xf0\x9f\x98\x80");
    struct Case
    {
        const char *name;
        OutgoingRequest request;
        RequestType type;
        QJsonObject fields;
    };
    const QList<Case> cases {
        {"register", requests::registerAccount(u"Ana.B-c_9"_s, u"p\u00e4ssw\u00f6rd \u20ac"_s),
            RequestType::Register,
            {{"username"_L1, u"Ana.B-c_9"_s}, {"password"_L1, u"p\u00e4ssw\u00f6rd \u20ac"_s}}},
        {"register+invite", requests::registerAccount(u"ana"_s, u"secret12"_s, u"INV-42"_s),
            RequestType::Register,
            {{"username"_L1, u"ana"_s}, {"password"_L1, u"secret12"_s},
                {"invite"_L1, u"INV-42"_s}}},
        {"login", requests::login(u"bob"_s, u"hunter22"_s), RequestType::Login,
            {{"username"_L1, u"bob"_s}, {"password"_L1, u"hunter22"_s}}},
        {"authenticate", requests::authenticate(u"abcDEF0123456789"_s), RequestType::Authenticate,
            {{"token"_L1, u"abcDEF0123456789"_s}}},
        {"logout", requests::logout(), RequestType::Logout, {}},
        {"logout_all", requests::logoutAll(), RequestType::LogoutAll, {}},
        {"list_rooms", requests::listRooms(), RequestType::ListRooms, {}},
        {"create_room", requests::createRoom(u"General"_s), RequestType::CreateRoom,
            {{"name"_L1, u"General"_s}}},
        {"create_room+topic", requests::createRoom(u"Caf\u00e9"_s, u"All things \u2615"_s),
            RequestType::CreateRoom,
            {{"name"_L1, u"Caf\u00e9"_s}, {"topic"_L1, u"All things \u2615"_s}}},
        {"join", requests::join(42), RequestType::Join, {{"room"_L1, 42}}},
        {"join max", requests::join(MaxSafeInteger), RequestType::Join,
            {{"room"_L1, MaxSafeInteger}}},
        {"leave", requests::leave(7), RequestType::Leave, {{"room"_L1, 7}}},
        {"set_topic", requests::setTopic(3, u"New topic"_s), RequestType::SetTopic,
            {{"room"_L1, 3}, {"topic"_L1, u"New topic"_s}}},
        {"set_topic empty", requests::setTopic(3, QString()), RequestType::SetTopic,
            {{"room"_L1, 3}, {"topic"_L1, u""_s}}},
        {"open_direct", requests::openDirect(u"carol"_s), RequestType::OpenDirect,
            {{"user"_L1, u"carol"_s}}},
        {"send", requests::send(9, u"tx:1.a-b_c"_s, u"h\u00e9llo\n\tworld "_s + emoji),
            RequestType::Send,
            {{"room"_L1, 9}, {"txn"_L1, u"tx:1.a-b_c"_s},
                {"text"_L1, QString(u"h\u00e9llo\n\tworld "_s + emoji)}}},
        {"history before", requests::historyBefore(5, 100, 50), RequestType::History,
            {{"room"_L1, 5}, {"before"_L1, 100}, {"limit"_L1, 50}}},
        {"history after", requests::historyAfter(5, 0, 200), RequestType::History,
            {{"room"_L1, 5}, {"after"_L1, 0}, {"limit"_L1, 200}}},
        {"sync empty", requests::sync({}), RequestType::Sync, {{"rooms"_L1, QJsonObject()}}},
        {"sync", requests::sync({{1, 0}, {42, 17}, {MaxSafeInteger, MaxSafeInteger}}),
            RequestType::Sync,
            {{"rooms"_L1,
                QJsonObject {
                    {"1"_L1, 0}, {"42"_L1, 17}, {"9007199254740991"_L1, MaxSafeInteger}}}}},
        {"mark_read", requests::markRead(4, 12), RequestType::MarkRead,
            {{"room"_L1, 4}, {"seq"_L1, 12}}},
        {"mark_read seq 0", requests::markRead(4, 0), RequestType::MarkRead,
            {{"room"_L1, 4}, {"seq"_L1, 0}}},
        {"typing on", requests::typing(8, true), RequestType::Typing,
            {{"room"_L1, 8}, {"typing"_L1, true}}},
        {"typing off", requests::typing(8, false), RequestType::Typing,
            {{"room"_L1, 8}, {"typing"_L1, false}}},
        {"members", requests::members(11), RequestType::Members, {{"room"_L1, 11}}},
        {"ping", requests::ping(), RequestType::Ping, {}},
    };

    struct Id
    {
        const char *name;
        QJsonValue value;
    };
    const QList<Id> ids {
        {"string id", u"req-1"_s},
        {"unicode string id", QString(u"\u00e9\u2713"_s + emoji)},
        {"64-char string id", QString(MaxRequestIdLength, u'x')},
        {"int id", 17},
        {"int id 0", 0},
        {"int id max", MaxSafeInteger},
    };

    for (const auto &c : cases) {
        for (const auto &id : ids)
            QTest::addRow("%s/%s", c.name, id.name) << c.request << c.type << c.fields << id.value;
    }
}

void TestCodec::requestRoundTrip()
{
    QFETCH(OutgoingRequest, request);
    QFETCH(RequestType, type);
    QFETCH(QJsonObject, fields);
    QFETCH(QJsonValue, id);

    QCOMPARE(request.type, type);
    QCOMPARE(request.fields, fields);

    const QByteArray bytes = request.encode(id);
    const DecodedRequest decoded = decodeRequest(bytes, Limits {});
    const auto *error = std::get_if<RequestError>(&decoded);
    if (error)
        QFAIL(qPrintable(u"decode failed: "_s + error->message));
    const auto &r = std::get<Request>(decoded);
    QCOMPARE(requestTypeName(r.type), requestTypeName(type));
    QCOMPARE(r.id.type(), id.type());
    if (id.isString())
        QCOMPARE(r.id.toString(), id.toString());
    else
        QCOMPARE(r.id.toInteger(-1), id.toInteger(-2));
    QCOMPARE(r.id, id);
    QCOMPARE(r.fields, fields);
}

void TestCodec::encodeShape_data()
{
    QTest::addColumn<OutgoingRequest>("request");
    QTest::addColumn<QString>("typeName");
    for (RequestType t : AllRequestTypes) {
        const QString name = requestTypeName(t);
        QTest::addRow("%s", qPrintable(name)) << OutgoingRequest {t, validFields(t)} << name;
    }
}

void TestCodec::encodeShape()
{
    QFETCH(OutgoingRequest, request);
    QFETCH(QString, typeName);

    const QByteArray bytes = request.encode(u"abc"_s);
    QVERIFY(!bytes.contains('\n'));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    QVERIFY(doc.isObject());
    const QJsonObject o = doc.object();
    QCOMPARE(o.value("type"_L1).toString(), typeName);
    QCOMPARE(o.value("id"_L1).toString(), u"abc"_s);
    QCOMPARE(o.size(), request.fields.size() + 2);
}

void TestCodec::requestAccessors()
{
    {
        const DecodedRequest d = decodeRequest(
            requests::send(MaxSafeInteger, u"t"_s, u"hello"_s).encode(1), Limits {});
        const auto *r = std::get_if<Request>(&d);
        QVERIFY(r);
        QCOMPARE(r->integer("room"_L1), MaxSafeInteger);
        QCOMPARE(r->string("text"_L1), u"hello"_s);
        QCOMPARE(r->string("txn"_L1), u"t"_s);
        QVERIFY(r->has("txn"_L1));
        QVERIFY(!r->has("before"_L1));
        QCOMPARE(r->integer("before"_L1, -1), qint64(-1));
        QCOMPARE(r->integer("text"_L1, -5), qint64(-5)); // not a number: fallback
    }
    {
        const DecodedRequest d = decodeRequest(requests::typing(2, true).encode(1), Limits {});
        const auto *r = std::get_if<Request>(&d);
        QVERIFY(r);
        QCOMPARE(r->boolean("typing"_L1), true);
    }
    {
        const DecodedRequest d = decodeRequest(requests::typing(2, false).encode(1), Limits {});
        const auto *r = std::get_if<Request>(&d);
        QVERIFY(r);
        QCOMPARE(r->boolean("typing"_L1), false);
        QVERIFY(r->has("typing"_L1));
    }
}

// Values at the edge of each rule that must be accepted.
void TestCodec::acceptedValues_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");

    const QString emoji = QString::fromUtf8("\xf0\x9f\x98\x80");
    auto row = [](const char *name, RequestType t, QLatin1StringView f, const auto &value) {
        const QJsonValue v(value);
        QTest::newRow(name) << with(t, f, v) << QString(f) << v;
    };
    // Ids and sequences
    row("room 1", RequestType::Join, "room"_L1, 1);
    row("room 2^53-1", RequestType::Join, "room"_L1, MaxSafeInteger);
    row("room 1.0", RequestType::Join, "room"_L1, 1.0);
    row("seq 0", RequestType::MarkRead, "seq"_L1, 0);
    row("seq 2^53-1", RequestType::MarkRead, "seq"_L1, MaxSafeInteger);
    row("before 0", RequestType::History, "before"_L1, 0);
    row("limit 1", RequestType::History, "limit"_L1, 1);
    row("limit 200", RequestType::History, "limit"_L1, 200);
    // Strings at their limits
    row("username 32", RequestType::Login, "username"_L1, QString(MaxUsernameLength, u'a'));
    row("username 1", RequestType::Login, "username"_L1, u"a"_s);
    row("username digit first", RequestType::Login, "username"_L1, u"9lives"_s);
    row("username punctuation", RequestType::Login, "username"_L1, u"a.b-c_d"_s);
    row("username trailing dot", RequestType::OpenDirect, "user"_L1, u"ana."_s);
    row("password 1", RequestType::Login, "password"_L1, u"x"_s);
    row("password short (codec does not enforce minimum)", RequestType::Register, "password"_L1,
        u"short"_s);
    row("password 1024", RequestType::Login, "password"_L1, QString(MaxPasswordLength, u'p'));
    row("password with control chars", RequestType::Login, "password"_L1, u"a"_s + ch(0x01));
    row("token 128", RequestType::Authenticate, "token"_L1, QString(MaxTokenLength, u't'));
    row("invite 64", RequestType::Register, "invite"_L1, QString(64, u'i'));
    row("txn 64", RequestType::Send, "txn"_L1, QString(MaxTxnLength, u'x'));
    row("txn all chars", RequestType::Send, "txn"_L1, u"aZ09_.:-"_s);
    row("room name 64", RequestType::CreateRoom, "name"_L1, QString(MaxRoomNameLength, u'n'));
    row("room name inner spaces", RequestType::CreateRoom, "name"_L1, u" a b "_s);
    row("room name unicode", RequestType::CreateRoom, "name"_L1, u"Caf\u00e9 "_s + emoji);
    row("topic empty", RequestType::SetTopic, "topic"_L1, u""_s);
    row("topic 512", RequestType::SetTopic, "topic"_L1, QString(MaxTopicLength, u't'));
    row("create topic empty", RequestType::CreateRoom, "topic"_L1, u""_s);
    // Text
    row("text newline and tab", RequestType::Send, "text"_L1, u"a\nb\tc"_s);
    row("text surrogate pair", RequestType::Send, "text"_L1, emoji);
    row("text 16384 ascii", RequestType::Send, "text"_L1, QString(16 * 1024, u'a'));
    row("text 16384 bytes of 2-byte chars", RequestType::Send, "text"_L1,
        QString(8 * 1024, QChar(0xe9)));
    row("text 16384 bytes of 4-byte chars", RequestType::Send, "text"_L1, repeated(4096, emoji));
    row("text with padding", RequestType::Send, "text"_L1, u"  x  "_s);
    row("text nbsp inside", RequestType::Send, "text"_L1, u"a"_s + ch(0xa0) + u"b"_s);
    // Cursors
    row("cursors empty", RequestType::Sync, "rooms"_L1, QJsonObject());
    row("cursors max", RequestType::Sync, "rooms"_L1,
        cursors({{u"9007199254740991"_s, MaxSafeInteger}, {u"1"_s, 0}}));
    row("typing false", RequestType::Typing, "typing"_L1, false);

    // Optional fields may be left out.
    QTest::newRow("register without invite") << with(RequestType::Register, "invite"_L1,
        QJsonValue::Undefined) << u"invite"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("create_room without topic") << with(RequestType::CreateRoom, "topic"_L1,
        QJsonValue::Undefined) << u"topic"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("history with room only") << frame("history"_L1, {{"room"_L1, 3}}, 1)
                                            << u"before"_s << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("history with before and after")
        << frame("history"_L1, {{"room"_L1, 3}, {"before"_L1, 9}, {"after"_L1, 2}}, 1) << u"after"_s
        << QJsonValue(2);

    // JSON escapes are decoded before validation.
    QTest::newRow("escaped surrogate pair in text")
        << R"({"id":1,"type":"send","room":1,"txn":"t","text":"\ud83d\ude00"})"_ba << u"text"_s
        << QJsonValue(emoji);
    QTest::newRow("escaped newline in text")
        << R"({"id":1,"type":"send","room":1,"txn":"t","text":"a\nb"})"_ba << u"text"_s
        << QJsonValue(u"a\nb"_s);
    QTest::newRow("whitespace around frame")
        << " \n{\"id\":1,\"type\":\"join\",\"room\":5}\r\n "_ba << u"room"_s << QJsonValue(5);
}

void TestCodec::acceptedValues()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);

    const DecodedRequest d = decodeRequest(frame, Limits {});
    if (const auto *e = std::get_if<RequestError>(&d))
        QFAIL(qPrintable(
            u"rejected (%1, field '%2'): %3"_s.arg(errorCodeName(e->code), e->field, e->message)));
    const auto &r = std::get<Request>(d);
    QCOMPARE(r.fields.value(field), value);
}

// ---------------------------------------------------------------------------
// Bad input

void TestCodec::addErrorColumns()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("id");
}

void TestCodec::verifyError(const Limits &limits)
{
    QFETCH(QByteArray, frame);
    QFETCH(ErrorCode, code);
    QFETCH(QString, field);
    QFETCH(QJsonValue, id);

    const DecodedRequest d = decodeRequest(frame, limits);
    const auto *e = std::get_if<RequestError>(&d);
    if (!e)
        QFAIL("frame was accepted");
    QCOMPARE(errorCodeName(e->code), errorCodeName(code));
    QCOMPARE(e->field, field);
    QCOMPARE(e->id, id);
    QVERIFY(!e->message.isEmpty());
}

void TestCodec::badFrames_data()
{
    addErrorColumns();
    const QJsonValue null(QJsonValue::Null);
    auto row = [&](const char *name, const QByteArray &f) {
        QTest::newRow(name) << f << ErrorCode::BadFrame << QString() << null;
    };
    row("empty", QByteArray());
    row("whitespace only", " \n\t "_ba);
    row("not JSON", "hello"_ba);
    row("truncated object", R"({"id":1,"type":"pi)"_ba);
    row("truncated after comma", R"({"id":1,)"_ba);
    row("missing closing brace", R"({"id":1,"type":"ping")"_ba);
    row("single quotes", "{'id':1,'type':'ping'}"_ba);
    row("trailing comma", R"({"id":1,"type":"ping",})"_ba);
    row("trailing garbage", R"({"id":1,"type":"ping"}x)"_ba);
    row("two objects", R"({"id":1,"type":"ping"}{"id":2,"type":"ping"})"_ba);
    row("top-level array", R"([{"id":1,"type":"ping"}])"_ba);
    row("top-level empty array", "[]"_ba);
    row("top-level string", R"("ping")"_ba);
    row("top-level number", "42"_ba);
    row("top-level true", "true"_ba);
    row("top-level null", "null"_ba);
    row("invalid utf8 0xff alone", "\xff"_ba);
    row("invalid utf8 in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\xff\"}"_ba);
    row("overlong slash in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\xc0\xaf\"}"_ba);
    row("overlong quote in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\xc0\xa2\"}"_ba);
    row("utf8-encoded surrogate in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\xed\xa0\x80\"}"_ba);
    row("utf8-encoded low surrogate in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\xed\xbf\xbf\"}"_ba);
    row("code point above U+10FFFF in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\xf4\x90\x80\x80\"}"_ba);
    row("lone continuation byte in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\x80\"}"_ba);
    row("truncated sequence in text",
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\xe2\x82\"}"_ba);
    row("invalid utf8 in key", "{\"id\":1,\"type\":\"ping\",\"\xff\":1}"_ba);
    row("truncated sequence at end of frame", "{\"id\":1,\"type\":\"ping\"}\xe2\x82"_ba);
    row("trailing NUL byte", QByteArray("{\"id\":1,\"type\":\"ping\"}\0", 23));
    row("2000 nested arrays", QByteArray(2000, '[') + QByteArray(2000, ']'));
    {
        QByteArray nested = R"({"id":1,"type":"ping","x":)"_ba;
        for (int i = 0; i < 2000; ++i)
            nested += R"({"a":)"_ba;
        nested += "1"_ba + QByteArray(2000, '}') + "}"_ba;
        row("2000 nested objects in a field", nested);
    }
    {
        QByteArray nested = R"({"id":1,"type":"sync","rooms":)"_ba;
        nested += QByteArray(2000, '[') + QByteArray(2000, ']') + "}"_ba;
        row("2000 nested arrays as cursors", nested);
    }
}

void TestCodec::badFrames()
{
    verifyError();
}

void TestCodec::badIds_data()
{
    addErrorColumns();
    const QJsonValue null(QJsonValue::Null);
    auto row = [&](const char *name, const QByteArray &f) {
        QTest::newRow(name) << f << ErrorCode::BadRequest << u"id"_s << null;
    };
    row("missing", R"({"type":"ping"})"_ba);
    row("null", R"({"id":null,"type":"ping"})"_ba);
    row("bool true", R"({"id":true,"type":"ping"})"_ba);
    row("bool false", R"({"id":false,"type":"ping"})"_ba);
    row("object", R"({"id":{},"type":"ping"})"_ba);
    row("object with value", R"({"id":{"n":1},"type":"ping"})"_ba);
    row("array", R"({"id":[1],"type":"ping"})"_ba);
    row("float 1.5", R"({"id":1.5,"type":"ping"})"_ba);
    row("float 0.1", R"({"id":0.1,"type":"ping"})"_ba);
    row("negative", R"({"id":-1,"type":"ping"})"_ba);
    row("2^53", R"({"id":9007199254740992,"type":"ping"})"_ba);
    row("1e300", R"({"id":1e300,"type":"ping"})"_ba);
    row("empty string", R"({"id":"","type":"ping"})"_ba);
    row("65-char string", frame("ping"_L1, {}, QString(MaxRequestIdLength + 1, u'x')));
    row("1000-char string", frame("ping"_L1, {}, QString(1000, u'x')));
    row("control char in string", R"({"id":"a\u0001","type":"ping"})"_ba);
    row("newline in string", R"({"id":"a\nb","type":"ping"})"_ba);
    row("DEL in string", R"({"id":"a\u007f","type":"ping"})"_ba);
    row("C1 in string", R"({"id":"a\u0085","type":"ping"})"_ba);
    row("unpaired surrogate in string", R"({"id":"a\ud800","type":"ping"})"_ba);
    row("lone low surrogate in string", R"({"id":"\udc00","type":"ping"})"_ba);
    // The id is checked before the type, so a bad id wins over a bad type.
    row("bad id and unknown type", R"({"id":true,"type":"nope"})"_ba);
    row("bad id and missing type", R"({"id":-3})"_ba);
}

void TestCodec::badIds()
{
    verifyError();
}

void TestCodec::badTypes_data()
{
    addErrorColumns();
    auto bad = [](const char *name, const QByteArray &f, const QJsonValue &id) {
        QTest::newRow(name) << f << ErrorCode::BadRequest << u"type"_s << id;
    };
    bad("missing", R"({"id":"a"})"_ba, u"a"_s);
    bad("missing, int id", R"({"id":5})"_ba, 5);
    bad("null", R"({"id":"a","type":null})"_ba, u"a"_s);
    bad("number", R"({"id":"a","type":5})"_ba, u"a"_s);
    bad("bool", R"({"id":"a","type":true})"_ba, u"a"_s);
    bad("array", R"({"id":"a","type":["ping"]})"_ba, u"a"_s);
    bad("object", R"({"id":"a","type":{"name":"ping"}})"_ba, u"a"_s);

    auto unknown = [](const char *name, const QByteArray &f, const QJsonValue &id) {
        QTest::newRow(name) << f << ErrorCode::UnknownType << u"type"_s << id;
    };
    unknown("unknown name", R"({"id":"q-9","type":"pong"})"_ba, u"q-9"_s);
    unknown("unknown name, int id", R"({"id":12,"type":"delete_room"})"_ba, 12);
    unknown("unknown name, id 0", R"({"id":0,"type":"delete_room"})"_ba, 0);
    unknown("wrong case", R"({"id":1,"type":"Ping"})"_ba, 1);
    unknown("camelCase", R"({"id":1,"type":"logoutAll"})"_ba, 1);
    unknown("empty", R"({"id":1,"type":""})"_ba, 1);
    unknown("trailing space", R"({"id":1,"type":"ping "})"_ba, 1);
    unknown("server frame type", R"({"id":1,"type":"hello"})"_ba, 1);
    unknown("very long", frame(QLatin1StringView(QByteArray(5000, 'z')), {}, 1), 1);
}

void TestCodec::badTypes()
{
    verifyError();
}

void TestCodec::unknownFields_data()
{
    addErrorColumns();
    auto row
        = [](const char *name, const QByteArray &f, const QString &field, const QJsonValue &id) {
              QTest::newRow(name) << f << ErrorCode::BadRequest << field << id;
          };
    row("extra on ping", frame("ping"_L1, {{"extra"_L1, 1}}, 3), u"extra"_s, 3);
    row("extra null on logout", frame("logout"_L1, {{"x"_L1, QJsonValue::Null}}, u"s"_s), u"x"_s,
        u"s"_s);
    row("room on list_rooms", frame("list_rooms"_L1, {{"room"_L1, 1}}, 1), u"room"_s, 1);
    row("other type's field", with(RequestType::Join, "text"_L1, u"hi"_s), u"text"_s, 7);
    row("wrong case field", with(RequestType::Login, "Username"_L1, u"ana"_s), u"Username"_s, 7);
    row("extra on send", with(RequestType::Send, "mentions"_L1, QJsonArray()), u"mentions"_s, 7);
    row("empty key", with(RequestType::Join, ""_L1, 1), QString(), 7);
    // An unknown field is reported even when a required one is also missing.
    row("unknown beats missing", frame("join"_L1, {{"rom"_L1, 1}}, 8), u"rom"_s, 8);
    // Long unknown names are cut to 64 characters in the error.
    const QString longKey = QString(64, u'k') + QString(100, u'z');
    row("long unknown name truncated", frame("ping"_L1, {{longKey, 1}}, 1), QString(64, u'k'), 1);
}

void TestCodec::unknownFields()
{
    verifyError();
}

void TestCodec::missingFields_data()
{
    addErrorColumns();
    // The required fields, listed independently of requesttype.cpp.
    const QList<std::pair<RequestType, QLatin1StringView>> required {
        {RequestType::Register, "username"_L1},
        {RequestType::Register, "password"_L1},
        {RequestType::Login, "username"_L1},
        {RequestType::Login, "password"_L1},
        {RequestType::Authenticate, "token"_L1},
        {RequestType::CreateRoom, "name"_L1},
        {RequestType::Join, "room"_L1},
        {RequestType::Leave, "room"_L1},
        {RequestType::SetTopic, "room"_L1},
        {RequestType::SetTopic, "topic"_L1},
        {RequestType::OpenDirect, "user"_L1},
        {RequestType::Send, "room"_L1},
        {RequestType::Send, "txn"_L1},
        {RequestType::Send, "text"_L1},
        {RequestType::History, "room"_L1},
        {RequestType::Sync, "rooms"_L1},
        {RequestType::MarkRead, "room"_L1},
        {RequestType::MarkRead, "seq"_L1},
        {RequestType::Typing, "room"_L1},
        {RequestType::Typing, "typing"_L1},
        {RequestType::Members, "room"_L1},
    };
    for (const auto &[type, field] : required) {
        QTest::addRow("%s without %s", requestTypeName(type).data(), field.data())
            << with(type, field, QJsonValue::Undefined, u"m-1"_s) << ErrorCode::BadRequest
            << QString(field) << QJsonValue(u"m-1"_s);
    }
    QTest::newRow("send with no fields at all")
        << frame("send"_L1, {}, 4) << ErrorCode::BadRequest << u"room"_s << QJsonValue(4);
}

void TestCodec::missingFields()
{
    verifyError();
}

void TestCodec::badFieldValues_data()
{
    addErrorColumns();
    auto row = [](const char *name, RequestType t, QLatin1StringView f, const auto &value,
                   ErrorCode code = ErrorCode::BadRequest) {
        const QJsonValue v(value);
        QTest::newRow(name) << with(t, f, v, u"v-1"_s) << code << QString(f)
                            << QJsonValue(u"v-1"_s);
    };
    auto raw = [](const char *name, const QByteArray &bytes, QLatin1StringView f,
                   ErrorCode code = ErrorCode::BadRequest) {
        QTest::newRow(name) << bytes << code << QString(f) << QJsonValue(2);
    };
    const QJsonValue null(QJsonValue::Null);

    // Mistyped fields
    row("room as string", RequestType::Join, "room"_L1, u"1"_s);
    row("room as bool", RequestType::Join, "room"_L1, true);
    row("room null", RequestType::Join, "room"_L1, null);
    row("room array", RequestType::Join, "room"_L1, QJsonArray {1});
    row("seq as string", RequestType::MarkRead, "seq"_L1, u"3"_s);
    row("before as string", RequestType::History, "before"_L1, u"10"_s);
    row("before null", RequestType::History, "before"_L1, null);
    row("limit as string", RequestType::History, "limit"_L1, u"50"_s);
    row("username as number", RequestType::Login, "username"_L1, 5);
    row("username null", RequestType::Login, "username"_L1, null);
    row("password as number", RequestType::Login, "password"_L1, 12345678);
    row("token as object", RequestType::Authenticate, "token"_L1, QJsonObject());
    row("invite as number", RequestType::Register, "invite"_L1, 5);
    row("name as bool", RequestType::CreateRoom, "name"_L1, true);
    row("topic as number", RequestType::SetTopic, "topic"_L1, 1);
    row("topic null", RequestType::SetTopic, "topic"_L1, null);
    row("user as array", RequestType::OpenDirect, "user"_L1, QJsonArray {u"bob"_s});
    row("txn as number", RequestType::Send, "txn"_L1, 1);
    row("text as number", RequestType::Send, "text"_L1, 5);
    row("text as array", RequestType::Send, "text"_L1, QJsonArray {u"hi"_s});
    row("typing as string", RequestType::Typing, "typing"_L1, u"true"_s);
    row("typing as number", RequestType::Typing, "typing"_L1, 1);
    row("typing null", RequestType::Typing, "typing"_L1, null);
    row("rooms as array", RequestType::Sync, "rooms"_L1, QJsonArray {1, 2});
    row("rooms as string", RequestType::Sync, "rooms"_L1, u"{}"_s);
    row("rooms null", RequestType::Sync, "rooms"_L1, null);

    // Integers out of range
    row("room 0", RequestType::Join, "room"_L1, 0);
    row("room -1", RequestType::Join, "room"_L1, -1);
    row("room 2^53", RequestType::Join, "room"_L1, TwoPow53);
    row("room 1.5", RequestType::Join, "room"_L1, 1.5);
    row("room 1e300", RequestType::Join, "room"_L1, 1e300);
    row("room -1e300", RequestType::Join, "room"_L1, -1e300);
    row("members room 0", RequestType::Members, "room"_L1, 0);
    row("seq -1", RequestType::MarkRead, "seq"_L1, -1);
    row("seq 2^53", RequestType::MarkRead, "seq"_L1, TwoPow53);
    row("seq 0.5", RequestType::MarkRead, "seq"_L1, 0.5);
    row("before -1", RequestType::History, "before"_L1, -1);
    row("after 2^53", RequestType::History, "after"_L1, TwoPow53);
    row("after 2.5", RequestType::History, "after"_L1, 2.5);
    row("limit 0", RequestType::History, "limit"_L1, 0);
    row("limit -1", RequestType::History, "limit"_L1, -1);
    row("limit 201 (above historyPageMax)", RequestType::History, "limit"_L1, 201);
    row("limit 1e9", RequestType::History, "limit"_L1, 1e9);
    row("limit 10.5", RequestType::History, "limit"_L1, 10.5);
    raw("room 1e300 on the wire", R"({"id":2,"type":"join","room":1e300})"_ba, "room"_L1);
    raw("room 2^53 on the wire", R"({"id":2,"type":"join","room":9007199254740992})"_ba, "room"_L1);
    raw("room 2^53+1 on the wire", R"({"id":2,"type":"join","room":9007199254740993})"_ba,
        "room"_L1);
    raw("room 1.5 on the wire", R"({"id":2,"type":"join","room":1.5})"_ba, "room"_L1);
    raw("room -0.5 on the wire", R"({"id":2,"type":"join","room":-0.5})"_ba, "room"_L1);

    // Text: size (counted in UTF-8 bytes), control characters, blank, surrogates
    const QString emoji = QString::fromUtf8("\xf0\x9f\x98\x80");
    row("text 16385 ascii", RequestType::Send, "text"_L1, QString(16 * 1024 + 1, u'a'),
        ErrorCode::TooLarge);
    row("text 8193 two-byte chars (16386 bytes)", RequestType::Send, "text"_L1,
        QString(8 * 1024 + 1, QChar(0xe9)), ErrorCode::TooLarge);
    row("text 5462 three-byte chars (16386 bytes)", RequestType::Send, "text"_L1,
        QString(5462, QChar(0x20ac)), ErrorCode::TooLarge);
    row("text 4097 four-byte chars (16388 bytes)", RequestType::Send, "text"_L1,
        repeated(4097, emoji), ErrorCode::TooLarge);
    row("text 16383 ascii + one two-byte char", RequestType::Send, "text"_L1,
        QString(16 * 1024 - 1, u'a') + ch(0xe9), ErrorCode::TooLarge);
    row("text \\u0001", RequestType::Send, "text"_L1, u"a"_s + ch(0x01) + u"b"_s);
    row("text \\u001b", RequestType::Send, "text"_L1, u"a"_s + ch(0x1b) + u"[31m"_s);
    row("text \\u007f", RequestType::Send, "text"_L1, u"a"_s + ch(0x7f));
    row("text \\u0085", RequestType::Send, "text"_L1, u"a"_s + ch(0x85));
    row("text \\u009f", RequestType::Send, "text"_L1, u"a"_s + ch(0x9f));
    row("text \\u0000", RequestType::Send, "text"_L1, u"a"_s + ch(0x00) + u"b"_s);
    row("text \\r", RequestType::Send, "text"_L1, u"a\r\nb"_s);
    row("text vertical tab", RequestType::Send, "text"_L1, u"a\vb"_s);
    row("text blank spaces", RequestType::Send, "text"_L1, u"   "_s);
    row("text blank newlines and tabs", RequestType::Send, "text"_L1, u"\n\t \n"_s);
    row("text blank nbsp", RequestType::Send, "text"_L1, ch(0xa0));
    row("text empty", RequestType::Send, "text"_L1, u""_s);
    raw("text \\u0001 on the wire",
        R"({"id":2,"type":"send","room":1,"txn":"t","text":"a\u0001"})"_ba, "text"_L1);
    raw("text \\u0085 on the wire",
        R"({"id":2,"type":"send","room":1,"txn":"t","text":"a\u0085"})"_ba, "text"_L1);
    raw("text escaped \\ud800", R"({"id":2,"type":"send","room":1,"txn":"t","text":"\ud800"})"_ba,
        "text"_L1);
    raw("text escaped \\ud800 inside",
        R"({"id":2,"type":"send","room":1,"txn":"t","text":"a\ud800b"})"_ba, "text"_L1);
    raw("text escaped \\udc00", R"({"id":2,"type":"send","room":1,"txn":"t","text":"\udc00"})"_ba,
        "text"_L1);
    raw("text escaped reversed pair",
        R"({"id":2,"type":"send","room":1,"txn":"t","text":"\ude00\ud83d"})"_ba, "text"_L1);
    raw("text escaped two highs",
        R"({"id":2,"type":"send","room":1,"txn":"t","text":"\ud83d\ud83d"})"_ba, "text"_L1);

    // Username
    row("username 33", RequestType::Register, "username"_L1, QString(MaxUsernameLength + 1, u'a'),
        ErrorCode::TooLarge);
    row("username empty", RequestType::Register, "username"_L1, u""_s);
    row("username space", RequestType::Register, "username"_L1, u"ana bob"_s);
    row("username bang", RequestType::Register, "username"_L1, u"ana!"_s);
    row("username at", RequestType::Login, "username"_L1, u"@ana"_s);
    row("username colon", RequestType::Login, "username"_L1, u"ana:b"_s);
    row("username non-ascii letter", RequestType::Register, "username"_L1, u"\u00e1na"_s);
    row("username leading dot", RequestType::Register, "username"_L1, u".ana"_s);
    row("username leading dash", RequestType::Register, "username"_L1, u"-ana"_s);
    row("username leading underscore", RequestType::Register, "username"_L1, u"_ana"_s);
    row("username control char", RequestType::Login, "username"_L1, u"ana"_s + ch(0x01));
    row("user leading dot", RequestType::OpenDirect, "user"_L1, u".bob"_s);
    row("user 33", RequestType::OpenDirect, "user"_L1, QString(33, u'b'), ErrorCode::TooLarge);
    row("user unpaired surrogate", RequestType::OpenDirect, "user"_L1, u"b"_s + ch(0xd800));

    // Password, token, invite
    row("password empty", RequestType::Login, "password"_L1, u""_s);
    row("password 1025", RequestType::Login, "password"_L1, QString(MaxPasswordLength + 1, u'p'),
        ErrorCode::TooLarge);
    row("password unpaired surrogate", RequestType::Login, "password"_L1,
        u"abcdefgh"_s + ch(0xdc00));
    row("token empty", RequestType::Authenticate, "token"_L1, u""_s);
    row("token 129", RequestType::Authenticate, "token"_L1, QString(MaxTokenLength + 1, u't'),
        ErrorCode::TooLarge);
    row("invite empty", RequestType::Register, "invite"_L1, u""_s);
    row("invite 65", RequestType::Register, "invite"_L1, QString(65, u'i'), ErrorCode::TooLarge);

    // Txn
    row("txn empty", RequestType::Send, "txn"_L1, u""_s);
    row("txn 65", RequestType::Send, "txn"_L1, QString(MaxTxnLength + 1, u'x'),
        ErrorCode::TooLarge);
    row("txn space", RequestType::Send, "txn"_L1, u"a b"_s);
    row("txn slash", RequestType::Send, "txn"_L1, u"a/b"_s);
    row("txn non-ascii", RequestType::Send, "txn"_L1, u"t\u00e9"_s);
    row("txn control char", RequestType::Send, "txn"_L1, u"t"_s + ch(0x0a));

    // Room name and topic
    row("name empty", RequestType::CreateRoom, "name"_L1, u""_s);
    row("name blank", RequestType::CreateRoom, "name"_L1, u"   "_s);
    row("name nbsp only", RequestType::CreateRoom, "name"_L1, ch(0xa0));
    row("name control char", RequestType::CreateRoom, "name"_L1, u"Gen"_s + ch(0x01) + u"eral"_s);
    row("name newline", RequestType::CreateRoom, "name"_L1, u"Gen\neral"_s);
    row("name tab", RequestType::CreateRoom, "name"_L1, u"Gen\teral"_s);
    row("name C1", RequestType::CreateRoom, "name"_L1, u"Gen"_s + ch(0x85));
    row("name 65", RequestType::CreateRoom, "name"_L1, QString(MaxRoomNameLength + 1, u'n'),
        ErrorCode::TooLarge);
    row("name unpaired surrogate", RequestType::CreateRoom, "name"_L1, u"Gen"_s + ch(0xd800));
    row("topic 513", RequestType::SetTopic, "topic"_L1, QString(MaxTopicLength + 1, u't'),
        ErrorCode::TooLarge);
    row("create topic 513", RequestType::CreateRoom, "topic"_L1, QString(MaxTopicLength + 1, u't'),
        ErrorCode::TooLarge);
    row("topic newline", RequestType::SetTopic, "topic"_L1, u"a\nb"_s);
    row("topic DEL", RequestType::SetTopic, "topic"_L1, u"a"_s + ch(0x7f));
    row("topic unpaired surrogate", RequestType::SetTopic, "topic"_L1, ch(0xdbff));

    // Cursors
    row("cursors non-numeric key", RequestType::Sync, "rooms"_L1, cursors({{u"abc"_s, 1}}));
    row("cursors key 01", RequestType::Sync, "rooms"_L1, cursors({{u"01"_s, 1}}));
    row("cursors key 0", RequestType::Sync, "rooms"_L1, cursors({{u"0"_s, 1}}));
    row("cursors key -1", RequestType::Sync, "rooms"_L1, cursors({{u"-1"_s, 1}}));
    row("cursors key +1", RequestType::Sync, "rooms"_L1, cursors({{u"+1"_s, 1}}));
    row("cursors key with space", RequestType::Sync, "rooms"_L1, cursors({{u" 1"_s, 1}}));
    row("cursors key 1.0", RequestType::Sync, "rooms"_L1, cursors({{u"1.0"_s, 1}}));
    row("cursors key 1e3", RequestType::Sync, "rooms"_L1, cursors({{u"1e3"_s, 1}}));
    row("cursors key 0x10", RequestType::Sync, "rooms"_L1, cursors({{u"0x10"_s, 1}}));
    row("cursors key empty", RequestType::Sync, "rooms"_L1, cursors({{u""_s, 1}}));
    row("cursors key 2^53", RequestType::Sync, "rooms"_L1, cursors({{u"9007199254740992"_s, 1}}));
    row("cursors key huge", RequestType::Sync, "rooms"_L1,
        cursors({{u"99999999999999999999999"_s, 1}}));
    row("cursors negative value", RequestType::Sync, "rooms"_L1, cursors({{u"1"_s, -1}}));
    row("cursors fractional value", RequestType::Sync, "rooms"_L1, cursors({{u"1"_s, 1.5}}));
    row("cursors value 2^53", RequestType::Sync, "rooms"_L1, cursors({{u"1"_s, TwoPow53}}));
    row("cursors string value", RequestType::Sync, "rooms"_L1, cursors({{u"1"_s, u"3"_s}}));
    row("cursors null value", RequestType::Sync, "rooms"_L1, cursors({{u"1"_s, null}}));
    row("cursors object value", RequestType::Sync, "rooms"_L1, cursors({{u"1"_s, QJsonObject()}}));
    row("cursors one bad among good", RequestType::Sync, "rooms"_L1,
        cursors({{u"1"_s, 0}, {u"2"_s, 5}, {u"3"_s, -2}}));
}

void TestCodec::badFieldValues()
{
    verifyError();
}

void TestCodec::frameSizeLimit()
{
    Limits limits;
    QCOMPARE(limits.maxFrameBytes, 64 * 1024);

    // Pad a valid ping with whitespace to exactly the limit: still accepted.
    const QByteArray ping = R"({"id":1,"type":"ping"})"_ba;
    const QByteArray atLimit = ping + QByteArray(limits.maxFrameBytes - ping.size(), ' ');
    QCOMPARE(atLimit.size(), limits.maxFrameBytes);
    {
        const DecodedRequest d = decodeRequest(atLimit, limits);
        QVERIFY(std::holds_alternative<Request>(d));
    }
    // One byte more: too large, and no id is reported since the frame was not read.
    {
        const DecodedRequest d = decodeRequest(atLimit + ' ', limits);
        const auto *e = std::get_if<RequestError>(&d);
        QVERIFY(e);
        QCOMPARE(errorCodeName(e->code), errorCodeName(ErrorCode::TooLarge));
        QVERIFY(e->id.isNull());
        QCOMPARE(e->field, QString());
    }
    // A large text that fits the text limit but not the frame limit.
    {
        const QByteArray big = requests::send(1, u"t"_s, QString(70'000, u'a')).encode(1);
        const DecodedRequest d = decodeRequest(big, limits);
        const auto *e = std::get_if<RequestError>(&d);
        QVERIFY(e);
        QCOMPARE(errorCodeName(e->code), errorCodeName(ErrorCode::TooLarge));
        QCOMPARE(e->field, QString());
    }
    // Size wins over every other problem.
    {
        const QByteArray garbage = QByteArray(limits.maxFrameBytes + 1, '\xff');
        const DecodedRequest d = decodeRequest(garbage, limits);
        const auto *e = std::get_if<RequestError>(&d);
        QVERIFY(e);
        QCOMPARE(errorCodeName(e->code), errorCodeName(ErrorCode::TooLarge));
    }
    // The limit counts bytes, not characters.
    {
        Limits small;
        small.maxFrameBytes = 100;
        const QByteArray head = R"({"id":1,"type":"send","room":1,"txn":"t","text":")"_ba;
        const QByteArray tail = R"("})"_ba;
        const int room = small.maxFrameBytes - int(head.size() + tail.size());
        QVERIFY(room > 4);
        QByteArray exact = head + QByteArray(room % 2, 'a');
        for (int i = 0; i < room / 2; ++i)
            exact += "\xc3\xa9"_ba;
        exact += tail;
        QCOMPARE(exact.size(), small.maxFrameBytes);
        QVERIFY(std::holds_alternative<Request>(decodeRequest(exact, small)));
        QByteArray over = exact;
        over.insert(head.size(), "\xc3\xa9"_ba);
        const DecodedRequest d = decodeRequest(over, small);
        const auto *e = std::get_if<RequestError>(&d);
        QVERIFY(e);
        QCOMPARE(errorCodeName(e->code), errorCodeName(ErrorCode::TooLarge));
    }
}

void TestCodec::customLimits_data()
{
    addErrorColumns();
    QTest::newRow("text over custom limit")
        << with(RequestType::Send, "text"_L1, u"12345678901"_s, 1) << ErrorCode::TooLarge
        << u"text"_s << QJsonValue(1);
    QTest::newRow("multi-byte text over custom limit (6 chars, 12 bytes)")
        << with(RequestType::Send, "text"_L1, QString(6, QChar(0xe9)), 1) << ErrorCode::TooLarge
        << u"text"_s << QJsonValue(1);
    QTest::newRow("limit over custom page max")
        << with(RequestType::History, "limit"_L1, 6, 1) << ErrorCode::BadRequest << u"limit"_s
        << QJsonValue(1);
    QTest::newRow("frame over custom frame limit")
        << frame("ping"_L1, {}, QString(64, u'x')) << ErrorCode::TooLarge << QString()
        << QJsonValue(QJsonValue::Null);
}

void TestCodec::customLimits()
{
    Limits limits;
    limits.maxTextBytes = 10;
    limits.historyPageMax = 5;
    limits.maxFrameBytes = 80;
    verifyError(limits);

    // And the values right at those limits pass.
    QVERIFY(std::holds_alternative<Request>(
        decodeRequest(with(RequestType::Send, "text"_L1, u"1234567890"_s, 1), limits)));
    QVERIFY(std::holds_alternative<Request>(
        decodeRequest(with(RequestType::Send, "text"_L1, QString(5, QChar(0xe9)), 1), limits)));
    QVERIFY(std::holds_alternative<Request>(
        decodeRequest(with(RequestType::History, "limit"_L1, 5, 1), limits)));
}

void TestCodec::syncRoomCountLimit()
{
    Limits limits;
    limits.maxFrameBytes = 4 * 1024 * 1024;

    QHash<qint64, qint64> rooms;
    for (qint64 i = 1; i <= MaxSyncRooms; ++i)
        rooms.insert(i, i * 3);
    {
        const DecodedRequest d = decodeRequest(requests::sync(rooms).encode(u"s"_s), limits);
        const auto *r = std::get_if<Request>(&d);
        QVERIFY(r);
        const QJsonObject c = r->fields.value("rooms"_L1).toObject();
        QCOMPARE(c.size(), MaxSyncRooms);
        QCOMPARE(c.value("1234"_L1).toInteger(), qint64(1234 * 3));
    }
    rooms.insert(MaxSyncRooms + 1, 0);
    {
        const DecodedRequest d = decodeRequest(requests::sync(rooms).encode(u"s"_s), limits);
        const auto *e = std::get_if<RequestError>(&d);
        QVERIFY(e);
        QCOMPARE(errorCodeName(e->code), errorCodeName(ErrorCode::TooLarge));
        QCOMPARE(e->field, u"rooms"_s);
        QCOMPARE(e->id, QJsonValue(u"s"_s));
    }
}

void TestCodec::deepNestingDoesNotCrash()
{
    Limits limits;
    limits.maxFrameBytes = 16 * 1024 * 1024;
    const int depth = 1'000'000;
    const QByteArray shapes[] = {
        QByteArray(depth, '[') + QByteArray(depth, ']'),
        QByteArray(depth, '['), // unterminated
        R"({"id":1,"type":"ping","x":)"_ba + QByteArray(depth, '[') + QByteArray(depth, ']')
            + "}"_ba,
    };
    for (const QByteArray &bytes : shapes) {
        const DecodedRequest d = decodeRequest(bytes, limits);
        const auto *e = std::get_if<RequestError>(&d);
        QVERIFY(e);
        QCOMPARE(errorCodeName(e->code), errorCodeName(ErrorCode::BadFrame));
    }
}

// RFC 8259 requires control characters inside strings to be escaped. Qt's parser
// accepts them raw, so such frames reach field validation; where a field forbids
// control characters the frame must still be refused (either code is acceptable).
void TestCodec::rawControlCharactersInJsonStrings()
{
    const QByteArray frames[] = {
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\x01\"}"_ba,
        "{\"id\":1,\"type\":\"send\",\"room\":1,\"txn\":\"t\",\"text\":\"a\x1b[0m\"}"_ba,
        "{\"id\":1,\"type\":\"create_room\",\"name\":\"a\x01\"}"_ba,
        "{\"id\":1,\"type\":\"set_topic\",\"room\":1,\"topic\":\"a\x0a\"}"_ba,
        "{\"id\":\"a\x01\",\"type\":\"ping\"}"_ba,
    };
    for (const QByteArray &bytes : frames) {
        const DecodedRequest d = decodeRequest(bytes, Limits {});
        const auto *e = std::get_if<RequestError>(&d);
        QVERIFY2(e, bytes.constData());
        QVERIFY2(e->code == ErrorCode::BadFrame || e->code == ErrorCode::BadRequest,
            qPrintable(errorCodeName(e->code)));
    }
}

void TestCodec::validateFieldDirect()
{
    const Limits limits;
    const FieldSpec text {"text"_L1, FieldKind::Text, true};
    QVERIFY(!validateField(text, u"ok"_s, limits));
    const auto blank = validateField(text, u" "_s, limits);
    QVERIFY(blank);
    QCOMPARE(errorCodeName(blank->code), errorCodeName(ErrorCode::BadRequest));
    QCOMPARE(blank->field, u"text"_s);
    QVERIFY(blank->id.isNull());

    const FieldSpec seq {"seq"_L1, FieldKind::Seq, false};
    QVERIFY(!validateField(seq, 0, limits));
    QVERIFY(validateField(seq, -1, limits));
    QVERIFY(validateField(seq, QJsonValue(QJsonValue::Undefined), limits));

    const FieldSpec id {"room"_L1, FieldKind::Id, true};
    QVERIFY(!validateField(id, 1, limits));
    QVERIFY(validateField(id, 0, limits));
    QVERIFY(validateField(id, std::nan(""), limits));
    QVERIFY(validateField(id, std::numeric_limits<double>::infinity(), limits));

    const FieldSpec page {"limit"_L1, FieldKind::PageSize, false};
    Limits big;
    big.historyPageMax = 1000;
    QVERIFY(validateField(page, 500, limits));
    QVERIFY(!validateField(page, 500, big));
}

// ---------------------------------------------------------------------------
// Room events

void TestCodec::roomEventRoundTrip_data()
{
    QTest::addColumn<RoomEvent>("event");
    QTest::addColumn<QStringList>("keys");

    const QStringList common {u"id"_s, u"room"_s, u"seq"_s, u"ts"_s, u"kind"_s, u"sender"_s};
    auto make = [](EventKind kind) {
        RoomEvent e;
        e.id = 1001;
        e.room = 12;
        e.seq = 34;
        e.timestamp = 1'700'000'000'123;
        e.kind = kind;
        e.sender = u"ana"_s;
        return e;
    };

    RoomEvent create = make(EventKind::Create);
    create.seq = 1;
    create.text = u"General"_s;
    create.topic = u"Chit chat"_s;
    QTest::newRow("create") << create << common + QStringList {u"name"_s, u"topic"_s};

    RoomEvent createNoTopic = create;
    createNoTopic.topic.clear();
    QTest::newRow("create without topic")
        << createNoTopic << common + QStringList {u"name"_s, u"topic"_s};

    RoomEvent message = make(EventKind::Message);
    message.txn = u"t-1"_s;
    message.text = u"hi @Bob and @carol.\n\tbye \u00e9 "_s + QString::fromUtf8("\xf0\x9f\x98\x80");
    message.mentions = {u"bob"_s, u"carol"_s};
    QTest::newRow("message with mentions")
        << message << common + QStringList {u"text"_s, u"txn"_s, u"mentions"_s};

    RoomEvent plain = make(EventKind::Message);
    plain.txn = u"t-2"_s;
    plain.text = u"plain"_s;
    QTest::newRow("message without mentions")
        << plain << common + QStringList {u"text"_s, u"txn"_s};

    RoomEvent big = plain;
    big.id = MaxSafeInteger;
    big.room = MaxSafeInteger;
    big.seq = MaxSafeInteger;
    big.timestamp = 0;
    QTest::newRow("message with max ids") << big << common + QStringList {u"text"_s, u"txn"_s};

    QTest::newRow("join") << make(EventKind::Join) << common;
    QTest::newRow("leave") << make(EventKind::Leave) << common;

    RoomEvent topic = make(EventKind::Topic);
    topic.topic = u"New topic \u2615"_s;
    QTest::newRow("topic") << topic << common + QStringList {u"topic"_s};

    RoomEvent cleared = make(EventKind::Topic);
    QTest::newRow("topic cleared") << cleared << common + QStringList {u"topic"_s};
}

void TestCodec::roomEventRoundTrip()
{
    QFETCH(RoomEvent, event);
    QFETCH(QStringList, keys);

    const QJsonObject json = event.toJson();
    QStringList actualKeys = json.keys();
    actualKeys.sort();
    keys.sort();
    QCOMPARE(actualKeys, keys);
    QCOMPARE(json.value("kind"_L1).toString(), QString(eventKindName(event.kind)));
    QCOMPARE(json.value("seq"_L1).toInteger(), event.seq);
    QCOMPARE(json.value("id"_L1).toInteger(), event.id);
    QCOMPARE(json.value("ts"_L1).toInteger(), event.timestamp);
    QCOMPARE(json.value("sender"_L1).toString(), event.sender);
    if (event.kind == EventKind::Create)
        QCOMPARE(json.value("name"_L1).toString(), event.text);
    if (!event.mentions.isEmpty())
        QCOMPARE(json.value("mentions"_L1).toArray().toVariantList().size(), event.mentions.size());

    const auto back = RoomEvent::fromJson(json);
    QVERIFY(back);
    QCOMPARE(*back, event);

    // Through JSON text as well, where numbers travel as doubles.
    const auto viaText = RoomEvent::fromJson(QJsonDocument::fromJson(toBytes(json)).object());
    QVERIFY(viaText);
    QCOMPARE(*viaText, event);

    // And as an event frame.
    const auto f = decodeServerFrame(frames::event(event).toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Event);
    const auto fromFrame = f->roomEvent();
    QVERIFY(fromFrame);
    QCOMPARE(*fromFrame, event);
    QCOMPARE(fromFrame->mentions, event.mentions);
    QCOMPARE(fromFrame->text, event.text);
}

void TestCodec::roomEventFromJsonRejects_data()
{
    QTest::addColumn<QJsonObject>("json");
    RoomEvent e;
    e.id = 5;
    e.room = 2;
    e.seq = 3;
    e.kind = EventKind::Join;
    e.sender = u"ana"_s;
    const QJsonObject good = e.toJson();
    QVERIFY(RoomEvent::fromJson(good)); // sanity: the base is accepted

    auto without = [&](QLatin1StringView key) {
        QJsonObject o = good;
        o.remove(key);
        return o;
    };
    auto withValue = [&](QLatin1StringView key, const QJsonValue &v) {
        QJsonObject o = good;
        o.insert(key, v);
        return o;
    };
    QTest::newRow("empty") << QJsonObject();
    QTest::newRow("no kind") << without("kind"_L1);
    QTest::newRow("unknown kind") << withValue("kind"_L1, u"shout"_s);
    QTest::newRow("kind wrong case") << withValue("kind"_L1, u"Join"_s);
    QTest::newRow("kind number") << withValue("kind"_L1, 1);
    QTest::newRow("no seq") << without("seq"_L1);
    QTest::newRow("seq string") << withValue("seq"_L1, u"3"_s);
    QTest::newRow("no room") << without("room"_L1);
    QTest::newRow("room string") << withValue("room"_L1, u"2"_s);
    QTest::newRow("no sender") << without("sender"_L1);
    QTest::newRow("sender number") << withValue("sender"_L1, 7);
}

void TestCodec::roomEventFromJsonRejects()
{
    QFETCH(QJsonObject, json);
    QVERIFY(!RoomEvent::fromJson(json));
}

// ---------------------------------------------------------------------------
// Server frames

void TestCodec::helloFrame()
{
    Limits l;
    l.maxFrameBytes = 1001;
    l.maxTextBytes = 1002;
    l.historyPageMax = 1003;
    l.resumeMax = 1004;
    l.ratePerSecond = 1005;
    l.rateBurst = 1006;
    l.authTimeoutMs = 1007;
    l.typingTtlMs = 1008;
    l.heartbeatIntervalMs = 1009;

    const QString text = frames::hello(u"confab.example"_s, l, u"invite"_s);
    QVERIFY(!text.contains(u'\n'));
    const auto f = decodeServerFrame(text.toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Hello);
    QCOMPARE(f->body.value("type"_L1).toString(), u"hello"_s);
    QCOMPARE(f->body.value("protocol"_L1).toInt(), Version);
    QCOMPARE(f->body.value("server"_L1).toString(), u"confab.example"_s);
    QCOMPARE(f->body.value("registration"_L1).toString(), u"invite"_s);
    const QJsonObject lim = f->body.value("limits"_L1).toObject();
    QCOMPARE(lim.size(), 9);
    QCOMPARE(lim.value("maxFrameBytes"_L1).toInt(), 1001);
    QCOMPARE(lim.value("maxTextBytes"_L1).toInt(), 1002);
    QCOMPARE(lim.value("historyPageMax"_L1).toInt(), 1003);
    QCOMPARE(lim.value("resumeMax"_L1).toInt(), 1004);
    QCOMPARE(lim.value("ratePerSecond"_L1).toInt(), 1005);
    QCOMPARE(lim.value("rateBurst"_L1).toInt(), 1006);
    QCOMPARE(lim.value("authTimeoutMs"_L1).toInt(), 1007);
    QCOMPARE(lim.value("typingTtlMs"_L1).toInt(), 1008);
    QCOMPARE(lim.value("heartbeatIntervalMs"_L1).toInt(), 1009);
    QVERIFY(!f->roomEvent());
}

void TestCodec::resultFrame_data()
{
    QTest::addColumn<QJsonValue>("id");
    QTest::addColumn<QJsonObject>("data");
    QTest::newRow("string id, empty data") << QJsonValue(u"r-1"_s) << QJsonObject();
    QTest::newRow("int id, data") << QJsonValue(42)
                                  << QJsonObject {{"token"_L1, u"abc"_s},
                                         {"user"_L1, QJsonObject {{"name"_L1, u"ana"_s}}}};
    QTest::newRow("id 0") << QJsonValue(0) << QJsonObject {{"n"_L1, 1}};
    QTest::newRow("max id") << QJsonValue(MaxSafeInteger)
                            << QJsonObject {{"rooms"_L1, QJsonArray {1, 2, 3}}};
}

void TestCodec::resultFrame()
{
    QFETCH(QJsonValue, id);
    QFETCH(QJsonObject, data);
    const auto f = decodeServerFrame(frames::result(id, data).toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Result);
    QCOMPARE(f->id, id);
    QCOMPARE(f->data(), data);
    QVERIFY(f->body.contains("data"_L1));
    QVERIFY(!f->roomEvent());
}

void TestCodec::errorFrame_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QJsonValue>("id");
    for (ErrorCode c : AllErrorCodes) {
        const QString name = errorCodeName(c);
        QTest::addRow("%s/string id", qPrintable(name)) << c << QJsonValue(u"e-1"_s);
        QTest::addRow("%s/int id", qPrintable(name)) << c << QJsonValue(9);
        QTest::addRow("%s/null id", qPrintable(name)) << c << QJsonValue(QJsonValue::Null);
    }
}

void TestCodec::errorFrame()
{
    QFETCH(ErrorCode, code);
    QFETCH(QJsonValue, id);
    const QString message = u"something went wrong: \u00e9"_s;
    const auto f = decodeServerFrame(frames::error(id, code, message).toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Error);
    QCOMPARE(f->body.value("code"_L1).toString(), errorCodeName(code));
    QCOMPARE(errorCodeName(f->error), errorCodeName(code));
    QCOMPARE(f->message, message);
    QCOMPARE(f->id, id);
    QVERIFY(f->body.contains("id"_L1)); // present even when null
}

void TestCodec::errorFrameDetails()
{
    // An undefined id is sent as null rather than dropped.
    {
        const QString text
            = frames::error(QJsonValue(QJsonValue::Undefined), ErrorCode::BadFrame, u"x"_s);
        const auto f = decodeServerFrame(text.toUtf8());
        QVERIFY(f);
        QVERIFY(f->body.contains("id"_L1));
        QVERIFY(f->id.isNull());
        QCOMPARE(f->error, ErrorCode::BadFrame);
    }
    // Details are merged in but cannot override the frame's own keys.
    {
        const QJsonObject details {{"field"_L1, u"text"_s}, {"retryAfterMs"_L1, 1500},
            {"type"_L1, u"result"_s}, {"code"_L1, u"internal"_s}, {"id"_L1, 99},
            {"message"_L1, u"spoofed"_s}};
        const QString text = frames::error(u"q"_s, ErrorCode::Throttled, u"slow down"_s, details);
        const auto f = decodeServerFrame(text.toUtf8());
        QVERIFY(f);
        QCOMPARE(f->type, ServerFrameType::Error);
        QCOMPARE(f->error, ErrorCode::Throttled);
        QCOMPARE(f->body.value("code"_L1).toString(), u"throttled"_s);
        QCOMPARE(f->message, u"slow down"_s);
        QCOMPARE(f->id, QJsonValue(u"q"_s));
        QCOMPARE(f->body.value("field"_L1).toString(), u"text"_s);
        QCOMPARE(f->body.value("retryAfterMs"_L1).toInt(), 1500);
    }
}

void TestCodec::errorFrameUnknownCode()
{
    const auto f
        = decodeServerFrame(R"({"type":"error","id":1,"code":"new_code","message":"m"})"_ba);
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Error);
    QCOMPARE(f->error, ErrorCode::Internal);
    QCOMPARE(f->message, u"m"_s);
    QCOMPARE(f->id, QJsonValue(1));
}

void TestCodec::eventFrame()
{
    RoomEvent e;
    e.id = 77;
    e.room = 3;
    e.seq = 9;
    e.timestamp = 1'700'000'000'000;
    e.kind = EventKind::Message;
    e.sender = u"ana"_s;
    e.txn = u"t9"_s;
    e.text = u"hey @bob"_s;
    e.mentions = {u"bob"_s};
    const QString text = frames::event(e);
    QVERIFY(!text.contains(u'\n'));
    const auto f = decodeServerFrame(text.toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Event);
    QCOMPARE(f->body.value("event"_L1).toObject(), e.toJson());
    const auto back = f->roomEvent();
    QVERIFY(back);
    QCOMPARE(*back, e);
}

void TestCodec::roomFrame()
{
    const QJsonObject summary {
        {"id"_L1, 5}, {"name"_L1, u"General"_s}, {"kind"_L1, u"channel"_s}, {"lastSeq"_L1, 12}};
    const auto f = decodeServerFrame(frames::room(summary).toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Room);
    QCOMPARE(f->body.value("room"_L1).toObject(), summary);
}

void TestCodec::unreadFrame()
{
    const auto f = decodeServerFrame(frames::unread(4, 10, 3, 1).toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Unread);
    QCOMPARE(f->body.value("room"_L1).toInteger(), qint64(4));
    QCOMPARE(f->body.value("readSeq"_L1).toInteger(), qint64(10));
    QCOMPARE(f->body.value("unread"_L1).toInteger(), qint64(3));
    QCOMPARE(f->body.value("mentions"_L1).toInteger(), qint64(1));

    const auto big
        = decodeServerFrame(frames::unread(MaxSafeInteger, MaxSafeInteger - 1, 0, 0).toUtf8());
    QVERIFY(big);
    QCOMPARE(big->body.value("room"_L1).toInteger(), MaxSafeInteger);
    QCOMPARE(big->body.value("readSeq"_L1).toInteger(), MaxSafeInteger - 1);
    QCOMPARE(big->body.value("unread"_L1).toInteger(-1), qint64(0));
}

void TestCodec::presenceFrame_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("online");
    QTest::newRow("online") << u"ana"_s << true;
    QTest::newRow("offline") << u"bob.b"_s << false;
}

void TestCodec::presenceFrame()
{
    QFETCH(QString, user);
    QFETCH(bool, online);
    const auto f = decodeServerFrame(frames::presence(user, online).toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Presence);
    QCOMPARE(f->body.value("user"_L1).toString(), user);
    QVERIFY(f->body.value("online"_L1).isBool());
    QCOMPARE(f->body.value("online"_L1).toBool(), online);
}

void TestCodec::typingFrame_data()
{
    QTest::addColumn<qint64>("room");
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("typing");
    QTest::newRow("start") << qint64(8) << u"ana"_s << true;
    QTest::newRow("stop") << MaxSafeInteger << u"bob"_s << false;
}

void TestCodec::typingFrame()
{
    QFETCH(qint64, room);
    QFETCH(QString, user);
    QFETCH(bool, typing);
    const auto f = decodeServerFrame(frames::typing(room, user, typing).toUtf8());
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Typing);
    QCOMPARE(f->body.value("room"_L1).toInteger(), room);
    QCOMPARE(f->body.value("user"_L1).toString(), user);
    QVERIFY(f->body.value("typing"_L1).isBool());
    QCOMPARE(f->body.value("typing"_L1).toBool(), typing);
}

void TestCodec::roomEventOnlyFromEventFrames()
{
    RoomEvent e;
    e.room = 1;
    e.seq = 1;
    e.kind = EventKind::Join;
    e.sender = u"ana"_s;
    // The event object placed in a result frame is not an event frame.
    const auto result = decodeServerFrame(frames::result(1, {{"event"_L1, e.toJson()}}).toUtf8());
    QVERIFY(result);
    QVERIFY(!result->roomEvent());
    // An event frame whose event is broken.
    const auto broken = decodeServerFrame(R"({"type":"event","event":{"kind":"join"}})"_ba);
    QVERIFY(broken);
    QCOMPARE(broken->type, ServerFrameType::Event);
    QVERIFY(!broken->roomEvent());
    const auto missing = decodeServerFrame(R"({"type":"event"})"_ba);
    QVERIFY(missing);
    QVERIFY(!missing->roomEvent());
}

void TestCodec::decodeServerFrameRejects_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << "nope"_ba;
    QTest::newRow("truncated") << R"({"type":"res)"_ba;
    QTest::newRow("array") << R"([{"type":"result"}])"_ba;
    QTest::newRow("string") << R"("result")"_ba;
    QTest::newRow("no type") << R"({"id":1,"data":{}})"_ba;
    QTest::newRow("type not string") << R"({"type":1})"_ba;
    QTest::newRow("unknown type") << R"({"type":"shout"})"_ba;
    QTest::newRow("type wrong case") << R"({"type":"Result"})"_ba;
    QTest::newRow("request type") << R"({"type":"ping","id":1})"_ba;
}

void TestCodec::decodeServerFrameRejects()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!decodeServerFrame(bytes));
}

void TestCodec::serverFrameTypeNames_data()
{
    QTest::addColumn<ServerFrameType>("type");
    QTest::addColumn<QString>("name");
    QTest::newRow("hello") << ServerFrameType::Hello << u"hello"_s;
    QTest::newRow("result") << ServerFrameType::Result << u"result"_s;
    QTest::newRow("error") << ServerFrameType::Error << u"error"_s;
    QTest::newRow("event") << ServerFrameType::Event << u"event"_s;
    QTest::newRow("room") << ServerFrameType::Room << u"room"_s;
    QTest::newRow("unread") << ServerFrameType::Unread << u"unread"_s;
    QTest::newRow("presence") << ServerFrameType::Presence << u"presence"_s;
    QTest::newRow("typing") << ServerFrameType::Typing << u"typing"_s;
}

void TestCodec::serverFrameTypeNames()
{
    QFETCH(ServerFrameType, type);
    QFETCH(QString, name);
    QCOMPARE(QString(serverFrameTypeName(type)), name);
    // A minimal frame of that type decodes to it.
    const auto f = decodeServerFrame(toBytes({{"type"_L1, name}}));
    QVERIFY(f);
    QCOMPARE(f->type, type);
}

// ---------------------------------------------------------------------------
// Text rules

void TestCodec::isValidUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ascii") << "hello"_ba << true;
    QTest::newRow("NUL byte") << QByteArray("a\0b", 3) << true;
    QTest::newRow("2-byte e-acute") << "\xc3\xa9"_ba << true;
    QTest::newRow("3-byte euro") << "\xe2\x82\xac"_ba << true;
    QTest::newRow("4-byte emoji") << "\xf0\x9f\x98\x80"_ba << true;
    QTest::newRow("U+0080 smallest 2-byte") << "\xc2\x80"_ba << true;
    QTest::newRow("U+0800 smallest 3-byte") << "\xe0\xa0\x80"_ba << true;
    QTest::newRow("U+10000 smallest 4-byte") << "\xf0\x90\x80\x80"_ba << true;
    QTest::newRow("U+D7FF below surrogates") << "\xed\x9f\xbf"_ba << true;
    QTest::newRow("U+E000 above surrogates") << "\xee\x80\x80"_ba << true;
    QTest::newRow("U+10FFFF max") << "\xf4\x8f\xbf\xbf"_ba << true;
    QTest::newRow("BOM") << "\xef\xbb\xbf"_ba << true;
    QTest::newRow("noncharacter U+FFFF") << "\xef\xbf\xbf"_ba << true;
    QTest::newRow("noncharacter U+FFFE") << "\xef\xbf\xbe"_ba << true;
    QTest::newRow("noncharacter U+FDD0") << "\xef\xb7\x90"_ba << true;
    QTest::newRow("mixed") << "a\xc3\xa9"
                              "b\xe2\x82\xac"
                              "c\xf0\x9f\x98\x80"_ba
                           << true;

    QTest::newRow("0xff") << "\xff"_ba << false;
    QTest::newRow("0xfe") << "\xfe"_ba << false;
    QTest::newRow("ascii then 0xff") << "abc\xff"_ba << false;
    QTest::newRow("lone continuation") << "\x80"_ba << false;
    QTest::newRow("overlong slash c0 af") << "\xc0\xaf"_ba << false;
    QTest::newRow("overlong c1 bf") << "\xc1\xbf"_ba << false;
    QTest::newRow("overlong NUL c0 80") << "\xc0\x80"_ba << false;
    QTest::newRow("overlong 3-byte") << "\xe0\x80\xaf"_ba << false;
    QTest::newRow("overlong 4-byte") << "\xf0\x80\x80\xaf"_ba << false;
    QTest::newRow("high surrogate ed a0 80") << "\xed\xa0\x80"_ba << false;
    QTest::newRow("low surrogate ed bf bf") << "\xed\xbf\xbf"_ba << false;
    QTest::newRow("CESU-8 pair") << "\xed\xa0\xbd\xed\xb8\x80"_ba << false;
    QTest::newRow("above U+10FFFF") << "\xf4\x90\x80\x80"_ba << false;
    QTest::newRow("f5 lead") << "\xf5\x80\x80\x80"_ba << false;
    QTest::newRow("5-byte form") << "\xf8\x88\x80\x80\x80"_ba << false;
    QTest::newRow("truncated 2-byte at end") << "a\xc3"_ba << false;
    QTest::newRow("truncated 3-byte at end") << "a\xe2\x82"_ba << false;
    QTest::newRow("truncated 4-byte at end") << "a\xf0\x9f\x98"_ba << false;
    QTest::newRow("truncated 3-byte in middle") << "\xe2\x82"
                                                   "a"_ba
                                                << false;
    QTest::newRow("continuation missing") << "\xc3"
                                             "a"_ba
                                          << false;
}

void TestCodec::isValidUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(confab::protocol::isValidUtf8(bytes), valid);
    // The decoder keeps no state between calls.
    QCOMPARE(confab::protocol::isValidUtf8("ok"_ba), true);
}

void TestCodec::hasUnpairedSurrogate_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("unpaired");
    const QString pair = ch(0xd83d) + ch(0xde00);
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("ascii") << u"abc"_s << false;
    QTest::newRow("bmp") << u"\u00e9\u20ac\uffff"_s << false;
    QTest::newRow("pair") << pair << false;
    QTest::newRow("two pairs") << pair + u"x"_s + pair << false;
    QTest::newRow("lone high at end") << u"a"_s + ch(0xd800) << true;
    QTest::newRow("lone high alone") << ch(0xdbff) << true;
    QTest::newRow("lone high then ascii") << ch(0xd800) + u"a"_s << true;
    QTest::newRow("lone low") << ch(0xdc00) << true;
    QTest::newRow("lone low after text") << u"ab"_s + ch(0xdfff) << true;
    QTest::newRow("reversed pair") << ch(0xde00) + ch(0xd83d) << true;
    QTest::newRow("high high low") << ch(0xd83d) + pair << true;
    QTest::newRow("pair then low") << pair + ch(0xde00) << true;
}

void TestCodec::hasUnpairedSurrogate()
{
    QFETCH(QString, text);
    QFETCH(bool, unpaired);
    QCOMPARE(confab::protocol::hasUnpairedSurrogate(text), unpaired);
}

void TestCodec::hasControlCharacter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("allowed");
    QTest::addColumn<bool>("control");
    const QString nt = u"\n\t"_s;
    QTest::newRow("empty") << QString() << QString() << false;
    QTest::newRow("plain") << u"hello world ~"_s << QString() << false;
    QTest::newRow("NUL") << ch(0x00) << QString() << true;
    QTest::newRow("\\u0001") << u"a"_s + ch(0x01) << QString() << true;
    QTest::newRow("\\u001b") << ch(0x1b) + u"[0m"_s << QString() << true;
    QTest::newRow("\\u001f") << ch(0x1f) << QString() << true;
    QTest::newRow("space is not") << u" "_s << QString() << false;
    QTest::newRow("tilde is not") << u"~"_s << QString() << false;
    QTest::newRow("DEL") << ch(0x7f) << QString() << true;
    QTest::newRow("\\u0080") << ch(0x80) << QString() << true;
    QTest::newRow("\\u0085") << ch(0x85) << QString() << true;
    QTest::newRow("\\u009f") << ch(0x9f) << QString() << true;
    QTest::newRow("nbsp is not") << ch(0xa0) << QString() << false;
    QTest::newRow("e-acute is not") << ch(0xe9) << QString() << false;
    QTest::newRow("newline, nothing allowed") << u"a\nb"_s << QString() << true;
    QTest::newRow("tab, nothing allowed") << u"a\tb"_s << QString() << true;
    QTest::newRow("newline allowed") << u"a\nb"_s << nt << false;
    QTest::newRow("tab allowed") << u"a\tb"_s << nt << false;
    QTest::newRow("both allowed") << u"\n\t\n"_s << nt << false;
    QTest::newRow("CR not allowed") << u"a\r\nb"_s << nt << true;
    QTest::newRow("\\u0001 with allowed set") << u"a\n"_s + ch(0x01) << nt << true;
    QTest::newRow("\\u0085 with allowed set") << ch(0x85) << nt << true;
    QTest::newRow("allowed only tab, newline present") << u"a\n"_s << u"\t"_s << true;
}

void TestCodec::hasControlCharacter()
{
    QFETCH(QString, text);
    QFETCH(QString, allowed);
    QFETCH(bool, control);
    QCOMPARE(confab::protocol::hasControlCharacter(text, allowed), control);
}

void TestCodec::isValidUsername_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"ana"_s << true;
    QTest::newRow("single letter") << u"a"_s << true;
    QTest::newRow("single digit") << u"7"_s << true;
    QTest::newRow("upper case") << u"Ana"_s << true;
    QTest::newRow("all allowed chars") << u"aZ09_.-"_s << true;
    QTest::newRow("trailing dot") << u"ana."_s << true;
    QTest::newRow("32 chars") << QString(32, u'a') << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("33 chars") << QString(33, u'a') << false;
    QTest::newRow("leading dot") << u".ana"_s << false;
    QTest::newRow("leading dash") << u"-ana"_s << false;
    QTest::newRow("leading underscore") << u"_ana"_s << false;
    QTest::newRow("space") << u"an a"_s << false;
    QTest::newRow("at sign") << u"ana@x"_s << false;
    QTest::newRow("colon") << u"a:b"_s << false;
    QTest::newRow("slash") << u"a/b"_s << false;
    QTest::newRow("non-ascii letter") << u"an\u00e1"_s << false;
    QTest::newRow("fullwidth letter") << u"\uff41na"_s << false;
    QTest::newRow("control char") << u"an"_s + ch(0x01) << false;
}

void TestCodec::isValidUsername()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(confab::protocol::isValidUsername(name), valid);
}

void TestCodec::isValidTxn_data()
{
    QTest::addColumn<QString>("txn");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"t1"_s << true;
    QTest::newRow("all allowed chars") << u"aZ09_.:-"_s << true;
    QTest::newRow("leading punctuation") << u".:-_x"_s << true;
    QTest::newRow("uuid-like") << u"3f2a-11:1700000000.5"_s << true;
    QTest::newRow("64 chars") << QString(64, u'x') << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("65 chars") << QString(65, u'x') << false;
    QTest::newRow("space") << u"a b"_s << false;
    QTest::newRow("slash") << u"a/b"_s << false;
    QTest::newRow("plus") << u"a+b"_s << false;
    QTest::newRow("non-ascii") << u"t\u00e9"_s << false;
    QTest::newRow("control") << u"t"_s + ch(0x7f) << false;
}

void TestCodec::isValidTxn()
{
    QFETCH(QString, txn);
    QFETCH(bool, valid);
    QCOMPARE(confab::protocol::isValidTxn(txn), valid);
}

void TestCodec::extractMentions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("two names, punctuation")
        << u"hi @Ana and @bob."_s << QStringList {u"ana"_s, u"bob"_s};
    QTest::newRow("email is not a mention") << u"mail@host"_s << QStringList();
    QTest::newRow("email with dot before") << u"ana.b@host.org"_s << QStringList();
    QTest::newRow("duplicates collapsed")
        << u"@ana @ANA @Ana @bob @ana"_s << QStringList {u"ana"_s, u"bob"_s};
    QTest::newRow("at alone") << u"@"_s << QStringList();
    QTest::newRow("at then space") << u"@ hi"_s << QStringList();
    QTest::newRow("trailing dash") << u"@ana-"_s << QStringList {u"ana"_s};
    QTest::newRow("trailing dots and dashes") << u"@ana.-."_s << QStringList {u"ana"_s};
    QTest::newRow("inner dot kept") << u"@ana.b!"_s << QStringList {u"ana.b"_s};
    QTest::newRow("underscore kept") << u"@ana_"_s << QStringList {u"ana_"_s};
    QTest::newRow("start of text") << u"@carol: hi"_s << QStringList {u"carol"_s};
    QTest::newRow("parenthesised") << u"(@dave)"_s << QStringList {u"dave"_s};
    QTest::newRow("after comma") << u"@a,@b"_s << QStringList {u"a"_s, u"b"_s};
    QTest::newRow("after newline") << u"x\n@eve"_s << QStringList {u"eve"_s};
    QTest::newRow("leading dot is not a name") << u"@.ana"_s << QStringList();
    QTest::newRow("leading underscore is not a name") << u"@_ana"_s << QStringList();
    QTest::newRow("double at") << u"@@ana"_s << QStringList {u"ana"_s};
    QTest::newRow("chained") << u"@ana@bob"_s << QStringList {u"ana"_s};
    QTest::newRow("apostrophe") << u"@ana's idea"_s << QStringList {u"ana"_s};
    QTest::newRow("order of first appearance")
        << u"@zed @amy @zed"_s << QStringList {u"zed"_s, u"amy"_s};
    QTest::newRow("32-char name") << u"@"_s + QString(32, u'n') + u" hi"_s
                                  << QStringList {QString(32, u'n')};
    QTest::newRow("33-char name") << u"@"_s + QString(33, u'n') + u" hi"_s << QStringList();
    QTest::newRow("40-char name") << u"hey @"_s + QString(40, u'n') << QStringList();
    QTest::newRow("33-char name with inner dot")
        << u"@"_s + QString(31, u'n') + u".b"_s << QStringList();
    QTest::newRow("no mentions") << u"just text"_s << QStringList();
    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("non-ascii after at") << u"@\u00e1na"_s << QStringList();
}

void TestCodec::extractMentions()
{
    QFETCH(QString, text);
    QFETCH(QStringList, mentions);
    // Regression: an over-long @word once mentioned its 32-character prefix.
    QCOMPARE(confab::protocol::extractMentions(text), mentions);
}

// ---------------------------------------------------------------------------
// Name tables

void TestCodec::errorCodeNames_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("name");
    QTest::newRow("BadFrame") << ErrorCode::BadFrame << u"bad_frame"_s;
    QTest::newRow("BadRequest") << ErrorCode::BadRequest << u"bad_request"_s;
    QTest::newRow("UnknownType") << ErrorCode::UnknownType << u"unknown_type"_s;
    QTest::newRow("TooLarge") << ErrorCode::TooLarge << u"too_large"_s;
    QTest::newRow("Unauthenticated") << ErrorCode::Unauthenticated << u"unauthenticated"_s;
    QTest::newRow("AlreadyAuthenticated")
        << ErrorCode::AlreadyAuthenticated << u"already_authenticated"_s;
    QTest::newRow("InvalidCredentials")
        << ErrorCode::InvalidCredentials << u"invalid_credentials"_s;
    QTest::newRow("InvalidToken") << ErrorCode::InvalidToken << u"invalid_token"_s;
    QTest::newRow("AccountDisabled") << ErrorCode::AccountDisabled << u"account_disabled"_s;
    QTest::newRow("Throttled") << ErrorCode::Throttled << u"throttled"_s;
    QTest::newRow("RegistrationClosed")
        << ErrorCode::RegistrationClosed << u"registration_closed"_s;
    QTest::newRow("InvalidInvite") << ErrorCode::InvalidInvite << u"invalid_invite"_s;
    QTest::newRow("NameTaken") << ErrorCode::NameTaken << u"name_taken"_s;
    QTest::newRow("WeakPassword") << ErrorCode::WeakPassword << u"weak_password"_s;
    QTest::newRow("NotFound") << ErrorCode::NotFound << u"not_found"_s;
    QTest::newRow("NotMember") << ErrorCode::NotMember << u"not_member"_s;
    QTest::newRow("Forbidden") << ErrorCode::Forbidden << u"forbidden"_s;
    QTest::newRow("RateLimited") << ErrorCode::RateLimited << u"rate_limited"_s;
    QTest::newRow("StorageError") << ErrorCode::StorageError << u"storage_error"_s;
    QTest::newRow("ShuttingDown") << ErrorCode::ShuttingDown << u"shutting_down"_s;
    QTest::newRow("Internal") << ErrorCode::Internal << u"internal"_s;
}

void TestCodec::errorCodeNames()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, name);
    QCOMPARE(errorCodeName(code), name);
    const auto back = errorCodeFromName(name);
    QVERIFY(back);
    QCOMPARE(errorCodeName(*back), name);
    QCOMPARE(*back, code);
}

void TestCodec::errorCodeNamesUnique()
{
    QCOMPARE(AllErrorCodes.size(), int(ErrorCode::Internal) + 1);
    QSet<QString> names;
    for (ErrorCode c : AllErrorCodes) {
        const QString n = errorCodeName(c);
        QVERIFY2(!n.isEmpty(), qPrintable(QString::number(int(c))));
        QVERIFY2(!names.contains(n), qPrintable(n));
        names.insert(n);
        QCOMPARE(errorCodeFromName(n), std::optional<ErrorCode>(c));
    }
    QCOMPARE(names.size(), AllErrorCodes.size());
}

void TestCodec::errorCodeFromUnknownName()
{
    QVERIFY(!errorCodeFromName(u""_s));
    QVERIFY(!errorCodeFromName(u"BAD_FRAME"_s));
    QVERIFY(!errorCodeFromName(u"bad_frame "_s));
    QVERIFY(!errorCodeFromName(u"username_taken"_s));
    QVERIFY(!errorCodeFromName(u"BadFrame"_s));
}

void TestCodec::requestTypeNames_data()
{
    QTest::addColumn<RequestType>("type");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("beforeAuth");
    QTest::newRow("register") << RequestType::Register << u"register"_s << true;
    QTest::newRow("login") << RequestType::Login << u"login"_s << true;
    QTest::newRow("authenticate") << RequestType::Authenticate << u"authenticate"_s << true;
    QTest::newRow("logout") << RequestType::Logout << u"logout"_s << false;
    QTest::newRow("logout_all") << RequestType::LogoutAll << u"logout_all"_s << false;
    QTest::newRow("list_rooms") << RequestType::ListRooms << u"list_rooms"_s << false;
    QTest::newRow("create_room") << RequestType::CreateRoom << u"create_room"_s << false;
    QTest::newRow("join") << RequestType::Join << u"join"_s << false;
    QTest::newRow("leave") << RequestType::Leave << u"leave"_s << false;
    QTest::newRow("set_topic") << RequestType::SetTopic << u"set_topic"_s << false;
    QTest::newRow("open_direct") << RequestType::OpenDirect << u"open_direct"_s << false;
    QTest::newRow("send") << RequestType::Send << u"send"_s << false;
    QTest::newRow("history") << RequestType::History << u"history"_s << false;
    QTest::newRow("sync") << RequestType::Sync << u"sync"_s << false;
    QTest::newRow("mark_read") << RequestType::MarkRead << u"mark_read"_s << false;
    QTest::newRow("typing") << RequestType::Typing << u"typing"_s << false;
    QTest::newRow("members") << RequestType::Members << u"members"_s << false;
    QTest::newRow("ping") << RequestType::Ping << u"ping"_s << true;
}

void TestCodec::requestTypeNames()
{
    QFETCH(RequestType, type);
    QFETCH(QString, name);
    QFETCH(bool, beforeAuth);
    QCOMPARE(QString(requestTypeName(type)), name);
    QCOMPARE(requestTypeFromName(name), std::optional<RequestType>(type));
    QCOMPARE(allowedBeforeAuthentication(type), beforeAuth);
    // The minimal valid frame of this type decodes to it.
    const DecodedRequest d
        = decodeRequest(frame(requestTypeName(type), validFields(type), 1), Limits {});
    const auto *r = std::get_if<Request>(&d);
    QVERIFY(r);
    QCOMPARE(r->type, type);
}

void TestCodec::requestTypeFromUnknownName()
{
    QCOMPARE(AllRequestTypes.size(), int(RequestType::Ping) + 1);
    QVERIFY(!requestTypeFromName(u""_s));
    QVERIFY(!requestTypeFromName(u"PING"_s));
    QVERIFY(!requestTypeFromName(u"logoutAll"_s));
    QVERIFY(!requestTypeFromName(u"hello"_s));
    QSet<QString> names;
    for (RequestType t : AllRequestTypes)
        names.insert(requestTypeName(t));
    QCOMPARE(names.size(), AllRequestTypes.size());
}

void TestCodec::eventKindNames_data()
{
    QTest::addColumn<EventKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("create") << EventKind::Create << u"create"_s;
    QTest::newRow("message") << EventKind::Message << u"message"_s;
    QTest::newRow("join") << EventKind::Join << u"join"_s;
    QTest::newRow("leave") << EventKind::Leave << u"leave"_s;
    QTest::newRow("topic") << EventKind::Topic << u"topic"_s;
}

void TestCodec::eventKindNames()
{
    QFETCH(EventKind, kind);
    QFETCH(QString, name);
    QCOMPARE(QString(eventKindName(kind)), name);
    QCOMPARE(eventKindFromName(name), std::optional<EventKind>(kind));
    QVERIFY(!eventKindFromName(name.toUpper()));
}

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
