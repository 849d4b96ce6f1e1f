// SPDX-License-Identifier: GPL-3.0-or-later
// The shared SQLite helper on real files: connection settings, creation, adoption of an
// unversioned file, migrations that run once, a failing step, a file from a newer build, and
// owner-only modes whatever the umask.
#include "sqlite/connection.h"
#include "sqlite/schema.h"

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using confab::sqlite::Migration;
using confab::sqlite::Schema;

namespace {

const QStringList Version1 {
    u"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT '')"_s,
    u"CREATE INDEX notes_body ON notes(body)"_s,
    u"CREATE TABLE tags (note INTEGER NOT NULL REFERENCES notes(id), tag TEXT NOT NULL)"_s,
};

Schema version1()
{
    return Schema(u"test file"_s, {{1, Version1, {}}});
}

QVariant scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return q.exec(sql);
}

} // namespace

class TestSqliteSchema : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path() const { return m_dir.filePath(u"file.sqlite"_s); }

    // A connection through the helper; the previous one must be out of scope.
    QSqlDatabase open(const confab::sqlite::ConnectionOptions &options = {})
    {
        confab::sqlite::close(u"test"_s);
        QString error;
        QSqlDatabase db = confab::sqlite::open(path(), u"test"_s, options, &error);
        if (!error.isEmpty())
            qWarning() << error;
        return db;
    }

    // The file as the code before versioning left it: tables, rows, user_version 0.
    void writeUnversioned(const QStringList &statements)
    {
        QSqlDatabase db = open();
        for (const QString &sql : statements)
            QVERIFY2(exec(db, sql), qPrintable(sql));
        QVERIFY(exec(db, u"INSERT INTO notes (id, body) VALUES (1, 'kept'), (2, 'also')"_s));
        QCOMPARE(Schema::version(db), 0);
    }

private Q_SLOTS:
    void cleanup()
    {
        confab::sqlite::close(u"test"_s);
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(path() + suffix);
    }

    void connectionSettings_data()
    {
        QTest::addColumn<confab::sqlite::Synchronous>("synchronous");
        QTest::addColumn<int>("expected");
        QTest::newRow("full") << confab::sqlite::Synchronous::Full << 2;
        QTest::newRow("normal") << confab::sqlite::Synchronous::Normal << 1;
    }

    void connectionSettings()
    {
        QFETCH(confab::sqlite::Synchronous, synchronous);
        QFETCH(int, expected);
        QSqlDatabase db = open({synchronous, 5000});
        QVERIFY(db.isOpen());
        QCOMPARE(scalar(db, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(scalar(db, u"PRAGMA synchronous"_s).toInt(), expected);
        QCOMPARE(scalar(db, u"PRAGMA foreign_keys"_s).toInt(), 1);
        QCOMPARE(scalar(db, u"PRAGMA temp_store"_s).toInt(), 2);
    }

#ifdef Q_OS_UNIX
    // The mode bits of \a path, e.g. 0600.
    static uint mode(const QString &path)
    {
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(path).constData(), &st) != 0)
            return 0xffff;
        return st.st_mode & 07777;
    }

    void filesArePrivateWhateverTheUmask()
    {
        const mode_t previous = ::umask(022);
        const QString folder = m_dir.filePath(u"created/data"_s);
        const QString file = folder + u"/file.sqlite"_s;
        QString error;
        {
            QSqlDatabase db = confab::sqlite::open(file, u"test"_s, {}, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(exec(db, u"CREATE TABLE t (x)"_s)); // makes SQLite create -wal and -shm
            QVERIFY(exec(db, u"INSERT INTO t VALUES ('secret')"_s));
        }
        ::umask(previous);
        QCOMPARE(mode(folder), 0700u);
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
            QVERIFY2(QFileInfo::exists(file + suffix), qPrintable(suffix));
            QCOMPARE(mode(file + suffix), 0600u);
        }
    }

    void filesFromAnOlderBuildAreTightened()
    {
        const QString folder = m_dir.filePath(u"older"_s);
        const QString file = folder + u"/file.sqlite"_s;
        QVERIFY(QDir().mkpath(folder));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"older"_s);
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QVERIFY(exec(db, u"PRAGMA journal_mode=WAL"_s));
            QVERIFY(exec(db, u"CREATE TABLE t (x)"_s));
        }
        QSqlDatabase::removeDatabase(u"older"_s);
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(file).constData(), 0644) == 0);
        QCOMPARE(mode(file), 0644u);
        QString error;
        {
            QSqlDatabase db = confab::sqlite::open(file, u"test"_s, {}, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM t"_s).toInt(), 0); // same file, kept
        }
        QCOMPARE(mode(folder), 0700u);
        QCOMPARE(mode(file), 0600u);
    }
#endif

    void notADatabaseFailsAtOpen()
    {
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        QString error;
        QSqlDatabase db = confab::sqlite::open(path(), u"test"_s, {}, &error);
        QVERIFY(!error.isEmpty());
        QVERIFY(!db.isOpen());
    }

    void emptyFileIsCreatedAtTheLatestVersion()
    {
        int runs = 0;
        const Schema schema(u"test file"_s,
            {{1, Version1, {}},
                {2, {u"ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0"_s},
                    [&runs](QSqlDatabase &, QString *) { return ++runs > 0; }}});
        QSqlDatabase db = open();
        QString error;
        QVERIFY2(schema.migrate(db, &error), qPrintable(error));
        QCOMPARE(Schema::version(db), 2);
        QCOMPARE(runs, 1);
        QVERIFY(exec(db, u"INSERT INTO notes (body, pinned) VALUES ('x', 1)"_s));
    }

    void unversionedFileIsAdoptedWithItsRows()
    {
        writeUnversioned(Version1);
        QSqlDatabase db = open();
        QString error;
        QVERIFY2(version1().migrate(db, &error), qPrintable(error));
        QCOMPARE(Schema::version(db), 1);
        QCOMPARE(scalar(db, u"SELECT group_concat(body, ',') FROM notes ORDER BY id"_s).toString(),
            u"kept,also"_s);
    }

    void unversionedFileMissingATableGetsIt()
    {
        // The old code created tables one statement at a time: a crash could stop it halfway.
        writeUnversioned({Version1.at(0)});
        QSqlDatabase db = open();
        QString error;
        QVERIFY2(version1().migrate(db, &error), qPrintable(error));
        QCOMPARE(Schema::version(db), 1);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM notes"_s).toInt(), 2);
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM sqlite_master WHERE name IN "
                     "('notes_body', 'tags')"_s)
                     .toInt(),
            2);
    }

    void unversionedFileOfAnotherShapeIsRefused_data()
    {
        QTest::addColumn<QStringList>("statements");
        QTest::newRow("foreign table") << QStringList {Version1.at(0), u"CREATE TABLE x (a)"_s};
        QTest::newRow("other columns")
            << QStringList {u"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"_s};
    }

    void unversionedFileOfAnotherShapeIsRefused()
    {
        QFETCH(QStringList, statements);
        writeUnversioned(statements);
        QSqlDatabase db = open();
        QString error;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"version 1 failed"_s));
        QVERIFY(!version1().migrate(db, &error));
        QVERIFY(error.contains(u"stays at version 0"_s));
        QCOMPARE(Schema::version(db), 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM notes"_s).toInt(), 2);
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM sqlite_master WHERE name = 'tags'"_s).toInt(), 0);
    }

    void migrationRunsOnceAcrossReopens()
    {
        int runs = 0;
        const Schema schema(u"test file"_s,
            {{1, Version1, {}},
                {2, {u"UPDATE notes SET body = body || '!'"_s},
                    [&runs](QSqlDatabase &, QString *) { return ++runs > 0; }}});
        writeUnversioned(Version1);
        for (int i = 0; i < 3; ++i) {
            QSqlDatabase db = open();
            QString error;
            QVERIFY2(schema.migrate(db, &error), qPrintable(error));
            QCOMPARE(Schema::version(db), 2);
        }
        QCOMPARE(runs, 1);
        QSqlDatabase db = open();
        QCOMPARE(scalar(db, u"SELECT group_concat(body, ',') FROM notes ORDER BY id"_s).toString(),
            u"kept!,also!"_s);
    }

    void failingMigrationLeavesThePreviousVersion_data()
    {
        QTest::addColumn<bool>("failInFunction");
        QTest::newRow("statement") << false;
        QTest::newRow("function") << true;
    }

    void failingMigrationLeavesThePreviousVersion()
    {
        QFETCH(bool, failInFunction);
        {
            QSqlDatabase db = open();
            QString error;
            QVERIFY(version1().migrate(db, &error));
            QVERIFY(exec(db, u"INSERT INTO notes (id, body) VALUES (1, 'kept')"_s));
        }
        Migration broken {2,
            {u"UPDATE notes SET body = 'changed'"_s, u"CREATE TABLE extra (a)"_s,
                failInFunction ? u"SELECT 1"_s : u"INSERT INTO missing VALUES (1)"_s},
            {}};
        if (failInFunction) {
            broken.run = [](QSqlDatabase &, QString *error) {
                *error = u"refused by the test"_s;
                return false;
            };
        }
        const Schema schema(u"test file"_s, {{1, Version1, {}}, broken});
        QSqlDatabase db = open();
        QString error;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"migrating to version 2 failed"_s));
        QVERIFY(!schema.migrate(db, &error));
        QVERIFY2(error.contains(u"stays at version 1"_s), qPrintable(error));
        if (failInFunction)
            QVERIFY(error.contains(u"refused by the test"_s));
        QCOMPARE(Schema::version(db), 1);
        QCOMPARE(scalar(db, u"SELECT body FROM notes WHERE id = 1"_s).toString(), u"kept"_s);
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM sqlite_master WHERE name = 'extra'"_s).toInt(), 0);
        // Not left inside a transaction: the connection still writes.
        QVERIFY(exec(db, u"INSERT INTO notes (body) VALUES ('after')"_s));
    }

    void newerFileIsRefusedAndLeftAlone()
    {
        {
            QSqlDatabase db = open();
            QString error;
            QVERIFY(version1().migrate(db, &error));
            QVERIFY(exec(db, u"INSERT INTO notes (id, body) VALUES (1, 'kept')"_s));
            QVERIFY(exec(db, u"PRAGMA user_version = 7"_s));
        }
        QSqlDatabase db = open();
        QString error;
        QTest::ignoreMessage(QtCriticalMsg,
            QRegularExpression(u"test file .* has schema version 7, newer than the 1 "_s));
        QVERIFY(!version1().migrate(db, &error));
        QVERIFY(error.contains(u"newer"_s));
        QCOMPARE(Schema::version(db), 7);
        QCOMPARE(scalar(db, u"SELECT body FROM notes"_s).toString(), u"kept"_s);
        QVERIFY(exec(db, u"INSERT INTO notes (body) VALUES ('after')"_s));
    }

    void misnumberedMigrationsAreRefused()
    {
        const Schema schema(u"test file"_s, {{1, Version1, {}}, {3, {}, {}}});
        QSqlDatabase db = open();
        QString error;
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"migration 2 is numbered 3"_s));
        QVERIFY(!schema.migrate(db, &error));
        QCOMPARE(Schema::version(db), 0);
    }
};

QTEST_GUILESS_MAIN(TestSqliteSchema)
#include "tst_sqliteschema.moc"
