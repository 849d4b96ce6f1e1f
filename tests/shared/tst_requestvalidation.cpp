// SPDX-License-Identifier: GPL-3.0-or-later
//
// Bad input to the request decoder: frames, ids, types, unknown and missing fields, field rules and
// limits.

#include "codectestdata.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab::protocol;
using namespace confab::test;

class TestRequestValidation : public QObject
{
    Q_OBJECT

private:
    static void addErrorColumns();
    static void verifyError(const Limits &limits = {});

private Q_SLOTS:
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
};

// ---------------------------------------------------------------------------
// Bad input

void TestRequestValidation::addErrorColumns()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("id");
}

void TestRequestValidation::verifyError(const Limits &limits)
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

void TestRequestValidation::badFrames_data()
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

void TestRequestValidation::badFrames()
{
    verifyError();
}

void TestRequestValidation::badIds_data()
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

void TestRequestValidation::badIds()
{
    verifyError();
}

void TestRequestValidation::badTypes_data()
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

void TestRequestValidation::badTypes()
{
    verifyError();
}

void TestRequestValidation::unknownFields_data()
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

void TestRequestValidation::unknownFields()
{
    verifyError();
}

void TestRequestValidation::missingFields_data()
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

void TestRequestValidation::missingFields()
{
    verifyError();
}

void TestRequestValidation::badFieldValues_data()
{
    addErrorColumns();
    auto row = [](const char *name, RequestType t, QLatin1StringView f, const auto &value,
                   ErrorCode code = ErrorCode::BadRequest) {
        QTest::newRow(name) << with(t, f, QJsonValue(value), u"v-1"_s) << code << QString(f)
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

    // Files (§16)
    row("file name empty", RequestType::UploadBegin, "name"_L1, u""_s);
    row("file name blank", RequestType::UploadBegin, "name"_L1, u"   "_s);
    row("file name 256", RequestType::UploadBegin, "name"_L1, QString(MaxFileNameLength + 1, u'n'),
        ErrorCode::TooLarge);
    row("file name with slash", RequestType::UploadBegin, "name"_L1, u"../etc/passwd"_s);
    row("file name with backslash", RequestType::UploadBegin, "name"_L1, u"a\\b.txt"_s);
    row("file name newline", RequestType::UploadBegin, "name"_L1, u"a\nb"_s);
    row("file size negative", RequestType::UploadBegin, "size"_L1, -1);
    row("file size fraction", RequestType::UploadBegin, "size"_L1, 1.5);
    row("file size 2^53", RequestType::UploadBegin, "size"_L1, TwoPow53);
    row("file size string", RequestType::UploadBegin, "size"_L1, u"10"_s);
    row("sha256 uppercase", RequestType::UploadBegin, "sha256"_L1, QString(64, u'A'));
    row("sha256 63", RequestType::UploadBegin, "sha256"_L1, QString(63, u'a'));
    row("sha256 65", RequestType::UploadBegin, "sha256"_L1, QString(65, u'a'), ErrorCode::TooLarge);
    row("sha256 not hex", RequestType::UploadBegin, "sha256"_L1, QString(64, u'g'));
    row("upload id 0", RequestType::UploadFinish, "upload"_L1, 0);
    row("download offset negative", RequestType::Download, "offset"_L1, -1);
    row("download thumbnail 1", RequestType::Download, "thumbnail"_L1, 1);
    row("attachments empty", RequestType::Send, "attachments"_L1, QJsonArray());
    row("attachments not array", RequestType::Send, "attachments"_L1, 7);
    row("attachments id 0", RequestType::Send, "attachments"_L1, QJsonArray {0});
    row("attachments string id", RequestType::Send, "attachments"_L1, QJsonArray {u"7"_s});
    row("attachments twice", RequestType::Send, "attachments"_L1, QJsonArray {7, 8, 7});
    QJsonArray eleven;
    for (int i = 1; i <= MaxAttachments + 1; ++i)
        eleven.append(i);
    row("attachments 11", RequestType::Send, "attachments"_L1, eleven, ErrorCode::TooLarge);
}

void TestRequestValidation::badFieldValues()
{
    verifyError();
}

void TestRequestValidation::frameSizeLimit()
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

void TestRequestValidation::customLimits_data()
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

void TestRequestValidation::customLimits()
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

void TestRequestValidation::syncRoomCountLimit()
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

void TestRequestValidation::deepNestingDoesNotCrash()
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
void TestRequestValidation::rawControlCharactersInJsonStrings()
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

void TestRequestValidation::validateFieldDirect()
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

QTEST_GUILESS_MAIN(TestRequestValidation)
#include "tst_requestvalidation.moc"
