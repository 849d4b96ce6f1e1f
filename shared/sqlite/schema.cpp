// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/schema.h"

#include "sqlite/sqlitelogging.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <atomic>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace confab::sqlite {

namespace {

std::atomic<int> s_referenceCounter {0};

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = u"%1 (in: %2)"_s.arg(q.lastError().text(), sql.simplified().left(80));
        return false;
    }
    return true;
}

struct SchemaObject
{
    QString type; //!< table, index, view or trigger
    QString name;
    QString sql; //!< the statement that created it, as SQLite keeps it
};

// What a schema consists of: its objects in creation order, and each table's columns.
struct SchemaShape
{
    QList<SchemaObject> objects;
    QHash<QString, QStringList> columns;

    const SchemaObject *find(const QString &name) const
    {
        for (const SchemaObject &o : objects) {
            if (o.name == name)
                return &o;
        }
        return nullptr;
    }
};

std::optional<SchemaShape> shapeOf(QSqlDatabase &db, QString *error)
{
    SchemaShape shape;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // SQLite's own tables (sqlite_sequence, automatic indexes) follow from the user's.
        if (!q.exec(u"SELECT type, name, sql FROM sqlite_master "
                    "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"_s)) {
            *error = q.lastError().text();
            return std::nullopt;
        }
        while (q.next()) {
            shape.objects.append(
                {q.value(0).toString(), q.value(1).toString(), q.value(2).toString()});
        }
    }
    for (const SchemaObject &o : std::as_const(shape.objects)) {
        if (o.type != u"table"_s)
            continue;
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(u"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) "
                  "ORDER BY cid"_s);
        q.addBindValue(o.name);
        if (!q.exec()) {
            *error = q.lastError().text();
            return std::nullopt;
        }
        QStringList &columns = shape.columns[o.name];
        while (q.next()) {
            QStringList parts;
            for (int i = 0; i < 5; ++i)
                parts.append(q.value(i).isNull() ? u"NULL"_s : q.value(i).toString());
            columns.append(parts.join(u' '));
        }
    }
    return shape;
}

} // namespace

Schema::Schema(QString name, QList<Migration> migrations)
    : m_name(std::move(name))
    , m_migrations(std::move(migrations))
{ }

int Schema::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
}

int Schema::version(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return -1;
    return q.value(0).toInt();
}

bool Schema::migrate(QSqlDatabase &db, QString *error) const
{
    for (qsizetype i = 0; i < m_migrations.size(); ++i) {
        if (m_migrations.at(i).version != i + 1) {
            *error = u"%1: migration %2 is numbered %3; migrations are numbered 1, 2, 3, …"_s
                         .arg(m_name)
                         .arg(i + 1)
                         .arg(m_migrations.at(i).version);
            qCCritical(lcSqlite).noquote() << *error;
            return false;
        }
    }
    bool done = false;
    while (!done) {
        if (!step(db, &done, error))
            return false;
    }
    return true;
}

bool Schema::step(QSqlDatabase &db, bool *done, QString *error) const
{
    const QString file = db.databaseName();
    // IMMEDIATE: the write lock is held from before the version is read until the new one
    // commits, so a second process waits and then sees the new version.
    if (!exec(db, u"BEGIN IMMEDIATE"_s, error)) {
        *error = u"%1 %2: cannot start a migration: %3"_s.arg(m_name, file, *error);
        qCWarning(lcSqlite).noquote() << *error;
        return false;
    }
    const auto fail = [&](const QString &why) {
        QString ignored;
        exec(db, u"ROLLBACK"_s, &ignored);
        *error = why;
        return false;
    };
    const int current = version(db);
    const int latest = latestVersion();
    if (current < 0) {
        fail(u"%1 %2: cannot read its schema version: %3"_s.arg(
            m_name, file, db.lastError().text()));
        qCWarning(lcSqlite).noquote() << *error;
        return false;
    }
    if (current > latest) {
        fail(u"%1 %2 has schema version %3, newer than the %4 this build knows: it was "
             "written by a newer version of Confab, and is left untouched"_s.arg(m_name, file)
                 .arg(current)
                 .arg(latest));
        qCCritical(lcSqlite).noquote() << *error;
        return false;
    }
    if (current == latest) {
        *done = true;
        return exec(db, u"COMMIT"_s, error) || fail(*error);
    }

    bool adopting = false;
    QString why;
    bool ok = true;
    if (current == 0) {
        const auto shape = shapeOf(db, &why);
        ok = shape.has_value();
        adopting = ok && !shape->objects.isEmpty();
    }
    const int next = adopting ? 1 : current + 1;
    ok = ok && (adopting ? adopt(db, &why) : apply(db, m_migrations.at(next - 1), &why));
    ok = ok && exec(db, u"PRAGMA user_version = %1"_s.arg(next), &why);
    ok = ok && exec(db, u"COMMIT"_s, &why);
    if (!ok) {
        fail(u"%1 %2: %3 version %4 failed, the file stays at version %5: %6"_s
                 .arg(m_name, file,
                     adopting ? u"adopting the unversioned schema as"_s : u"migrating to"_s)
                 .arg(next)
                 .arg(current)
                 .arg(why));
        qCWarning(lcSqlite).noquote() << *error;
        return false;
    }
    if (adopting)
        qCInfo(lcSqlite).noquote() << m_name << file << "adopted as schema version 1";
    else if (current == 0)
        qCInfo(lcSqlite).noquote() << m_name << file << "created";
    else
        qCInfo(lcSqlite).noquote() << m_name << file << "migrated to schema version" << next;
    return true;
}

bool Schema::apply(QSqlDatabase &db, const Migration &migration, QString *error) const
{
    for (const QString &sql : migration.statements) {
        if (!exec(db, sql, error))
            return false;
    }
    if (migration.run && !migration.run(db, error)) {
        if (error->isEmpty())
            *error = u"migration %1 failed"_s.arg(migration.version);
        return false;
    }
    return true;
}

bool Schema::adopt(QSqlDatabase &db, QString *error) const
{
    // Version 1 as migration 1 builds it, in a scratch in-memory database: what the file is
    // compared with, and where the statements for anything it lacks come from.
    std::optional<SchemaShape> reference;
    const QString connection = u"confab-sqlite-reference-%1"_s.arg(++s_referenceCounter);
    {
        QSqlDatabase memory = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        memory.setDatabaseName(u":memory:"_s);
        if (!memory.open())
            *error = memory.lastError().text();
        else if (apply(memory, m_migrations.constFirst(), error))
            reference = shapeOf(memory, error);
        memory.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!reference)
        return false;

    const auto shape = shapeOf(db, error);
    if (!shape)
        return false;
    for (const SchemaObject &o : shape->objects) {
        const SchemaObject *known = reference->find(o.name);
        if (!known || known->type != o.type) {
            *error = u"it holds %1 %2, which version 1 does not have"_s.arg(o.type, o.name);
            return false;
        }
        if (o.type == u"table"_s
            && shape->columns.value(o.name) != reference->columns.value(o.name)) {
            *error = u"its table %1 has columns (%2) where version 1 has (%3)"_s.arg(o.name,
                shape->columns.value(o.name).join(u", "_s),
                reference->columns.value(o.name).join(u", "_s));
            return false;
        }
    }
    for (const SchemaObject &o : std::as_const(reference->objects)) {
        if (shape->find(o.name) || o.sql.isEmpty())
            continue;
        qCInfo(lcSqlite).noquote() << m_name << db.databaseName() << "lacks" << o.type << o.name
                                   << "of version 1: creating it";
        if (!exec(db, o.sql, error))
            return false;
    }
    return true;
}

} // namespace confab::sqlite
