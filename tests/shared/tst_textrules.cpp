// SPDX-License-Identifier: GPL-3.0-or-later
//
// Text rules (UTF-8, surrogates, control characters, usernames, txns, mentions) and the name
// tables.

#include "codectestdata.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab::protocol;
using namespace confab::test;

class TestTextRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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
// Text rules

void TestTextRules::isValidUtf8_data()
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

void TestTextRules::isValidUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(confab::protocol::isValidUtf8(bytes), valid);
    // The decoder keeps no state between calls.
    QCOMPARE(confab::protocol::isValidUtf8("ok"_ba), true);
}

void TestTextRules::hasUnpairedSurrogate_data()
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

void TestTextRules::hasUnpairedSurrogate()
{
    QFETCH(QString, text);
    QFETCH(bool, unpaired);
    QCOMPARE(confab::protocol::hasUnpairedSurrogate(text), unpaired);
}

void TestTextRules::hasControlCharacter_data()
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

void TestTextRules::hasControlCharacter()
{
    QFETCH(QString, text);
    QFETCH(QString, allowed);
    QFETCH(bool, control);
    QCOMPARE(confab::protocol::hasControlCharacter(text, allowed), control);
    // Stripping removes exactly what the check finds: the server takes the result.
    const QString stripped = confab::protocol::withoutControlCharacters(text, allowed);
    QVERIFY(!confab::protocol::hasControlCharacter(stripped, allowed));
    QCOMPARE(stripped == text, !control);
    QVERIFY(stripped.size() < text.size() || !control);
}

void TestTextRules::isValidUsername_data()
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

void TestTextRules::isValidUsername()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(confab::protocol::isValidUsername(name), valid);
}

void TestTextRules::isValidTxn_data()
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

void TestTextRules::isValidTxn()
{
    QFETCH(QString, txn);
    QFETCH(bool, valid);
    QCOMPARE(confab::protocol::isValidTxn(txn), valid);
}

void TestTextRules::extractMentions_data()
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

void TestTextRules::extractMentions()
{
    QFETCH(QString, text);
    QFETCH(QStringList, mentions);
    // Regression: an over-long @word once mentioned its 32-character prefix.
    QCOMPARE(confab::protocol::extractMentions(text), mentions);
}

// ---------------------------------------------------------------------------
// Name tables

void TestTextRules::errorCodeNames_data()
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
    QTest::newRow("SignInInProgress") << ErrorCode::SignInInProgress << u"sign_in_in_progress"_s;
}

void TestTextRules::errorCodeNames()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, name);
    QCOMPARE(errorCodeName(code), name);
    const auto back = errorCodeFromName(name);
    QVERIFY(back);
    QCOMPARE(errorCodeName(*back), name);
    QCOMPARE(*back, code);
}

void TestTextRules::errorCodeNamesUnique()
{
    QCOMPARE(AllErrorCodes.size(), int(ErrorCode::HashMismatch) + 1);
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

void TestTextRules::errorCodeFromUnknownName()
{
    QVERIFY(!errorCodeFromName(u""_s));
    QVERIFY(!errorCodeFromName(u"BAD_FRAME"_s));
    QVERIFY(!errorCodeFromName(u"bad_frame "_s));
    QVERIFY(!errorCodeFromName(u"username_taken"_s));
    QVERIFY(!errorCodeFromName(u"BadFrame"_s));
}

void TestTextRules::requestTypeNames_data()
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

void TestTextRules::requestTypeNames()
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

void TestTextRules::requestTypeFromUnknownName()
{
    QCOMPARE(AllRequestTypes.size(), int(RequestType::AddToGroup) + 1);
    QVERIFY(!requestTypeFromName(u""_s));
    QVERIFY(!requestTypeFromName(u"PING"_s));
    QVERIFY(!requestTypeFromName(u"logoutAll"_s));
    QVERIFY(!requestTypeFromName(u"hello"_s));
    QSet<QString> names;
    for (RequestType t : AllRequestTypes)
        names.insert(requestTypeName(t));
    QCOMPARE(names.size(), AllRequestTypes.size());
}

void TestTextRules::eventKindNames_data()
{
    QTest::addColumn<EventKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("create") << EventKind::Create << u"create"_s;
    QTest::newRow("message") << EventKind::Message << u"message"_s;
    QTest::newRow("join") << EventKind::Join << u"join"_s;
    QTest::newRow("leave") << EventKind::Leave << u"leave"_s;
    QTest::newRow("topic") << EventKind::Topic << u"topic"_s;
}

void TestTextRules::eventKindNames()
{
    QFETCH(EventKind, kind);
    QFETCH(QString, name);
    QCOMPARE(QString(eventKindName(kind)), name);
    QCOMPARE(eventKindFromName(name), std::optional<EventKind>(kind));
    QVERIFY(!eventKindFromName(name.toUpper()));
}

QTEST_GUILESS_MAIN(TestTextRules)
#include "tst_textrules.moc"
