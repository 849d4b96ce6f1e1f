// SPDX-License-Identifier: GPL-3.0-or-later
// sqlite::Statement on a real file opened through Qt SQL: the handle under the connection,
// values bound as Qt SQL would bind them (a null QString as "", Null as NULL, non-ASCII
// text), rows read back, a repeated unique key told apart by its error code, and a
// statement that leaves no snapshot open for the commit that follows.
#include "sqlite/connection.h"
#include "sqlite/statement.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using confab::sqlite::Null;
using confab::sqlite::Statement;

class TestSqliteStatement : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QSqlDatabase m_db;
    sqlite3 *m_handle = nullptr;

private Q_SLOTS:
    void init()
    {
        QString error;
        m_db = confab::sqlite::open(
            m_dir.filePath(u"statement.sqlite"_s), u"statement"_s, {}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSqlQuery q(m_db);
        QVERIFY(q.exec(u"DROP TABLE IF EXISTS notes"_s));
        QVERIFY(q.exec(u"CREATE TABLE notes(id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, "
                       u"key TEXT, body TEXT)"_s));
        QVERIFY(
            q.exec(u"CREATE UNIQUE INDEX notes_key ON notes(owner, key) WHERE key IS NOT NULL"_s));
        m_handle = Statement::handle(m_db);
        QVERIFY(m_handle);
    }

    void cleanup()
    {
        m_db = {};
        confab::sqlite::close(u"statement"_s);
    }

    void bindsAndReadsBack()
    {
        Statement insert(m_handle, "INSERT INTO notes(owner, key, body) VALUES(?, ?, ?)");
        QVERIFY(insert.ok());
        const QString text = u"grüße ✓ \U0001F600"_s;
        QVERIFY(insert.exec(qint64(1) << 40, u"k1"_s, text));
        const qint64 first = Statement::lastInsertRowId(m_handle);
        QVERIFY(insert.exec(2, Null {}, QString()));
        QVERIFY(insert.exec(3, std::optional<QString>(), std::optional<QString>(u"x"_s)));
        QCOMPARE(Statement::lastInsertRowId(m_handle), first + 2);

        // What Qt SQL reads back is what was bound.
        QSqlQuery q(m_db);
        QVERIFY(q.exec(u"SELECT owner, key IS NULL, body, body IS NULL FROM notes ORDER BY id"_s));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), qint64(1) << 40);
        QCOMPARE(q.value(1).toInt(), 0);
        QCOMPARE(q.value(2).toString(), text);
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toInt(), 1);
        QCOMPARE(q.value(2).toString(), u""_s); // a null QString is "", not NULL
        QCOMPARE(q.value(3).toInt(), 0);
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toInt(), 1);
        QCOMPARE(q.value(2).toString(), u"x"_s);
        QVERIFY(!q.next());

        Statement select(m_handle, "SELECT id, body FROM notes WHERE owner = ? AND key = ?");
        bool found = false;
        qint64 id = 0;
        QString body;
        const auto read = [&](const Statement &row) {
            id = row.int64(0);
            body = row.text(1);
        };
        QVERIFY(select.first(&found, read, qint64(1) << 40, u"k1"_s));
        QVERIFY(found);
        QCOMPARE(id, first);
        QCOMPARE(body, text);
        id = -1;
        QVERIFY(select.first(&found, read, 1, u"k1"_s));
        QVERIFY(!found);
        QCOMPARE(id, -1);
    }

    void uniqueKeyIsItsOwnError()
    {
        Statement insert(m_handle, "INSERT INTO notes(owner, key, body) VALUES(?, ?, ?)");
        QVERIFY(insert.exec(7, u"t"_s, u"a"_s));
        QVERIFY(!insert.exec(7, u"t"_s, u"b"_s));
        QVERIFY(insert.repeatedKey());
        // The failed row changed nothing, and the statement runs again.
        QVERIFY(insert.exec(7, u"u"_s, u"c"_s));
        QCOMPARE(insert.errorCode(), 0);
        QVERIFY(!insert.repeatedKey());
        Statement broken(m_handle, "INSERT INTO nowhere VALUES(?)");
        QVERIFY(!broken.ok());
        QVERIFY(!broken.exec(1));
        QVERIFY(broken.errorCode() != 0);
        QVERIFY(!broken.repeatedKey());
        QVERIFY(broken.errorText().contains(u"nowhere"_s));
        QSqlQuery q(m_db);
        QVERIFY(q.exec(u"SELECT group_concat(body, '') FROM notes WHERE owner = 7"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"ac"_s);
    }

    void sharesQtSqlTransactions()
    {
        // Run inside a transaction Qt SQL began: rolled back with it, and a read that found
        // its row still lets Qt SQL commit the next one.
        Statement insert(m_handle, "INSERT INTO notes(owner, key, body) VALUES(?, ?, ?)");
        Statement select(m_handle, "SELECT body FROM notes WHERE owner = ?");
        QVERIFY(m_db.transaction());
        QVERIFY(insert.exec(9, u"r"_s, u"gone"_s));
        QVERIFY(m_db.rollback());
        bool found = true;
        QVERIFY(select.first(
            &found, [](const Statement &) {}, 9));
        QVERIFY(!found);
        QVERIFY(m_db.transaction());
        QVERIFY(insert.exec(9, u"r"_s, u"kept"_s));
        QVERIFY(select.first(
            &found, [](const Statement &) {}, 9));
        QVERIFY(found);
        QVERIFY(m_db.commit());
        QSqlQuery q(m_db);
        QVERIFY(q.exec(u"SELECT body FROM notes WHERE owner = 9"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"kept"_s);
    }
};

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "tst_sqlitestatement.moc"
