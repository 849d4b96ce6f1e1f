// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/connection.h"

#include "sqlite/privatefiles.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace confab::sqlite {

QSqlDatabase open(const QString &path, const QString &connectionName,
    const ConnectionOptions &options, QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    if (path != u":memory:"_s && !makePrivate(path, error))
        return db;
    db.setDatabaseName(path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(options.busyTimeoutMs));
    if (!db.open()) {
        *error = u"cannot open database %1: %2"_s.arg(path, db.lastError().text());
        return db;
    }
    const QString sync = options.synchronous == Synchronous::Full ? u"FULL"_s : u"NORMAL"_s;
    QStringList pragmas {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous="_s + sync,
        u"PRAGMA foreign_keys=ON"_s, u"PRAGMA temp_store=MEMORY"_s};
    if (options.secureDelete)
        pragmas.append(u"PRAGMA secure_delete=ON"_s);
    for (const QString &p : pragmas) {
        QSqlQuery q(db);
        if (!q.exec(p)) {
            *error = u"cannot use database %1: %2"_s.arg(path, q.lastError().text());
            q = QSqlQuery();
            db.close();
            return db;
        }
    }
    error->clear();
    return db;
}

void close(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

} // namespace confab::sqlite
