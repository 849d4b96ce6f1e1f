// SPDX-License-Identifier: GPL-3.0-or-later
#include "admin/migratecommand.h"

#include "app/datafolderlock.h"
#include "storage/database.h"
#include "storage/postgres/pgaddress.h"
#include "storage/postgres/pgschema.h"
#include "storage/postgres/sqliteimport.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace confab::server::admin {

namespace {

enum Exit
{
    Ok = 0,
    Failed = 1,
    Usage = 2,
    Database = 4,
    InUse = 6, //!< a confabd serves the data folder
};

const QString SourceConnection = u"confab-migrate-sqlite"_s;
const QString TargetConnection = u"confab-migrate-postgresql"_s;

int printChecks(const QList<postgres::SqliteImport::TableCheck> &checks,
    const QStringList &derivedProblems, QTextStream &out, QTextStream &err)
{
    qsizetype width = 5;
    for (const auto &c : checks)
        width = std::max(width, c.table.size());
    out << u"table"_s.leftJustified(width + 2) << u"sqlite"_s.rightJustified(12)
        << u"postgresql"_s.rightJustified(12) << "  sha-256" << Qt::endl;
    int mismatches = 0;
    for (const auto &c : checks) {
        const bool same = c.matches();
        mismatches += same ? 0 : 1;
        out << c.table.leftJustified(width + 2) << QString::number(c.sourceRows).rightJustified(12)
            << QString::number(c.targetRows).rightJustified(12) << "  "
            << (same ? u"same "_s : u"DIFFERENT "_s)
            << QString::fromLatin1(c.targetHash.toHex().left(16)) << Qt::endl;
    }
    for (const QString &p : derivedProblems)
        err << p << Qt::endl;
    if (mismatches > 0 || !derivedProblems.isEmpty()) {
        err << "migrate: the copy does not match the SQLite database (" << mismatches
            << " table(s) differ); do not serve from it: drop the PostgreSQL database, make it "
               "again, and report this"
            << Qt::endl;
        return Failed;
    }
    return Ok;
}

int migrate(const ServerConfig &config, const postgres::PgAddress &address, QTextStream &out,
    QTextStream &err)
{
    const QString path = config.databasePath();
    QSqlDatabase source = QSqlDatabase::addDatabase(u"QSQLITE"_s, SourceConnection);
    source.setDatabaseName(path);
    source.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    if (!source.open()) {
        err << "migrate: cannot open " << path << ": " << source.lastError().text() << Qt::endl;
        return Database;
    }
    // Same version, same columns: an older file is brought up to date by this confabd's
    // first start on it (with a copy kept, docs/operations.md "Upgrading"), not here.
    const int version = sqlite::Schema::version(source);
    if (version != database::schema().latestVersion()) {
        err << "migrate: " << path << " has schema version " << version << ", this confabd "
            << database::schema().latestVersion() << ": "
            << (version < database::schema().latestVersion()
                       ? "start this confabd on it once to upgrade it, stop it, then migrate"
                       : "migrate with the confabd that made it")
            << Qt::endl;
        return Database;
    }

    QString error;
    QSqlDatabase target
        = postgres::openConnection(address, TargetConnection, u"confabd-migrate"_s, &error);
    if (!target.isOpen()) {
        err << "migrate: " << error << Qt::endl;
        return Database;
    }
    if (!postgres::schema::migrate(target, &error)) {
        err << "migrate: cannot make the tables in " << address.displayUrl() << ": " << error
            << Qt::endl;
        return Database;
    }

    postgres::SqliteImport import(source, target);
    if (!import.plan(&error)) {
        err << "migrate: " << error << Qt::endl;
        return Failed;
    }
    for (const QString &note : import.notes())
        out << "note: " << note << Qt::endl;
    // One snapshot for the copy and for the check after it.
    if (!source.transaction()) {
        err << "migrate: cannot read " << path << ": " << source.lastError().text() << Qt::endl;
        return Database;
    }
    QStringList occupied;
    switch (import.copy(&occupied, &error)) {
    case postgres::SqliteImport::CopyResult::Copied:
        break;
    case postgres::SqliteImport::CopyResult::TargetNotEmpty:
        err << "migrate refused: " << address.displayUrl()
            << " is not empty (rows in: " << occupied.join(u", "_s)
            << "); migrate only into a new, empty database" << Qt::endl;
        return Usage;
    case postgres::SqliteImport::CopyResult::Failed:
        err << "migrate failed, nothing was written to " << address.displayUrl() << ": " << error
            << Qt::endl;
        return Failed;
    }
    out << "copied " << QFileInfo(path).absoluteFilePath() << " into " << address.displayUrl()
        << Qt::endl;

    QList<postgres::SqliteImport::TableCheck> checks;
    QStringList derived;
    if (!import.verify(&checks, &derived, &error)) {
        err << "migrate: copied, but cannot check the copy: " << error << Qt::endl;
        return Failed;
    }
    source.rollback();
    return printChecks(checks, derived, out, err);
}

int migrateNow(const ServerConfig &config, const QStringList &a, QTextStream &out, QTextStream &err)
{
    QString url = config.database;
    if (a.size() == 2 && a[0] == "--to"_L1)
        url = a[1];
    else if (!a.isEmpty())
        url.clear();
    if (url.isEmpty()) {
        err << "usage: migrate --to postgresql://user:password@host:port/database" << Qt::endl;
        return Usage;
    }
    QString error;
    const postgres::PgAddress address = postgres::PgAddress::fromUrl(url, &error);
    if (!error.isEmpty()) {
        err << "migrate: " << error << Qt::endl;
        return Usage;
    }
    const QString path = config.databasePath();
    if (!QFileInfo(path).isFile()) {
        err << "migrate: there is no SQLite database at " << path << " (give the server's --data "
            << "or --config)" << Qt::endl;
        return Database;
    }
    // What a running server wrote after the copy would be lost when it moves over.
    DataFolderLock lock(config.dataDir);
    if (!lock.acquire(&error)) {
        err << "migrate refused: " << error << Qt::endl;
        return InUse;
    }
    const int code = migrate(config, address, out, err);
    QSqlDatabase::removeDatabase(SourceConnection);
    QSqlDatabase::removeDatabase(TargetConnection);
    return code;
}

} // namespace

QStringList migrateCommandNames()
{
    return {u"migrate"_s};
}

int migrateCommand(
    const ServerConfig &config, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(0) != "migrate"_L1)
        return -1;
    return migrateNow(config, args.mid(1), out, err);
}

} // namespace confab::server::admin
