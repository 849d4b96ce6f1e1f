// SPDX-License-Identifier: GPL-3.0-or-later
// Upgrades from a database the previous release wrote (tests/server/fixtures/v4.sql, frozen):
// every row of every table survives the migration, a copy is written before it, and a
// migration that fails, or whose copy cannot be written, leaves the old database as it was
// and usable.
#include "storage/database.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace confab;
using server::Durability;
namespace database = server::database;

namespace {

// Table name -> its rows (columns as the fixture's schema has them), in primary key order.
using Snapshot = QMap<QString, QList<QVariantList>>;

class TestUpgradeFixtures : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    int m_connections = 0;

    // Runs the fixture's statements into a new file: ';' at a line's end closes one.
    bool loadFixture(const QString &name, const QStringList &extra = {})
    {
        QFile file(QStringLiteral(CONFAB_FIXTURES) + u'/' + name);
        if (!file.open(QIODevice::ReadOnly))
            return false;
        QStringList statements;
        QString current;
        for (const QString &line : QString::fromUtf8(file.readAll()).split(u'\n')) {
            if (line.trimmed().startsWith("--"_L1) || line.trimmed().isEmpty())
                continue;
            current += line + u'\n';
            if (line.trimmed().endsWith(u';')) {
                statements.append(current.trimmed().chopped(1));
                current.clear();
            }
        }
        if (!current.trimmed().isEmpty())
            return false;
        const QString connection = u"fixture"_s;
        bool ok = true;
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(m_path);
            ok = db.open();
            for (const QString &sql : statements + extra) {
                QSqlQuery q(db);
                if (ok && !q.exec(sql)) {
                    qWarning() << "fixture statement failed:" << q.lastError().text() << sql;
                    ok = false;
                }
            }
        }
        QSqlDatabase::removeDatabase(connection);
        return ok && statements.size() > 40;
    }

    // Every row of the tables the fixture has (not SQLite's, not the search indexes' own),
    // read as the columns the fixture's schema gives them.
    static Snapshot snapshot(QSqlDatabase &db, const Snapshot &shapeOf = {})
    {
        Snapshot s;
        QStringList tables = shapeOf.keys();
        if (tables.isEmpty()) {
            QSqlQuery q(db);
            q.exec(u"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                   "'sqlite%' AND name NOT LIKE 'search%' ORDER BY name"_s);
            while (q.next())
                tables.append(q.value(0).toString());
        }
        for (const QString &table : std::as_const(tables)) {
            QSqlQuery columns(db);
            // The fixture's columns: the first row of the snapshot holds their names.
            QStringList names;
            if (!shapeOf.isEmpty()) {
                for (const QVariant &n : shapeOf.value(table).constFirst())
                    names.append(n.toString());
            } else {
                columns.exec(u"SELECT name FROM pragma_table_info('%1') ORDER BY cid"_s.arg(table));
                while (columns.next())
                    names.append(columns.value(0).toString());
            }
            QList<QVariantList> rows;
            rows.append(QVariantList(names.cbegin(), names.cend()));
            QSqlQuery q(db);
            if (!q.exec(u"SELECT %1 FROM %2 ORDER BY %1"_s.arg(names.join(u", "_s), table))) {
                rows.append(QVariantList {QString(u"cannot read: "_s + q.lastError().text())});
            }
            while (q.next()) {
                QVariantList row;
                for (int i = 0; i < names.size(); ++i)
                    row.append(q.value(i));
                rows.append(row);
            }
            s.insert(table, rows);
        }
        return s;
    }

    template<typename F> void withDatabase(const QString &path, F f)
    {
        const QString name = u"upgrade-%1"_s.arg(++m_connections);
        {
            QString error;
            QSqlDatabase db = database::open(path, name, Durability::Normal, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            f(db);
        }
        database::close(name);
    }

    static QString pragma(QSqlDatabase &db, const QString &which)
    {
        QSqlQuery q(db);
        QStringList out;
        if (q.exec(u"PRAGMA "_s + which)) {
            while (q.next())
                out.append(q.value(0).toString());
        }
        return out.join(u'|');
    }

private Q_SLOTS:
    void init()
    {
        QDir(m_dir.path()).removeRecursively();
        QVERIFY(QDir().mkpath(m_dir.path()));
        m_path = m_dir.filePath(u"confab.sqlite3"_s);
    }

    void version4KeepsEveryRow()
    {
        QVERIFY(loadFixture(u"v4.sql"_s));
        Snapshot before;
        withDatabase(m_path, [&](QSqlDatabase &db) {
            QCOMPARE(sqlite::Schema::version(db), 4);
            before = snapshot(db);
        });
        QCOMPARE(before.size(), 17); // every table version 4 has
        qsizetype rows = 0;
        for (const auto &table : std::as_const(before)) {
            QVERIFY2(table.size() > 1, "the fixture has a row in every table");
            rows += table.size() - 1;
        }
        QVERIFY(rows >= 40);

        withDatabase(m_path, [&](QSqlDatabase &db) {
            QString error;
            QVERIFY2(database::migrate(db, &error), qPrintable(error));
            QCOMPARE(sqlite::Schema::version(db), database::schema().latestVersion());
            QCOMPARE(snapshot(db, before), before);
            QCOMPARE(pragma(db, u"integrity_check"_s), u"ok"_s);
            QCOMPARE(pragma(db, u"foreign_key_check"_s), QString());
            // What version 5 derives from the rows: each token has its session.
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT count(*) FROM sessions"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 2);
            // The search indexes still find the fixture's words.
            QVERIFY(q.exec(u"SELECT rowid FROM search_words WHERE search_words MATCH '\"cafe\"'"_s)
                && q.next());
            QCOMPARE(q.value(0).toInt(), 2);
        });

        // The copy taken first is the fixture as it was.
        const QStringList copies
            = QDir(m_dir.filePath(u"backups"_s)).entryList({u"pre-v5-*.sqlite3"_s}, QDir::Files);
        QCOMPARE(copies.size(), 1);
        const QString copy = m_dir.filePath(u"backups/"_s + copies.first());
        const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
            | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
        QCOMPARE(QFile::permissions(copy) & others, QFile::Permissions());
        withDatabase(copy, [&](QSqlDatabase &db) {
            QCOMPARE(sqlite::Schema::version(db), 4);
            QCOMPARE(snapshot(db), before);
        });
    }

    // Version 5 creates table sessions; one already there makes that step fail half way.
    void failedMigrationLeavesVersion4Usable()
    {
        QVERIFY(loadFixture(u"v4.sql"_s, {u"CREATE TABLE sessions(obstacle INTEGER)"_s}));
        Snapshot before;
        withDatabase(m_path, [&](QSqlDatabase &db) { before = snapshot(db); });
        withDatabase(m_path, [&](QSqlDatabase &db) {
            QString error;
            QVERIFY(!database::migrate(db, &error));
            QVERIFY2(error.contains("stays at version 4"_L1), qPrintable(error));
        });
        withDatabase(m_path, [&](QSqlDatabase &db) {
            QCOMPARE(sqlite::Schema::version(db), 4);
            QCOMPARE(snapshot(db), before);
            QCOMPARE(pragma(db, u"integrity_check"_s), u"ok"_s);
            // Nothing of version 5 is left behind: no column, no trigger.
            QSqlQuery q(db);
            QVERIFY(!q.exec(u"SELECT display_name FROM users"_s));
            QCOMPARE(pragma(db, u"table_info('users')"_s).count(u'|'), 6);
            QVERIFY(q.exec(u"DROP TABLE sessions"_s));
        });
        // Once the obstacle is gone the same file migrates, every row kept.
        before.remove(u"sessions"_s);
        withDatabase(m_path, [&](QSqlDatabase &db) {
            QString error;
            QVERIFY2(database::migrate(db, &error), qPrintable(error));
            QCOMPARE(sqlite::Schema::version(db), 5);
            QCOMPARE(snapshot(db, before), before);
        });
    }

    void noMigrationWithoutTheCopy()
    {
        QVERIFY(loadFixture(u"v4.sql"_s));
        // A file where the backups folder would be: the copy cannot be written.
        QFile blocker(m_dir.filePath(u"backups"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        Snapshot before;
        withDatabase(m_path, [&](QSqlDatabase &db) { before = snapshot(db); });
        withDatabase(m_path, [&](QSqlDatabase &db) {
            QString error;
            QVERIFY(!database::migrate(db, &error));
            QVERIFY2(error.contains("cannot back up"_L1), qPrintable(error));
            QVERIFY2(error.contains("is not migrated"_L1), qPrintable(error));
            QCOMPARE(sqlite::Schema::version(db), 4);
            QCOMPARE(snapshot(db), before);
        });
    }

    // A new database has nothing to keep: no copy.
    void newDatabaseNeedsNoCopy()
    {
        withDatabase(m_path, [&](QSqlDatabase &db) {
            QString error;
            QVERIFY2(database::migrate(db, &error), qPrintable(error));
        });
        QVERIFY(!QFileInfo::exists(m_dir.filePath(u"backups"_s)));
    }
};

} // namespace

QTEST_GUILESS_MAIN(TestUpgradeFixtures)
#include "tst_upgradefixtures.moc"
