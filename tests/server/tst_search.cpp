// SPDX-License-Identifier: GPL-3.0-or-later
// search (protocol §5.23) through real sockets on 127.0.0.1: scripts, filters, paging,
// snippets, membership, and every field wrong.
#include "clientpool.h"
#include "protocol/hello.h"
#include "protocol/searchresults.h"
#include "testclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QtTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace confab;
using protocol::ErrorCode;
using protocol::ServerFrameType;
namespace req = protocol::requests;

class TestSearch : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::TestServer> m_server;
    test::ClientPool m_clients {[this] { return m_server->url(); }};
    int m_txn = 0;

    // Sends \a text as \a c; the ack (id, seq, ts) or an empty object.
    QJsonObject send(test::TestClient *c, qint64 room, const QString &text)
    {
        const auto r = c->request(req::send(room, u"t%1"_s.arg(++m_txn), text));
        return r && r->type == ServerFrameType::Result ? r->data() : QJsonObject();
    }
    static req::SearchFilter filter(const QString &query, qint64 room = 0,
        const QString &sender = {}, qint64 after = 0, qint64 before = 0)
    {
        return {query, room, sender, after, before};
    }
    static std::optional<protocol::SearchResults> search(
        test::TestClient *c, const req::SearchFilter &filter, int limit = 20, int offset = 0)
    {
        const auto r = c->request(req::search(filter, limit, offset));
        if (!r || r->type != ServerFrameType::Result)
            return std::nullopt;
        return protocol::SearchResults::fromJson(r->data());
    }
    static QStringList texts(const protocol::SearchResults &results)
    {
        QStringList out;
        for (const auto &h : results.hits)
            out.append(h.event.text);
        return out;
    }
    // The text of a search for \a query in every room of \a c, in rank order.
    static QStringList found(test::TestClient *c, const QString &query)
    {
        const auto r = search(c, filter(query));
        return r ? texts(*r) : QStringList {u"<search failed>"_s};
    }
    // What each highlight of \a hit covers in its snippet.
    static QStringList marked(const protocol::SearchHit &hit)
    {
        QStringList out;
        for (const auto &h : hit.highlights)
            out.append(hit.snippet.mid(h.start, h.length));
        return out;
    }
    static ErrorCode refusal(test::TestClient *c, const protocol::OutgoingRequest &r)
    {
        const auto reply = c->request(r);
        if (!reply || reply->type != ServerFrameType::Error)
            return ErrorCode::Internal; // not refused: no test expects internal
        return reply->error;
    }
    // One user in one room holding \a messages.
    test::TestClient *userWith(const QStringList &messages, qint64 *roomOut = nullptr)
    {
        auto *ana = m_clients.registered(u"ana"_s);
        if (!ana)
            return nullptr;
        const qint64 room = test::createRoom(ana, u"general"_s);
        if (room <= 0)
            return nullptr;
        for (const QString &m : messages) {
            if (send(ana, room, m).isEmpty())
                return nullptr;
        }
        if (roomOut)
            *roomOut = room;
        return ana;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::TestServer>();
        m_server->config().limits.ratePerSecond = 10'000;
        m_server->config().limits.rateBurst = 10'000;
        QVERIFY(m_server->start());
    }
    void cleanup()
    {
        m_clients.clear();
        m_server.reset();
    }

    void helloAnnouncesSearch()
    {
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        const QJsonArray features = c->hello().value("features"_L1).toArray();
        QVERIFY(features.contains(QString(protocol::features::Search)));
    }

    void latinIgnoresCaseAndDiacritics()
    {
        auto *ana = userWith({u"Résumé attached, see page 2"_s, u"Ærøskøbing harbour at dawn"_s,
            u"nothing to see"_s});
        QVERIFY(ana);
        QCOMPARE(found(ana, u"resume"_s), QStringList {u"Résumé attached, see page 2"_s});
        QCOMPARE(found(ana, u"RÉSUMÉ"_s), QStringList {u"Résumé attached, see page 2"_s});
        QCOMPARE(found(ana, u"ærøskøbing"_s), QStringList {u"Ærøskøbing harbour at dawn"_s});
        QCOMPARE(found(ana, u"ÆRØSK"_s), QStringList {u"Ærøskøbing harbour at dawn"_s});
        const auto r = search(ana, filter(u"resume"_s));
        QVERIFY(r && r->hits.size() == 1);
        QCOMPARE(marked(r->hits.first()), QStringList {u"Résumé"_s});
        QCOMPARE(r->hits.first().snippet, u"Résumé attached, see page 2"_s);
        QVERIFY(!r->hasMore);
    }

    void cyrillicIgnoresCase()
    {
        auto *ana = userWith({u"Ёлка в лесу"_s, u"ПРИВЕТ всем"_s, u"елка"_s});
        QVERIFY(ana);
        QCOMPARE(found(ana, u"ёлка"_s), QStringList {u"Ёлка в лесу"_s});
        QCOMPARE(found(ana, u"ЁЛКА"_s), QStringList {u"Ёлка в лесу"_s});
        QCOMPARE(found(ana, u"привет"_s), QStringList {u"ПРИВЕТ всем"_s});
        QCOMPARE(found(ana, u"лес"_s), QStringList {u"Ёлка в лесу"_s});
    }

    void chineseSubstrings()
    {
        auto *ana = userWith({u"我们的发布说明在这里"_s, u"明天发布新版本"_s, u"没有关系"_s});
        QVERIFY(ana);
        // Three characters and more: the trigram index, anywhere inside the text.
        QCOMPARE(found(ana, u"发布说"_s), QStringList {u"我们的发布说明在这里"_s});
        QCOMPARE(found(ana, u"新版本"_s), QStringList {u"明天发布新版本"_s});
        QCOMPARE(found(ana, u"布说明在这"_s), QStringList {u"我们的发布说明在这里"_s});
        // One or two: the scan of recent messages, newest first.
        QCOMPARE(
            found(ana, u"发布"_s), (QStringList {u"明天发布新版本"_s, u"我们的发布说明在这里"_s}));
        QCOMPARE(found(ana, u"关"_s), QStringList {u"没有关系"_s});
        QCOMPARE(found(ana, u"布新"_s), QStringList {u"明天发布新版本"_s});
        QCOMPARE(found(ana, u"发说"_s), QStringList());
        QCOMPARE(found(ana, u"发布说明了"_s), QStringList());
        const auto r = search(ana, filter(u"说明"_s));
        QVERIFY(r && r->hits.size() == 1);
        QCOMPARE(marked(r->hits.first()), QStringList {u"说明"_s});
        const auto t = search(ana, filter(u"发布说"_s));
        QVERIFY(t && t->hits.size() == 1);
        QCOMPARE(marked(t->hits.first()), QStringList {u"发布说"_s});
    }

    void japaneseKanaAndKanji()
    {
        auto *ana = userWith({u"日本語のテキストです、カタカナもある"_s, u"ひらがなだけのぶん"_s});
        QVERIFY(ana);
        QCOMPARE(
            found(ana, u"カタカナ"_s), QStringList {u"日本語のテキストです、カタカナもある"_s});
        QCOMPARE(found(ana, u"日本語"_s), QStringList {u"日本語のテキストです、カタカナもある"_s});
        QCOMPARE(found(ana, u"本語"_s), QStringList {u"日本語のテキストです、カタカナもある"_s});
        QCOMPARE(found(ana, u"がなだけ"_s), QStringList {u"ひらがなだけのぶん"_s});
        QCOMPARE(found(ana, u"の"_s).size(), 2);
        const auto r = search(ana, filter(u"テキスト"_s));
        QVERIFY(r && r->hits.size() == 1);
        QCOMPARE(marked(r->hits.first()), QStringList {u"テキスト"_s});
    }

    void arabicWords()
    {
        auto *ana = userWith({u"مرحبا بالعالم"_s, u"كتاب جديد"_s});
        QVERIFY(ana);
        QCOMPARE(found(ana, u"بالعالم"_s), QStringList {u"مرحبا بالعالم"_s});
        QCOMPARE(found(ana, u"مرحبا"_s), QStringList {u"مرحبا بالعالم"_s});
        QCOMPARE(found(ana, u"كتا"_s), QStringList {u"كتاب جديد"_s});
        QCOMPARE(found(ana, u"جديدة"_s), QStringList());
    }

    void lastWordIsAPrefixAndEveryWordIsRequired()
    {
        auto *ana = userWith({u"the release notes are ready"_s, u"apple banana"_s,
            u"apple cherry"_s, u"relevant notes"_s});
        QVERIFY(ana);
        QCOMPARE(found(ana, u"relea"_s), QStringList {u"the release notes are ready"_s});
        QCOMPARE(found(ana, u"release not"_s), QStringList {u"the release notes are ready"_s});
        // A last word of one or two characters is a whole word: as a prefix it would read
        // most of a large index.
        QCOMPARE(found(ana, u"release no"_s), QStringList());
        QCOMPARE(found(ana, u"the"_s), QStringList {u"the release notes are ready"_s});
        QCOMPARE(found(ana, u"th"_s), QStringList());
        // Only the last word is a prefix.
        QCOMPARE(found(ana, u"relea notes"_s), QStringList());
        QCOMPARE(found(ana, u"apple banana"_s), QStringList {u"apple banana"_s});
        QCOMPARE(found(ana, u"banana apple"_s), QStringList {u"apple banana"_s});
        QCOMPARE(found(ana, u"apple durian"_s), QStringList());
        QCOMPARE(found(ana, u"apple"_s).size(), 2);
        const auto r = search(ana, filter(u"notes rel"_s));
        QVERIFY(r && r->hits.size() == 2);
        for (const auto &hit : r->hits) {
            for (const QString &m : marked(hit))
                QVERIFY2(m == "notes"_L1 || m.startsWith("rel"_L1), qPrintable(m));
        }
    }

    void punctuationAndOperatorsAreLiteral()
    {
        auto *ana = userWith({u"cats OR dogs"_s, u"a near miss"_s, u"say \"hello\" (twice)"_s,
            u"col:x and -y ^z"_s});
        QVERIFY(ana);
        QCOMPARE(found(ana, u"?!...;"_s), QStringList());
        QCOMPARE(found(ana, u"\""_s), QStringList());
        QCOMPARE(found(ana, u"\"\"\""_s), QStringList());
        // OR is a word to find, not an operator.
        QCOMPARE(found(ana, u"cats OR dogs"_s), QStringList {u"cats OR dogs"_s});
        QCOMPARE(found(ana, u"cats OR"_s), QStringList {u"cats OR dogs"_s});
        QCOMPARE(found(ana, u"a OR b"_s), QStringList());
        QCOMPARE(found(ana, u"NEAR("_s), QStringList {u"a near miss"_s});
        QCOMPARE(found(ana, u"NEAR(a miss)"_s), QStringList {u"a near miss"_s});
        QCOMPARE(found(ana, u"\"hello"_s), QStringList {u"say \"hello\" (twice)"_s});
        QCOMPARE(found(ana, u"(twice) AND NOT"_s), QStringList());
        QCOMPARE(found(ana, u"col:x"_s), QStringList {u"col:x and -y ^z"_s});
        QCOMPARE(found(ana, u"-y ^z*"_s), QStringList {u"col:x and -y ^z"_s});
        QCOMPARE(found(ana, u"{body}: x"_s), QStringList());
        // And a CJK query with quotes in it goes to the trigram index as one string.
        QCOMPARE(found(ana, u"\"发\"布"_s), QStringList());
    }

    void filtersByRoomSenderAndTime()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"Bob"_s);
        QVERIFY(ana && bob);
        const qint64 general = test::createRoom(ana, u"general"_s);
        const qint64 random = test::createRoom(ana, u"random"_s);
        QVERIFY(general > 0 && random > 0);
        QVERIFY(bob->request(req::join(general))->type == ServerFrameType::Result);
        QVERIFY(bob->request(req::join(random))->type == ServerFrameType::Result);
        const QJsonObject first = send(ana, general, u"deploy one"_s);
        QTest::qWait(5);
        const QJsonObject second = send(bob, general, u"deploy two"_s);
        QTest::qWait(5);
        const QJsonObject third = send(ana, random, u"deploy three"_s);
        QVERIFY(!first.isEmpty() && !second.isEmpty() && !third.isEmpty());
        const auto ts
            = [](const QJsonObject &ack) { return qint64(ack.value("ts"_L1).toDouble()); };
        QVERIFY(ts(first) < ts(second) && ts(second) < ts(third));

        QCOMPARE(texts(*search(bob, filter(u"deploy"_s))).size(), 3);
        QCOMPARE(texts(*search(bob, filter(u"deploy"_s, general))),
            (QStringList {u"deploy two"_s, u"deploy one"_s}));
        QCOMPARE(texts(*search(bob, filter(u"deploy"_s, random))), QStringList {u"deploy three"_s});
        // Sender names compare case-insensitively.
        QCOMPARE(
            texts(*search(ana, filter(u"deploy"_s, 0, u"bob"_s))), QStringList {u"deploy two"_s});
        QCOMPARE(texts(*search(ana, filter(u"deploy"_s, random, u"BOB"_s))), QStringList());
        QCOMPARE(texts(*search(ana, filter(u"deploy"_s, 0, u"nobody"_s))), QStringList());
        QCOMPARE(texts(*search(ana, filter(u"deploy"_s, 0, QString(), ts(first)))),
            (QStringList {u"deploy three"_s, u"deploy two"_s}));
        QCOMPARE(texts(*search(ana, filter(u"deploy"_s, 0, QString(), 0, ts(second)))),
            QStringList {u"deploy one"_s});
        QCOMPARE(texts(*search(ana, filter(u"deploy"_s, 0, QString(), ts(first), ts(third)))),
            QStringList {u"deploy two"_s});
        // The short scan honours the filters too.
        QVERIFY(!send(ana, random, u"好的"_s).isEmpty());
        QVERIFY(!send(bob, general, u"好"_s).isEmpty());
        QCOMPARE(texts(*search(ana, filter(u"好"_s))), (QStringList {u"好"_s, u"好的"_s}));
        QCOMPARE(texts(*search(ana, filter(u"好"_s, random))), QStringList {u"好的"_s});
        QCOMPARE(texts(*search(ana, filter(u"好"_s, 0, u"bob"_s))), QStringList {u"好"_s});

        // Filters that cannot be met are errors, not empty pages.
        QCOMPARE(refusal(ana, req::search(filter(u"deploy"_s, 999'999), 20)), ErrorCode::NotFound);
        auto *eve = m_clients.registered(u"eve"_s);
        QVERIFY(eve);
        QCOMPARE(refusal(eve, req::search(filter(u"deploy"_s, general), 20)), ErrorCode::NotMember);
        QCOMPARE(texts(*search(eve, filter(u"deploy"_s))), QStringList());
        QCOMPARE(refusal(ana, req::search(filter(u"deploy"_s, 0, QString(), 100, 100), 20)),
            ErrorCode::BadRequest);
        QCOMPARE(refusal(ana, req::search(filter(u"deploy"_s, 0, QString(), 101, 100), 20)),
            ErrorCode::BadRequest);
        // A direct room of others is not_found, as for any room request.
        const auto direct = bob->request(req::openDirect(u"ana"_s));
        QVERIFY(direct && direct->type == ServerFrameType::Result);
        const qint64 dm
            = qint64(direct->data().value("room"_L1).toObject().value("id"_L1).toDouble());
        QCOMPARE(refusal(eve, req::search(filter(u"deploy"_s, dm), 20)), ErrorCode::NotFound);
    }

    void pagesWithOffsetAndHasMore()
    {
        QStringList messages;
        for (int i = 0; i < 25; ++i)
            messages.append(u"status report %1"_s.arg(i));
        auto *ana = userWith(messages);
        QVERIFY(ana);
        QSet<qint64> seen;
        const auto first = search(ana, filter(u"status report"_s), 10, 0);
        const auto second = search(ana, filter(u"status report"_s), 10, 10);
        const auto third = search(ana, filter(u"status report"_s), 10, 20);
        QVERIFY(first && second && third);
        QCOMPARE(first->hits.size(), 10);
        QVERIFY(first->hasMore);
        QCOMPARE(second->hits.size(), 10);
        QVERIFY(second->hasMore);
        QCOMPARE(third->hits.size(), 5);
        QVERIFY(!third->hasMore);
        for (const auto *page : {&*first, &*second, &*third}) {
            for (const auto &h : page->hits)
                seen.insert(h.event.seq);
        }
        QCOMPARE(seen.size(), 25);
        // Equal scores: the newer first.
        QCOMPARE(first->hits.first().event.text, u"status report 24"_s);
        const auto past = search(ana, filter(u"status report"_s), 10, 999);
        QVERIFY(past && past->hits.isEmpty() && !past->hasMore);
        const auto exact = search(ana, filter(u"status"_s), 25, 0);
        QVERIFY(exact && exact->hits.size() == 25 && !exact->hasMore);
    }

    void rankingPrefersRarerWordsAndShorterTexts()
    {
        auto *ana = userWith({u"meeting notes from the long weekly meeting about many other "
                              u"topics that go on and on"_s,
            u"meeting notes"_s});
        QVERIFY(ana);
        QCOMPARE(found(ana, u"meeting notes"_s).first(), u"meeting notes"_s);
    }

    void snippetsCutLongTextsAndHighlightsPointAtTheMatch()
    {
        QStringList words;
        for (int i = 0; i < 300; ++i)
            words.append(i == 200 ? u"needle"_s : u"hay%1"_s.arg(i));
        const QString haystack = words.join(u' ');
        QString cjk;
        for (int i = 0; i < 300; ++i)
            cjk += i == 250 ? u"针"_s : u"草"_s;
        auto *ana = userWith({haystack, cjk, u"😀 emoji before 针"_s});
        QVERIFY(ana);
        const auto r = search(ana, filter(u"needle"_s));
        QVERIFY(r && r->hits.size() == 1);
        const auto &hit = r->hits.first();
        QCOMPARE(hit.event.text, haystack); // the event carries the whole text
        QVERIFY(hit.snippet.startsWith(u"…"_s));
        QVERIFY(hit.snippet.endsWith(u"…"_s));
        QVERIFY(hit.snippet.split(u' ').size() <= 66);
        QCOMPARE(marked(hit), QStringList {u"needle"_s});
        const auto s = search(ana, filter(u"针"_s));
        QVERIFY(s && s->hits.size() == 2);
        for (const auto &h : s->hits) {
            QCOMPARE(marked(h), QStringList {u"针"_s});
            QVERIFY(h.snippet.size() <= 130);
        }
        QVERIFY(s->hits.last().snippet.startsWith(u"…"_s));
        QCOMPARE(s->hits.first().snippet, u"😀 emoji before 针"_s);
    }

    void pagesStayWithinTheReplyBudget()
    {
        m_server->config().maxReplyBytes = 64 * 1024;
        QVERIFY(m_server->restart());
        // 30 hits of 8 KB each: four times what one reply may carry.
        QStringList messages;
        for (int i = 0; i < 30; ++i)
            messages.append(u"bulky %1 "_s.arg(i) + QString(8000, u'x'));
        auto *ana = userWith(messages);
        QVERIFY(ana);
        QSet<qint64> seen;
        int offset = 0;
        int pages = 0;
        for (bool more = true; more; ++pages) {
            const auto page = search(ana, filter(u"bulky"_s), 30, offset);
            QVERIFY(page && !page->hits.isEmpty());
            QVERIFY2(page->hits.size() < 30, "a page past the budget is cut short");
            for (const auto &h : page->hits)
                seen.insert(h.event.seq);
            offset += int(page->hits.size());
            more = page->hasMore;
            QVERIFY(pages < 30);
        }
        QVERIFY(pages >= 4);
        QCOMPARE(seen.size(), 30);
    }

    void neverFromARoomTheUserLeft()
    {
        auto *ana = m_clients.registered(u"ana"_s);
        auto *bob = m_clients.registered(u"bob"_s);
        QVERIFY(ana && bob);
        const qint64 room = test::createRoom(ana, u"general"_s);
        QVERIFY(room > 0);
        QVERIFY(bob->request(req::join(room))->type == ServerFrameType::Result);
        QVERIFY(!send(bob, room, u"zanzibar plans 机密计划 机"_s).isEmpty());
        QCOMPARE(found(bob, u"zanzibar"_s).size(), 1);
        QVERIFY(bob->request(req::leave(room))->type == ServerFrameType::Result);
        QCOMPARE(found(bob, u"zanzibar"_s), QStringList());
        QCOMPARE(found(bob, u"机密计"_s), QStringList());
        QCOMPARE(found(bob, u"机"_s), QStringList());
        QCOMPARE(refusal(bob, req::search(filter(u"zanzibar"_s, room), 20)), ErrorCode::NotMember);
        // ana is still there and finds it, by each path.
        QCOMPARE(found(ana, u"zanzibar"_s).size(), 1);
        QCOMPARE(found(ana, u"机密计"_s).size(), 1);
        QCOMPARE(found(ana, u"机"_s).size(), 1);
        // Joining again brings it back: membership now is what counts.
        QVERIFY(bob->request(req::join(room))->type == ServerFrameType::Result);
        QCOMPARE(found(bob, u"zanzibar"_s).size(), 1);
    }

    void editedMatchesItsNewTextOnly()
    {
        qint64 room = 0;
        auto *ana = userWith({u"the original wording 原来的说法"_s, u"bystander"_s}, &room);
        QVERIFY(ana);
        const auto before = search(ana, filter(u"original"_s));
        QVERIFY(before && before->hits.size() == 1);
        const qint64 seq = before->hits.first().event.seq;
        const auto edited
            = ana->request(req::edit(room, seq, u"a replacement sentence 新的说法"_s));
        QVERIFY(edited && edited->type == ServerFrameType::Result);
        for (const QString &old : {u"original"_s, u"wording"_s, u"原来的"_s, u"原"_s})
            QCOMPARE(found(ana, old), QStringList());
        const auto r = search(ana, filter(u"replacement"_s));
        QVERIFY(r && r->hits.size() == 1);
        QCOMPARE(r->hits.first().event.seq, seq);
        QCOMPARE(r->hits.first().event.text, u"a replacement sentence 新的说法"_s);
        QVERIFY(r->hits.first().event.state.editedAt > 0);
        QCOMPARE(marked(r->hits.first()), QStringList {u"replacement"_s});
        QCOMPARE(found(ana, u"新的说"_s), QStringList {u"a replacement sentence 新的说法"_s});
        QCOMPARE(found(ana, u"新"_s), QStringList {u"a replacement sentence 新的说法"_s});
        // Reactions come bundled as in history.
        QVERIFY(ana->request(req::react(room, seq, u"👍"_s))->type == ServerFrameType::Result);
        const auto reacted = search(ana, filter(u"replacement"_s));
        QVERIFY(reacted && reacted->hits.size() == 1);
        QCOMPARE(reacted->hits.first().event.state.reactions.size(), 1);
    }

    void redactedNeverMatches()
    {
        qint64 room = 0;
        auto *ana = userWith({u"classified launch codes 秘密文件"_s, u"public notes"_s}, &room);
        QVERIFY(ana);
        const auto before = search(ana, filter(u"classified"_s));
        QVERIFY(before && before->hits.size() == 1);
        const auto redacted = ana->request(req::redact(room, before->hits.first().event.seq));
        QVERIFY(redacted && redacted->type == ServerFrameType::Result);
        for (const QString &gone :
            {u"classified"_s, u"launch codes"_s, u"秘密文"_s, u"秘密"_s, u"秘"_s})
            QCOMPARE(found(ana, gone), QStringList());
        QCOMPARE(found(ana, u"public"_s), QStringList {u"public notes"_s});
    }

    void everyFieldWrong_data()
    {
        QTest::addColumn<QJsonObject>("fields");
        QTest::addColumn<int>("code");
        const auto bad = int(ErrorCode::BadRequest);
        const QJsonObject ok {{"query"_L1, u"hello"_s}};
        const auto with = [&](const char *name, const QJsonValue &v) {
            QJsonObject o = ok;
            o.insert(QLatin1StringView(name), v);
            return o;
        };
        QTest::newRow("query missing") << QJsonObject() << bad;
        QTest::newRow("query number") << with("query", 5) << bad;
        QTest::newRow("query null") << with("query", QJsonValue::Null) << bad;
        QTest::newRow("query array") << with("query", QJsonArray {u"a"_s}) << bad;
        QTest::newRow("query empty") << with("query", u""_s) << bad;
        QTest::newRow("query blank") << with("query", u"  \u3000 "_s) << bad;
        QTest::newRow("query 257") << with("query", QString(257, u'a')) << int(ErrorCode::TooLarge);
        QTest::newRow("query huge")
            << with("query", QString(20'000, u'a')) << int(ErrorCode::TooLarge);
        QTest::newRow("query control") << with("query", u"a\u0002b"_s) << bad;
        QTest::newRow("query newline") << with("query", u"a\nb"_s) << bad;
        QTest::newRow("query lone surrogate") << with("query", QString(QChar(0xD800))) << bad;
        QTest::newRow("room string") << with("room", u"1"_s) << bad;
        QTest::newRow("room zero") << with("room", 0) << bad;
        QTest::newRow("room fraction") << with("room", 1.5) << bad;
        QTest::newRow("room huge") << with("room", 1e300) << bad;
        QTest::newRow("sender number") << with("sender", 3) << bad;
        QTest::newRow("sender invalid") << with("sender", u"a b"_s) << bad;
        QTest::newRow("sender empty") << with("sender", u""_s) << bad;
        QTest::newRow("sender long")
            << with("sender", QString(33, u'a')) << int(ErrorCode::TooLarge);
        QTest::newRow("after string") << with("after", u"1"_s) << bad;
        QTest::newRow("after negative") << with("after", -1) << bad;
        QTest::newRow("before bool") << with("before", true) << bad;
        QTest::newRow("before huge") << with("before", 1e300) << bad;
        QTest::newRow("limit zero") << with("limit", 0) << bad;
        QTest::newRow("limit past page max") << with("limit", 201) << bad;
        QTest::newRow("limit string") << with("limit", u"5"_s) << bad;
        QTest::newRow("offset 1000") << with("offset", 1000) << bad;
        QTest::newRow("offset negative") << with("offset", -1) << bad;
        QTest::newRow("offset fraction") << with("offset", 0.5) << bad;
        QTest::newRow("unknown member") << with("rooms", 1) << bad;
    }
    void everyFieldWrong()
    {
        QFETCH(QJsonObject, fields);
        QFETCH(int, code);
        auto *ana = m_clients.registered(u"ana"_s);
        QVERIFY(ana);
        QCOMPARE(refusal(ana, {protocol::RequestType::Search, fields}), ErrorCode(code));
        // and the connection still serves.
        QVERIFY(search(ana, filter(u"hello"_s)));
    }

    void needsSignIn()
    {
        auto *c = m_clients.connectClient();
        QVERIFY(c);
        QCOMPARE(refusal(c, req::search(filter(u"hello"_s), 20)), ErrorCode::Unauthenticated);
    }
};

CONFAB_SERVER_TEST_MAIN(TestSearch)
#include "tst_search.moc"
