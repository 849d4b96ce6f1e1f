// SPDX-License-Identifier: GPL-3.0-or-later
// The search panel's model against a scripted server: the query is sent after a pause
// in typing, replies to an older query are dropped, pages follow with their offset,
// rows are grouped by room, snippets are escaped before their highlights are marked.
#include "models/roomlistmodel.h"
#include "models/searchresultsmodel.h"
#include "scriptedconnection.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::RoomListModel;
using confab::client::SearchResultsModel;
using confab::protocol::RequestType;
using confab::test::ScriptedConnection;
namespace protocol = confab::protocol;

namespace {

QJsonObject hit(qint64 room, qint64 seq, const QString &snippet, int start, int length)
{
    protocol::SearchHit h;
    h.event.room = room;
    h.event.seq = seq;
    h.event.id = room * 1000 + seq;
    h.event.timestamp = 1'700'000'000'000 + seq;
    h.event.sender = u"ana"_s;
    h.event.text = snippet;
    h.snippet = snippet;
    h.highlights = {{start, length}};
    return h.toJson();
}

QJsonObject page(const QJsonArray &hits, bool hasMore)
{
    return {{u"hits"_s, hits}, {u"hasMore"_s, hasMore}};
}

} // namespace

class TestSearchResultsModel : public QObject
{
    Q_OBJECT

private:
    static QStringList column(const SearchResultsModel &model, int role)
    {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row)
            out.append(model.data(model.index(row), role).toString());
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_connection.emplace();
        m_connection->open(QUrl(u"ws://scripted"_s));
        protocol::Hello hello;
        hello.features = {u"search"_s};
        m_connection->acceptHello(hello);
        m_rooms.emplace();
        for (const auto &[id, name] : {std::pair {1, u"general"_s}, std::pair {2, u"random"_s}}) {
            protocol::RoomSummary room;
            room.id = id;
            room.name = name;
            m_rooms->upsert(room);
        }
        m_model.emplace(&*m_connection, &*m_rooms);
        m_model->setDebounceInterval(30);
        m_tester.emplace(&*m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_rooms.reset();
        m_connection.reset();
    }

    void availableFollowsHello()
    {
        QVERIFY(m_model->available());
        ScriptedConnection old;
        old.open(QUrl(u"ws://scripted"_s));
        SearchResultsModel model(&old, nullptr);
        QSignalSpy available(&model, &SearchResultsModel::availableChanged);
        old.acceptHello(); // a server without the feature
        QCOMPARE(available.size(), 1);
        QVERIFY(!model.available());
    }

    void debouncedWhileTyping()
    {
        for (const QString &q : {u"r"_s, u"re"_s, u"rel"_s, u"release"_s})
            m_model->setQuery(q);
        QCOMPARE(m_connection->waiting(RequestType::Search), 0);
        QTRY_COMPARE(m_connection->waiting(RequestType::Search), 1);
        QVERIFY(m_model->busy());
        const auto *sent = m_connection->firstWaiting(RequestType::Search);
        QCOMPARE(sent->fields.value(u"query"_s).toString(), u"release"_s);
        QCOMPARE(sent->fields.value(u"offset"_s).toInt(0), 0);
        QCOMPARE(sent->fields.value(u"limit"_s).toInt(), SearchResultsModel::PageSize);
        QTest::qWait(100);
        QCOMPARE(m_connection->waiting(RequestType::Search), 1); // one request, not four
    }

    void staleRepliesAreDropped()
    {
        m_model->setQuery(u"first"_s);
        m_model->searchNow();
        m_model->setQuery(u"second"_s);
        m_model->searchNow();
        QCOMPARE(m_connection->waiting(RequestType::Search), 2);
        // The first query's answer arrives after the second was sent: not shown.
        QVERIFY(m_connection->reply(
            RequestType::Search, page({hit(1, 5, u"first thing"_s, 0, 5)}, false)));
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(m_model->busy());
        QVERIFY(m_connection->reply(
            RequestType::Search, page({hit(1, 6, u"second thing"_s, 0, 6)}, false)));
        QCOMPARE(column(*m_model, SearchResultsModel::TextRole), (QStringList {u"second thing"_s}));
        QVERIFY(!m_model->busy());
        QVERIFY(m_model->answered());
        // A query cleared while its answer is on its way: nothing comes back.
        m_model->setQuery(u"third"_s);
        m_model->searchNow();
        m_model->setQuery(QString());
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(m_connection->reply(
            RequestType::Search, page({hit(1, 7, u"third thing"_s, 0, 5)}, false)));
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->busy());
    }

    void groupedByRoomAndPaged()
    {
        m_model->setQuery(u"deploy"_s);
        m_model->searchNow();
        // Ranked: general, random, general.
        QVERIFY(m_connection->reply(RequestType::Search,
            page({hit(1, 10, u"deploy now"_s, 0, 6), hit(2, 3, u"no deploy"_s, 3, 6),
                     hit(1, 4, u"deploy later"_s, 0, 6)},
                true)));
        QCOMPARE(column(*m_model, SearchResultsModel::RoomNameRole),
            (QStringList {u"general"_s, u"general"_s, u"random"_s}));
        QCOMPARE(
            column(*m_model, SearchResultsModel::SeqRole), (QStringList {u"10"_s, u"4"_s, u"3"_s}));
        QCOMPARE(m_model->roomIdAt(2), 2);
        QCOMPARE(m_model->seqAt(0), 10);
        QCOMPARE(m_model->seqAt(3), 0);
        QCOMPARE(
            m_model->data(m_model->index(0), SearchResultsModel::SenderRole).toString(), u"ana"_s);
        QCOMPARE(m_model->data(m_model->index(0), SearchResultsModel::TimeRole).toDateTime(),
            QDateTime::fromMSecsSinceEpoch(1'700'000'000'010));

        // The next page from where the first ended; its hits join their rooms.
        QVERIFY(m_model->canFetchMore({}));
        m_model->fetchMore({});
        QVERIFY(!m_model->canFetchMore({})); // one page at a time
        const auto *sent = m_connection->firstWaiting(RequestType::Search);
        QVERIFY(sent);
        QCOMPARE(sent->fields.value(u"offset"_s).toInt(), 3);
        QVERIFY(m_connection->reply(RequestType::Search,
            page({hit(2, 1, u"deploy v1"_s, 0, 6), hit(1, 2, u"deploy v0"_s, 0, 6)}, false)));
        QCOMPARE(column(*m_model, SearchResultsModel::SeqRole),
            (QStringList {u"10"_s, u"4"_s, u"2"_s, u"3"_s, u"1"_s}));
        QVERIFY(!m_model->canFetchMore({}));
        // A room not in the list (left since) still gets a section of its own.
        m_model->setQuery(u"gone"_s);
        m_model->searchNow();
        QVERIFY(
            m_connection->reply(RequestType::Search, page({hit(9, 1, u"gone"_s, 0, 4)}, false)));
        QCOMPARE(column(*m_model, SearchResultsModel::RoomNameRole), (QStringList {u"Room 9"_s}));
    }

    void snippetIsEscapedThenHighlighted()
    {
        using protocol::Highlight;
        QCOMPARE(SearchResultsModel::snippetHtml(u"a <b>bold</b> & release"_s, {{16, 7}}),
            u"a &lt;b&gt;bold&lt;/b&gt; &amp; <b>release</b>"_s);
        QCOMPARE(SearchResultsModel::snippetHtml(u"x<y x<y"_s, {{0, 3}, {4, 3}}),
            u"<b>x&lt;y</b> <b>x&lt;y</b>"_s);
        // Out of range or overlapping highlights are clipped, never read past the text.
        QCOMPARE(
            SearchResultsModel::snippetHtml(u"abc"_s, {{1, 10}, {2, 1}, {7, 2}}), u"a<b>bc</b>"_s);
        QCOMPARE(SearchResultsModel::snippetHtml(u"plain"_s, {}), u"plain"_s);
    }

    void errorsAndOffline()
    {
        m_model->setQuery(u"x"_s);
        m_model->searchNow();
        QVERIFY(m_connection->replyError(RequestType::Search, protocol::ErrorCode::RateLimited));
        QVERIFY(!m_model->busy());
        QVERIFY(!m_model->errorText().isEmpty());
        m_connection->drop();
        m_model->searchNow();
        QTRY_VERIFY(!m_model->busy());
        QVERIFY(m_model->errorText().contains(u"offline"_s));
    }

private:
    std::optional<ScriptedConnection> m_connection;
    std::optional<RoomListModel> m_rooms;
    std::optional<SearchResultsModel> m_model;
    std::optional<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(TestSearchResultsModel)
#include "tst_searchresultsmodel.moc"
