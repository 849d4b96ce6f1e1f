// SPDX-License-Identifier: GPL-3.0-or-later
//
// Room events and every server frame: encoding, decoding and rejection.

#include "codectestdata.h"
#include "protocol/hello.h"
#include "protocol/moveaddress.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab::protocol;
using namespace confab::test;

class TestServerFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roomEventRoundTrip_data();
    void roomEventRoundTrip();
    void roomEventFromJsonRejects_data();
    void roomEventFromJsonRejects();
    void helloFrame();
    void helloFromOlderServer();
    void movedAddresses_data();
    void movedAddresses();
    void followingNeverDropsTls();
    void directoryFrame();
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
};

// ---------------------------------------------------------------------------
// Room events

void TestServerFrames::roomEventRoundTrip_data()
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

void TestServerFrames::roomEventRoundTrip()
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
    const auto f = decodeServerFrame(frames::event(event));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Event);
    const auto fromFrame = f->roomEvent();
    QVERIFY(fromFrame);
    QCOMPARE(*fromFrame, event);
    QCOMPARE(fromFrame->mentions, event.mentions);
    QCOMPARE(fromFrame->text, event.text);
}

void TestServerFrames::roomEventFromJsonRejects_data()
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

void TestServerFrames::roomEventFromJsonRejects()
{
    QFETCH(QJsonObject, json);
    QVERIFY(!RoomEvent::fromJson(json));
}

// ---------------------------------------------------------------------------
// Server frames

void TestServerFrames::helloFrame()
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

    Hello hello;
    hello.server = u"confab.example"_s;
    hello.registration = u"invite"_s;
    hello.limits = l;
    hello.features = {u"directory_push"_s, u"future_thing"_s};
    const QByteArray text = hello.encode();
    QVERIFY(!text.contains('\n'));
    const auto f = decodeServerFrame(text);
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
    QCOMPARE(f->body.value("features"_L1).toArray(),
        QJsonArray({u"directory_push"_s, u"future_thing"_s}));
    QVERIFY(!f->roomEvent());

    // The decoder reads back every member the encoder wrote.
    const auto back = Hello::fromJson(f->body);
    QVERIFY(back);
    QCOMPARE(back->protocol, Version);
    QCOMPARE(back->server, hello.server);
    QCOMPARE(back->registration, hello.registration);
    QCOMPARE(back->features, hello.features);
    // Without an identity (an older server), none of its members is written.
    for (const char *member : {"serverId", "name", "fingerprint"})
        QVERIFY(!f->body.contains(QLatin1StringView(member)));
    QVERIFY(back->serverId.isEmpty() && back->name.isEmpty() && back->fingerprint.isEmpty());
    hello.serverId = u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11"_s;
    hello.name = u"Workshop"_s;
    hello.fingerprint = QString(64, u'c');
    const auto withIdentity = Hello::fromJson(decodeServerFrame(hello.encode())->body);
    QVERIFY(withIdentity);
    QCOMPARE(withIdentity->serverId, hello.serverId);
    QCOMPARE(withIdentity->name, hello.name);
    QCOMPARE(withIdentity->fingerprint, hello.fingerprint);
    // Pins are keyed by the id: what is not a UUID as §19.1 writes it counts as absent.
    for (const QString &bad : {u"{6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11}"_s,
             u"6D3F0C52-6F8E-4B8A-9A43-7E1F0C2D9B11"_s, u"wss://127.0.0.1:8747"_s, QString()}) {
        hello.serverId = bad;
        QJsonObject body = decodeServerFrame(hello.encode())->body;
        body.insert("serverId"_L1, bad);
        QVERIFY2(Hello::fromJson(body)->serverId.isEmpty(), qPrintable(bad));
    }
    QVERIFY(back->has(features::DirectoryPush));
    QVERIFY(!back->has("voice"_L1));
    QCOMPARE(back->limits.maxFrameBytes, 1001);
    QCOMPARE(back->limits.maxTextBytes, 1002);
    QCOMPARE(back->limits.historyPageMax, 1003);
    QCOMPARE(back->limits.resumeMax, 1004);
    QCOMPARE(back->limits.ratePerSecond, 1005);
    QCOMPARE(back->limits.rateBurst, 1006);
    QCOMPARE(back->limits.authTimeoutMs, 1007);
    QCOMPARE(back->limits.typingTtlMs, 1008);
    QCOMPARE(back->limits.heartbeatIntervalMs, 1009);
}

void TestServerFrames::helloFromOlderServer()
{
    // A server without capabilities and with a limit missing or nonsensical: the
    // defaults stand, the feature list is empty, unknown members are ignored.
    const auto hello = Hello::fromJson(QJsonObject {{"type"_L1, "hello"_L1}, {"protocol"_L1, 1},
        {"server"_L1, "confabd/0.0.9"_L1}, {"registration"_L1, "open"_L1},
        {"limits"_L1,
            QJsonObject {{"maxTextBytes"_L1, 0}, {"rateBurst"_L1, "60"_L1}, {"resumeMax"_L1, 9},
                {"somethingNew"_L1, 5}}},
        {"shiny"_L1, true}});
    QVERIFY(hello);
    QCOMPARE(hello->protocol, 1);
    QVERIFY(hello->features.isEmpty());
    QVERIFY(!hello->has(features::DirectoryPush));
    const Limits defaults;
    QCOMPARE(hello->limits.maxTextBytes, defaults.maxTextBytes);
    QCOMPARE(hello->limits.rateBurst, defaults.rateBurst);
    QCOMPARE(hello->limits.resumeMax, 9);
    QVERIFY(!Hello::fromJson(QJsonObject {{"type"_L1, "result"_L1}}));
}

void TestServerFrames::movedAddresses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");
    QTest::newRow("wss with port") << u"wss://192.168.1.30:8747"_s << true;
    QTest::newRow("ws host name") << u"ws://nas.local"_s << true;
    QTest::newRow("trailing slash") << u"wss://[fe80::1]:8747/"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("https") << u"https://192.168.1.30:8747"_s << false;
    QTest::newRow("confab link") << u"confab://192.168.1.30:8747/join"_s << false;
    QTest::newRow("no host") << u"wss://:8747"_s << false;
    QTest::newRow("user") << u"wss://ana@192.168.1.30:8747"_s << false;
    QTest::newRow("path") << u"wss://192.168.1.30:8747/chat"_s << false;
    QTest::newRow("query") << u"wss://192.168.1.30:8747?x=1"_s << false;
    QTest::newRow("fragment") << u"wss://192.168.1.30:8747#x"_s << false;
    QTest::newRow("space") << u" wss://192.168.1.30:8747"_s << false;
    QTest::newRow("bad port") << u"wss://192.168.1.30:99999"_s << false;
    QTest::newRow("not a url") << u"192.168.1.30"_s << false;
}

void TestServerFrames::movedAddresses()
{
    // The same rule in hello, in the push and in the server's setting.
    QFETCH(QString, url);
    QFETCH(bool, valid);
    QCOMPARE(moveAddress(url).isValid(), valid);
    const auto pushed = decodeServerFrame(frames::moved(url));
    QVERIFY(pushed);
    QCOMPARE(pushed->type, ServerFrameType::Moved);
    QCOMPARE(pushed->movedTo().has_value(), valid);
    Hello hello;
    hello.movedTo = url;
    const auto decoded = Hello::fromJson(QJsonDocument::fromJson(hello.encode()).object());
    QVERIFY(decoded);
    QCOMPARE(decoded->movedTo.isEmpty(), !valid);
    if (valid) {
        QCOMPARE(QUrl(*pushed->movedTo()), QUrl(url));
        QCOMPARE(QUrl(decoded->movedTo), QUrl(url));
    }
}

void TestServerFrames::followingNeverDropsTls()
{
    const QUrl ws(u"ws://10.0.0.1:8747"_s);
    const QUrl wss(u"wss://10.0.0.2:8747"_s);
    QVERIFY(mayFollowMove(ws, ws));
    QVERIFY(mayFollowMove(ws, wss));
    QVERIFY(mayFollowMove(wss, wss));
    QVERIFY(!mayFollowMove(wss, ws));
}

void TestServerFrames::directoryFrame()
{
    const DirectoryEntry entry {7, u"design"_s, u"Pixels"_s, 3, true};
    const auto f = decodeServerFrame(frames::directory(entry));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Directory);
    QCOMPARE(f->body.value("room"_L1).toObject(),
        QJsonObject({{"id"_L1, 7}, {"name"_L1, "design"_L1}, {"topic"_L1, "Pixels"_L1},
            {"memberCount"_L1, 3}, {"joined"_L1, true}, {"private"_L1, false}}));
    QCOMPARE(f->directoryEntry(), entry);
    QVERIFY(!f->roomEvent());
    // Only a directory frame carries an entry, and a malformed one carries none.
    QVERIFY(!decodeServerFrame(frames::typing(7, u"ana"_s, true))->directoryEntry());
    QVERIFY(!DirectoryEntry::fromJson({{"id"_L1, 0}, {"name"_L1, "x"_L1}}));
    QVERIFY(!DirectoryEntry::fromJson({{"id"_L1, 1.5}, {"name"_L1, "x"_L1}}));
    QVERIFY(!DirectoryEntry::fromJson({{"id"_L1, 1}, {"name"_L1, ""_L1}}));
    QVERIFY(!DirectoryEntry::fromJson({{"id"_L1, "1"_L1}, {"name"_L1, "x"_L1}}));
}

void TestServerFrames::resultFrame_data()
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

void TestServerFrames::resultFrame()
{
    QFETCH(QJsonValue, id);
    QFETCH(QJsonObject, data);
    const auto f = decodeServerFrame(frames::result(id, data));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Result);
    QCOMPARE(f->id, id);
    QCOMPARE(f->data(), data);
    QVERIFY(f->body.contains("data"_L1));
    QVERIFY(!f->roomEvent());
}

void TestServerFrames::errorFrame_data()
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

void TestServerFrames::errorFrame()
{
    QFETCH(ErrorCode, code);
    QFETCH(QJsonValue, id);
    const QString message = u"something went wrong: \u00e9"_s;
    const auto f = decodeServerFrame(frames::error(id, code, message));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Error);
    QCOMPARE(f->body.value("code"_L1).toString(), errorCodeName(code));
    QCOMPARE(errorCodeName(f->error), errorCodeName(code));
    QCOMPARE(f->message, message);
    QCOMPARE(f->id, id);
    QVERIFY(f->body.contains("id"_L1)); // present even when null
}

void TestServerFrames::errorFrameDetails()
{
    // An undefined id is sent as null rather than dropped.
    {
        const QByteArray text
            = frames::error(QJsonValue(QJsonValue::Undefined), ErrorCode::BadFrame, u"x"_s);
        const auto f = decodeServerFrame(text);
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
        const QByteArray text
            = frames::error(u"q"_s, ErrorCode::Throttled, u"slow down"_s, details);
        const auto f = decodeServerFrame(text);
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

void TestServerFrames::errorFrameUnknownCode()
{
    const auto f
        = decodeServerFrame(R"({"type":"error","id":1,"code":"new_code","message":"m"})"_ba);
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Error);
    QCOMPARE(f->error, ErrorCode::Internal);
    QCOMPARE(f->message, u"m"_s);
    QCOMPARE(f->id, QJsonValue(1));
}

void TestServerFrames::eventFrame()
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
    const QByteArray text = frames::event(e);
    QVERIFY(!text.contains('\n'));
    const auto f = decodeServerFrame(text);
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Event);
    QCOMPARE(f->body.value("event"_L1).toObject(), e.toJson());
    const auto back = f->roomEvent();
    QVERIFY(back);
    QCOMPARE(*back, e);
}

void TestServerFrames::roomFrame()
{
    RoomSummary channel;
    channel.id = 5;
    channel.name = u"General"_s;
    channel.topic = u"All things"_s;
    channel.lastSeq = 12;
    channel.memberCount = 3;
    channel.readSeq = 10;
    channel.unread = 2;
    channel.mentions = 1;
    const auto f = decodeServerFrame(frames::room(channel));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Room);
    QCOMPARE(f->body.value("room"_L1).toObject(),
        QJsonObject({{"id"_L1, 5}, {"kind"_L1, "channel"_L1}, {"name"_L1, "General"_L1},
            {"topic"_L1, "All things"_L1}, {"lastSeq"_L1, 12}, {"memberCount"_L1, 3},
            {"readSeq"_L1, 10}, {"unread"_L1, 2}, {"mentions"_L1, 1}}));
    QCOMPARE(f->roomSummary(), channel);
    QVERIFY(!f->directoryEntry());

    // A direct room lists its members; a summary for a non-member has no read state.
    RoomSummary direct;
    direct.id = 6;
    direct.direct = true;
    direct.name = u"bob"_s;
    direct.members = {u"ana"_s, u"bob"_s};
    direct.hasReadState = false;
    const QJsonObject json = direct.toJson();
    QCOMPARE(json.value("kind"_L1).toString(), u"direct"_s);
    QCOMPARE(json.value("members"_L1).toArray().size(), 2);
    QVERIFY(!json.contains("readSeq"_L1) && !json.contains("unread"_L1));
    QCOMPARE(RoomSummary::fromJson(json), direct);
    QVERIFY(!RoomSummary::fromJson({{"id"_L1, 7}, {"name"_L1, "x"_L1}, {"kind"_L1, "voice"_L1}}));
    QVERIFY(!RoomSummary::fromJson({{"id"_L1, 0}, {"name"_L1, "x"_L1}, {"kind"_L1, "channel"_L1}}));
}

void TestServerFrames::unreadFrame()
{
    const auto f = decodeServerFrame(frames::unread({4, 10, 3, 1}));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Unread);
    QCOMPARE(f->body.value("room"_L1).toInteger(), qint64(4));
    QCOMPARE(f->body.value("readSeq"_L1).toInteger(), qint64(10));
    QCOMPARE(f->body.value("unread"_L1).toInteger(), qint64(3));
    QCOMPARE(f->body.value("mentions"_L1).toInteger(), qint64(1));
    QCOMPARE(f->readState(), (ReadState {4, 10, 3, 1}));
    QVERIFY(!f->presence() && !f->typing() && !f->roomSummary());

    const auto big = decodeServerFrame(frames::unread({MaxSafeInteger, MaxSafeInteger - 1, 0, 0}));
    QVERIFY(big);
    QCOMPARE(big->body.value("room"_L1).toInteger(), MaxSafeInteger);
    QCOMPARE(big->body.value("readSeq"_L1).toInteger(), MaxSafeInteger - 1);
    QCOMPARE(big->body.value("unread"_L1).toInteger(-1), qint64(0));
    QCOMPARE(big->readState(), (ReadState {MaxSafeInteger, MaxSafeInteger - 1, 0, 0}));
}

void TestServerFrames::presenceFrame_data()
{
    QTest::addColumn<QStringList>("online");
    QTest::addColumn<QStringList>("offline");
    QTest::newRow("one online") << QStringList {u"ana"_s} << QStringList {};
    QTest::newRow("one offline") << QStringList {} << QStringList {u"bob.b"_s};
    QTest::newRow("batch") << QStringList {u"ana"_s, u"carl"_s, u"dee"_s}
                           << QStringList {u"bob.b"_s, u"eve"_s};
}

void TestServerFrames::presenceFrame()
{
    QFETCH(QStringList, online);
    QFETCH(QStringList, offline);
    const auto f = decodeServerFrame(frames::presence(online, offline));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Presence);
    // Both lists are always there, so a client never has to guess a missing one.
    QVERIFY(f->body.value("online"_L1).isArray());
    QVERIFY(f->body.value("offline"_L1).isArray());
    QCOMPARE(f->body.value("online"_L1).toVariant().toStringList(), online);
    QCOMPARE(f->body.value("offline"_L1).toVariant().toStringList(), offline);
    QVERIFY(!f->body.contains("user"_L1));
    QCOMPARE(f->presence()->online, online);
    QCOMPARE(f->presence()->offline, offline);
}

void TestServerFrames::typingFrame_data()
{
    QTest::addColumn<qint64>("room");
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("typing");
    QTest::newRow("start") << qint64(8) << u"ana"_s << true;
    QTest::newRow("stop") << MaxSafeInteger << u"bob"_s << false;
}

void TestServerFrames::typingFrame()
{
    QFETCH(qint64, room);
    QFETCH(QString, user);
    QFETCH(bool, typing);
    const auto f = decodeServerFrame(frames::typing(room, user, typing));
    QVERIFY(f);
    QCOMPARE(f->type, ServerFrameType::Typing);
    QCOMPARE(f->body.value("room"_L1).toInteger(), room);
    QCOMPARE(f->body.value("user"_L1).toString(), user);
    QVERIFY(f->body.value("typing"_L1).isBool());
    QCOMPARE(f->body.value("typing"_L1).toBool(), typing);
    const auto change = f->typing();
    QVERIFY(change);
    QCOMPARE(change->room, room);
    QCOMPARE(change->user, user);
    QCOMPARE(change->typing, typing);
}

void TestServerFrames::roomEventOnlyFromEventFrames()
{
    RoomEvent e;
    e.room = 1;
    e.seq = 1;
    e.kind = EventKind::Join;
    e.sender = u"ana"_s;
    // The event object placed in a result frame is not an event frame.
    const auto result = decodeServerFrame(frames::result(1, {{"event"_L1, e.toJson()}}));
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
    // A kind this build does not know still carries its seq (§7.1): a placeholder.
    const auto future
        = decodeServerFrame(R"({"type":"event","event":{"kind":"poll","room":3,"seq":9}})"_ba);
    QVERIFY(future);
    const auto placeholder = future->roomEvent();
    QVERIFY(placeholder);
    QVERIFY(placeholder->isPlaceholder());
    QCOMPARE(placeholder->room, 3);
    QCOMPARE(placeholder->seq, 9);
    QVERIFY(!RoomEvent::fromJson(future->body.value("event"_L1).toObject()));
}

void TestServerFrames::decodeServerFrameRejects_data()
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

void TestServerFrames::decodeServerFrameRejects()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!decodeServerFrame(bytes));
}

void TestServerFrames::serverFrameTypeNames_data()
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
    QTest::newRow("directory") << ServerFrameType::Directory << u"directory"_s;
}

void TestServerFrames::serverFrameTypeNames()
{
    QFETCH(ServerFrameType, type);
    QFETCH(QString, name);
    QCOMPARE(QString(serverFrameTypeName(type)), name);
    // A minimal frame of that type decodes to it.
    const auto f = decodeServerFrame(toBytes({{"type"_L1, name}}));
    QVERIFY(f);
    QCOMPARE(f->type, type);
}

QTEST_GUILESS_MAIN(TestServerFrames)
#include "tst_serverframes.moc"
