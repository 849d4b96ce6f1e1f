// SPDX-License-Identifier: GPL-3.0-or-later
// The one place SQLite's SQL is rewritten for PostgreSQL (storage/sqldialect.h), and the
// search text folded for it (storage/postgres/pgsearchtext.h): each rule on its own. The
// statements themselves run against a real PostgreSQL in the *_postgresql variants of the
// server tests.
#include "storage/postgres/pgsearchtext.h"
#include "storage/sqldialect.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab::server;
namespace searchtext = confab::server::postgres::searchtext;

class TestSqlDialect : public QObject
{
    Q_OBJECT

    static QString pg(const QString &sql)
    {
        return sqldialect::translate(sql, SqlDialect::PostgreSQL);
    }

private Q_SLOTS:
    void sqliteIsLeftAlone()
    {
        const QString sql = u"INSERT OR IGNORE INTO t(a) VALUES(instr(?, ?))"_s;
        QCOMPARE(sqldialect::translate(sql, SqlDialect::SQLite), sql);
    }

    void rewrites_data()
    {
        QTest::addColumn<QString>("sqlite");
        QTest::addColumn<QString>("postgres");
        QTest::newRow("insert or ignore")
            << u"INSERT OR IGNORE INTO m(a, b) VALUES(?, ?)"_s
            << u"INSERT INTO m(a, b) VALUES(?, ?) ON CONFLICT DO NOTHING"_s;
        QTest::newRow("insert or ignore, returning")
            << u"INSERT OR IGNORE INTO m(a) VALUES(?) RETURNING id"_s
            << u"INSERT INTO m(a) VALUES(?) ON CONFLICT DO NOTHING RETURNING id"_s;
        QTest::newRow("instr") << u"SELECT instr(name_key, ?) > 0"_s
                               << u"SELECT strpos(name_key, ?) > 0"_s;
        QTest::newRow("two-argument max")
            << u"SET durable = max(durable, ?)"_s << u"SET durable = greatest(durable, ?)"_s;
        QTest::newRow("aggregate max stays")
            << u"SELECT MAX(seq) FROM events"_s << u"SELECT MAX(seq) FROM events"_s;
        QTest::newRow("cross join on")
            << u"FROM events e CROSS JOIN members m ON m.room_id = e.room_id"_s
            << u"FROM events e JOIN members m ON m.room_id = e.room_id"_s;
        QTest::newRow("json_each with alias")
            << u"SELECT j.value FROM json_each(?) j WHERE x"_s
            << u"SELECT j.value FROM json_array_elements_text(CAST(? AS json)) AS j(value) WHERE x"_s;
        QTest::newRow("json_each in a subquery")
            << u"id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))"_s
            << u"id IN (SELECT CAST(value AS BIGINT) FROM "
               u"json_array_elements_text(CAST(? AS json)) AS j(value))"_s;
        QTest::newRow("json_extract") << u"ON r.seq = json_extract(j.value, '$[1]')"_s
                                      << u"ON r.seq = CAST(CAST(j.value AS json)->>1 AS BIGINT)"_s;
    }

    void rewrites()
    {
        QFETCH(QString, sqlite);
        QFETCH(QString, postgres);
        QCOMPARE(pg(sqlite), postgres);
    }

    void bindings()
    {
        QCOMPARE(sqldialect::bindable(true, SqlDialect::PostgreSQL), QVariant(qint64(1)));
        QCOMPARE(sqldialect::bindable(false, SqlDialect::PostgreSQL), QVariant(qint64(0)));
        const QVariant empty = sqldialect::bindable(QVariant(QString()), SqlDialect::PostgreSQL);
        QVERIFY(!empty.toString().isNull());
        QVERIFY(empty.toString().isEmpty());
        // A NULL asked for stays NULL.
        QVERIFY(
            sqldialect::bindable(QVariant(QMetaType::fromType<QString>()), SqlDialect::PostgreSQL)
                .isNull());
        QCOMPARE(sqldialect::bindable(true, SqlDialect::SQLite), QVariant(true));
    }

    void foldingMatchesUnicode61()
    {
        QCOMPARE(searchtext::fold(u"Crème BRÛLÉE"_s), u"creme brulee"_s);
        // Only Latin letters lose their marks: ё is a letter of its own in Russian.
        QCOMPARE(searchtext::fold(u"Ёлка"_s), u"ёлка"_s);
        QCOMPARE(searchtext::fold(u"ﬁne"_s), u"fine"_s);
    }

    void wordsAndQueries()
    {
        QCOMPARE(
            searchtext::indexedWords(u"Hello, wörld! it's 2026"_s), u"hello world it s 2026"_s);
        QCOMPARE(searchtext::tsquery(u"meeting NOTES"_s, true, 3), u"'meeting' & 'notes':*"_s);
        QCOMPARE(searchtext::tsquery(u"meeting no"_s, true, 3), u"'meeting' & 'no'"_s);
        QCOMPARE(searchtext::tsquery(u"a' OR '1"_s, false, 3), u"'a' & 'or' & '1'"_s);
        QVERIFY(searchtext::tsquery(u" !? "_s, true, 3).isEmpty());
        QCOMPARE(searchtext::containsPattern(u"50%_\\x"_s), u"%50\\%\\_\\\\x%"_s);
    }

    void markedWordsCutAroundTheFirstMatch()
    {
        QStringList words;
        for (int i = 0; i < 300; ++i)
            words.append(i == 200 ? u"Needle"_s : u"hay%1"_s.arg(i));
        const QString text = words.join(u' ');
        const QString marked
            = searchtext::markedWords(text, u"needle"_s, false, 3, 64, u'[', u']', u"…"_s);
        QVERIFY(marked.startsWith(u"…"_s));
        QVERIFY(marked.endsWith(u"…"_s));
        QCOMPARE(marked.split(u' ').size(), 64);
        QVERIFY(marked.contains(u"hay199 [Needle] hay201"_s));
        QCOMPARE(
            searchtext::markedWords(u"the prefix pre"_s, u"pre"_s, true, 3, 64, u'[', u']', u"…"_s),
            u"the [prefix] [pre]"_s);
    }
};

QTEST_GUILESS_MAIN(TestSqlDialect)
#include "tst_sqldialect.moc"
