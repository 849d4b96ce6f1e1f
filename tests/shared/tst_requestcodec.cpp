// SPDX-License-Identifier: GPL-3.0-or-later
//
// Request builders and round trips through the decoder, and the values each field accepts.

#include "codectestdata.h"
#include "protocol/fileinfo.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab::protocol;
using namespace confab::test;

class TestRequestCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestRoundTrip_data();
    void requestRoundTrip();
    void typedBodies();
    void fileBodies();
    void fileFrames();
    void encodeShape_data();
    void encodeShape();
    void requestAccessors();
    void acceptedValues_data();
    void acceptedValues();
};

void TestRequestCodec::requestRoundTrip_data()
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

void TestRequestCodec::requestRoundTrip()
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
    // The body is the alternative of the request's own type: the variant lists them in
    // RequestType order.
    QCOMPARE(int(r.body.index()), int(type));
}

void TestRequestCodec::typedBodies()
{
    namespace req = requests;
    const auto decode = [](const OutgoingRequest &o) {
        return std::get<Request>(decodeRequest(o.encode(1), Limits {}));
    };
    const auto send = decode(req::send(7, u"t-1"_s, u"hi @ana"_s)).as<body::Send>();
    QCOMPARE(send.room, 7);
    QCOMPARE(send.txn, u"t-1"_s);
    QCOMPARE(send.text, u"hi @ana"_s);

    const auto before = decode(req::historyBefore(3, 40, 25)).as<body::History>();
    QCOMPARE(before.room, 3);
    QCOMPARE(before.before, std::optional<qint64>(40));
    QVERIFY(!before.after);
    QCOMPARE(before.limit, std::optional<int>(25));
    const auto bare = decode({RequestType::History, {{"room"_L1, 3}}}).as<body::History>();
    QVERIFY(!bare.before && !bare.after && !bare.limit);

    const auto sync = decode(req::sync({{2, 10}, {MaxSafeInteger, 0}})).as<body::Sync>();
    QCOMPARE(sync.cursors, (QHash<qint64, qint64> {{2, 10}, {MaxSafeInteger, 0}}));

    const auto registration
        = decode(req::registerAccount(u"ana"_s, u"password-1"_s)).as<body::Register>();
    QCOMPARE(registration.username, u"ana"_s);
    QCOMPARE(registration.password, u"password-1"_s);
    QVERIFY(registration.invite.isEmpty());
    QCOMPARE(decode(req::typing(4, true)).as<body::Typing>().typing, true);
    QCOMPARE(decode(req::markRead(4, 9)).as<body::MarkRead>().seq, 9);
    QCOMPARE(decode(req::openDirect(u"bob"_s)).as<body::OpenDirect>().user, u"bob"_s);

    // The room a request names, for the checks every room request shares.
    QCOMPARE(requestRoom(decode(req::leave(11)).body), 11);
    QCOMPARE(requestRoom(decode(req::members(12)).body), 12);
    QCOMPARE(requestRoom(decode(req::ping()).body), 0);
    QCOMPARE(requestRoom(decode(req::openDirect(u"bob"_s)).body), 0);
}

void TestRequestCodec::fileBodies()
{
    namespace req = requests;
    const auto decode = [](const OutgoingRequest &o) {
        return std::get<Request>(decodeRequest(o.encode(1), Limits {}));
    };
    // Files alone: the builder leaves the text out and the codec takes that.
    const auto filesOnly = req::send(7, u"t-2"_s, QString(), 0, {5, 9});
    QVERIFY(!filesOnly.fields.contains("text"_L1));
    const auto send = decode(filesOnly).as<body::Send>();
    QCOMPARE(send.attachments, (QList<qint64> {5, 9}));
    QVERIFY(send.text.isEmpty());
    const auto captioned = decode(req::send(7, u"t-3"_s, u"our cat"_s, 4, {5})).as<body::Send>();
    QCOMPARE(captioned.text, u"our cat"_s);
    QCOMPARE(captioned.replyTo, 4);
    QCOMPARE(captioned.attachments, (QList<qint64> {5}));
    // Neither text nor files: the missing text is reported, as before files existed.
    const auto neither = decodeRequest(req::send(7, u"t-4"_s, QString()).encode(2), Limits {});
    QVERIFY(std::holds_alternative<RequestError>(neither));
    QCOMPARE(std::get<RequestError>(neither).field, u"text"_s);

    const auto sha = QString(64, u'c');
    const auto begin = decode(req::uploadBegin(u"cat.jpg"_s, 600'000, sha)).as<body::UploadBegin>();
    QCOMPARE(begin.name, u"cat.jpg"_s);
    QCOMPARE(begin.size, 600'000);
    QCOMPARE(begin.sha256, sha);
    QVERIFY(decode(req::uploadBegin(u"e"_s, 0)).as<body::UploadBegin>().sha256.isEmpty());
    QCOMPARE(decode(req::uploadFinish(42)).as<body::UploadRef>().upload, 42);
    QCOMPARE(decode(req::uploadCancel(43)).type, RequestType::UploadCancel);
    const auto whole = decode(req::download(7)).as<body::Download>();
    QCOMPARE(whole.file, 7);
    QCOMPARE(whole.offset, 0);
    QVERIFY(!whole.length);
    QVERIFY(!whole.thumbnail);
    // A file object's hash names a file in a client's cache: only 64 lowercase hex digits.
    QJsonObject file {{u"id"_s, 7}, {u"name"_s, u"a.txt"_s}, {u"size"_s, 3},
        {u"mimeType"_s, u"text/plain"_s}, {u"sha256"_s, QString(64, u'0')}};
    QVERIFY(FileInfo::fromJson(file));
    for (const QString &bad : {u"../../evil"_s, QString(64, u'A'), QString(63, u'0'), QString()}) {
        file.insert(u"sha256"_s, bad);
        QVERIFY2(!FileInfo::fromJson(file), qPrintable(bad));
    }

    const auto range = decode(req::download(7, 100, 50, true)).as<body::Download>();
    QCOMPARE(range.offset, 100);
    QCOMPARE(range.length, std::optional<qint64>(50));
    QVERIFY(range.thumbnail);
}

void TestRequestCodec::fileFrames()
{
    const QByteArray data("abc");
    const QByteArray message = encodeFileFrame(
        {FileFrameKind::UploadChunk, 0x0102030405060708ULL, (quint64(1) << 40) + 5, data});
    QCOMPARE(message.size(), FileFrameHeaderBytes + 3);
    // Big-endian, as §16.2 says.
    QCOMPARE(message.left(9), QByteArray::fromHex("010102030405060708"));
    QCOMPARE(message.mid(9, 8), QByteArray::fromHex("0000010000000005"));
    const auto frame = decodeFileFrame(message);
    QVERIFY(frame);
    QCOMPARE(frame->kind, FileFrameKind::UploadChunk);
    QCOMPARE(frame->id, 0x0102030405060708ULL);
    QCOMPARE(frame->offset, (quint64(1) << 40) + 5);
    QCOMPARE(frame->data.toByteArray(), data);

    QVERIFY(!decodeFileFrame(message.left(FileFrameHeaderBytes))); // no data
    QVERIFY(!decodeFileFrame(QByteArray()));
    QByteArray unknownKind = message;
    unknownKind[0] = 3;
    QVERIFY(!decodeFileFrame(unknownKind));
    unknownKind[0] = 0;
    QVERIFY(!decodeFileFrame(unknownKind));
    QCOMPARE(decodeFileFrame(encodeFileFrame({FileFrameKind::DownloadData, 1, 0, data}))->kind,
        FileFrameKind::DownloadData);
}

void TestRequestCodec::encodeShape_data()
{
    QTest::addColumn<OutgoingRequest>("request");
    QTest::addColumn<QString>("typeName");
    for (RequestType t : AllRequestTypes) {
        const QString name = requestTypeName(t);
        QTest::addRow("%s", qPrintable(name)) << OutgoingRequest {t, validFields(t)} << name;
    }
}

void TestRequestCodec::encodeShape()
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

void TestRequestCodec::requestAccessors()
{
    {
        const DecodedRequest d = decodeRequest(
            requests::send(MaxSafeInteger, u"t"_s, u"hello"_s).encode(1), Limits {});
        const auto *r = std::get_if<Request>(&d);
        QVERIFY(r);
        const auto &send = r->as<body::Send>();
        QCOMPARE(send.room, MaxSafeInteger);
        QCOMPARE(send.text, u"hello"_s);
        QCOMPARE(send.txn, u"t"_s);
        QVERIFY(!std::holds_alternative<body::History>(r->body));
    }
    {
        const DecodedRequest d = decodeRequest(requests::typing(2, true).encode(1), Limits {});
        const auto *r = std::get_if<Request>(&d);
        QVERIFY(r);
        QCOMPARE(r->as<body::Typing>().typing, true);
    }
    {
        const DecodedRequest d = decodeRequest(requests::typing(2, false).encode(1), Limits {});
        const auto *r = std::get_if<Request>(&d);
        QVERIFY(r);
        QCOMPARE(r->as<body::Typing>().typing, false);
        QCOMPARE(r->as<body::Typing>().room, 2);
    }
}

// Values at the edge of each rule that must be accepted.
void TestRequestCodec::acceptedValues_data()
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

void TestRequestCodec::acceptedValues()
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

QTEST_GUILESS_MAIN(TestRequestCodec)
#include "tst_requestcodec.moc"
