// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/postgres/sqliteimport.h"

#include "protocol/roomevent.h"
#include "storage/postgres/pgsearchtext.h"

#include <QCryptographicHash>
#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>
#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace confab::server::postgres {

namespace {

// Rows per INSERT: one round trip each instead of one per row, far below PostgreSQL's
// limit of 65535 parameters for the widest table.
constexpr int BatchRows = 250;

QString quoted(const QString &identifier)
{
    return u'"' + QString(identifier).replace(u'"', u"\"\""_s) + u'"';
}

bool run(QSqlQuery &query, const QString &sql, QString *error, const QVariantList &values = {})
{
    bool ok = values.isEmpty() ? query.exec(sql) : query.prepare(sql);
    for (qsizetype i = 0; ok && i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    if (ok && !values.isEmpty())
        ok = query.exec();
    if (!ok)
        *error = u"%1: %2"_s.arg(sql.simplified().left(100), query.lastError().text());
    return ok;
}

} // namespace

SqliteImport::SqliteImport(QSqlDatabase &source, QSqlDatabase &target)
    : m_source(source)
    , m_target(target)
{ }

bool SqliteImport::plan(QString *error)
{
    m_tables.clear();
    m_notes.clear();
    m_searchColumns = false;
    m_sequencer = false;
    QSqlQuery pg(m_target);
    QSqlQuery lite(m_source);

    // PostgreSQL's tables and columns: what the copy is shaped by.
    struct PgColumn
    {
        QString name;
        QString type;
        bool generated = false; //!< GENERATED ALWAYS AS (…): PostgreSQL computes it
        bool identity = false;
        QString sequence;
    };
    std::map<QString, QList<PgColumn>> pgTables;
    if (!run(pg,
            u"SELECT table_name::text FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"_s,
            error))
        return false;
    while (pg.next())
        pgTables[pg.value(0).toString()];
    if (!run(pg,
            u"SELECT table_name::text, column_name::text, data_type::text, "
            "is_generated::text = 'ALWAYS', is_identity::text = 'YES', "
            "pg_get_serial_sequence(quote_ident(table_name::text), column_name::text) "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "ORDER BY table_name, ordinal_position"_s,
            error))
        return false;
    while (pg.next()) {
        auto found = pgTables.find(pg.value(0).toString());
        if (found != pgTables.end())
            found->second.append({pg.value(1).toString(), pg.value(2).toString(),
                pg.value(3).toBool(), pg.value(4).toBool(), pg.value(5).toString()});
    }

    // SQLite's: its full-text indexes are no data of their own (PostgreSQL's search columns
    // are made from the messages below), nor are its own tables (sqlite_sequence is read
    // for the sequences).
    QStringList liteTables;
    QStringList virtualTables;
    if (!run(lite, u"SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"_s,
            error))
        return false;
    while (lite.next()) {
        const QString name = lite.value(0).toString();
        if (lite.value(1).toString().startsWith("CREATE VIRTUAL TABLE"_L1, Qt::CaseInsensitive))
            virtualTables.append(name);
        else if (!name.startsWith("sqlite_"_L1))
            liteTables.append(name);
    }
    const auto derived = [&virtualTables](const QString &name) {
        return std::any_of(virtualTables.cbegin(), virtualTables.cend(),
            [&name](const QString &v) { return name.startsWith(v + u'_'); });
    };

    QStringList common;
    for (const QString &name : std::as_const(liteTables)) {
        if (pgTables.count(name))
            common.append(name);
        else if (!derived(name))
            m_notes.append(u"not copied: table %1 (PostgreSQL has no such table)"_s.arg(name));
    }
    for (const auto &[name, columns] : pgTables) {
        if (!common.contains(name) && name != "schema_version"_L1)
            m_notes.append(u"left empty: table %1 (the SQLite database has none)"_s.arg(name));
    }

    QHash<QString, Table> tables;
    int searchColumns = 0;
    for (const QString &name : std::as_const(common)) {
        QSet<QString> liteColumns;
        if (!run(lite, u"PRAGMA table_info(%1)"_s.arg(quoted(name)), error))
            return false;
        while (lite.next())
            liteColumns.insert(lite.value(1).toString());
        Table table;
        table.name = name;
        for (const PgColumn &c : pgTables[name]) {
            if (c.generated) { // PostgreSQL computes it from the others
                liteColumns.remove(c.name);
                continue;
            }
            if (!liteColumns.remove(c.name)) {
                if (name == "events"_L1
                    && (c.name == "search_words"_L1 || c.name == "search_text"_L1))
                    ++searchColumns;
                else if (name == "rooms"_L1 && c.name == "last_seq"_L1)
                    m_sequencer = true;
                else
                    m_notes.append(u"left at its default: %1.%2 (the SQLite database has no "
                                   "such column)"_s.arg(name, c.name));
                continue;
            }
            Column column {c.name, Type::Text, c.sequence};
            if (c.type == "bigint"_L1 || c.type == "integer"_L1 || c.type == "smallint"_L1)
                column.type = Type::Integer;
            else if (c.type == "boolean"_L1)
                column.type = Type::Boolean;
            else if (c.type == "double precision"_L1 || c.type == "real"_L1)
                column.type = Type::Real;
            else if (c.type == "bytea"_L1)
                column.type = Type::Bytes;
            else if (c.type != "text"_L1 && c.type != "character varying"_L1) {
                *error = u"%1.%2 is of PostgreSQL type %3, which SQLite's values cannot be "
                         "copied into"_s.arg(name, c.name, c.type);
                return false;
            }
            table.identity = table.identity || c.identity;
            table.columns.append(column);
        }
        // Losing a column's values silently would be worse than not moving at all.
        if (!liteColumns.isEmpty()) {
            QStringList lost(liteColumns.cbegin(), liteColumns.cend());
            lost.sort();
            *error = u"PostgreSQL's table %1 has no column %2: this confabd cannot copy it"_s.arg(
                name, lost.join(u", "_s));
            return false;
        }
        tables.insert(name, table);
    }
    m_searchColumns = searchColumns == 2;

    if (!run(pg,
            u"SELECT k.table_name::text, k.column_name::text "
            "FROM information_schema.table_constraints t "
            "JOIN information_schema.key_column_usage k ON k.constraint_schema = "
            "t.constraint_schema AND k.constraint_name = t.constraint_name "
            "WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = current_schema() "
            "ORDER BY k.table_name, k.ordinal_position"_s,
            error))
        return false;
    while (pg.next()) {
        const auto table = tables.find(pg.value(0).toString());
        if (table == tables.end())
            continue;
        const QString column = pg.value(1).toString();
        const auto it = std::find_if(table->columns.cbegin(), table->columns.cend(),
            [&column](const Column &c) { return c.name == column; });
        if (it == table->columns.cend()) {
            *error = u"the SQLite table %1 lacks its key column %2"_s.arg(table->name, column);
            return false;
        }
        table->key.append(*it);
    }
    for (Table &table : tables) {
        if (table.key.isEmpty())
            table.key = table.columns;
    }

    // A referenced table before the tables that reference it: foreign keys are checked
    // row by row in the one transaction.
    QHash<QString, QSet<QString>> needs;
    if (!run(pg,
            u"SELECT f.relname::text, t.relname::text FROM pg_constraint c "
            "JOIN pg_class f ON f.oid = c.conrelid JOIN pg_class t ON t.oid = c.confrelid "
            "JOIN pg_namespace n ON n.oid = f.relnamespace "
            "WHERE c.contype = 'f' AND n.nspname = current_schema()"_s,
            error))
        return false;
    while (pg.next()) {
        const QString from = pg.value(0).toString();
        const QString to = pg.value(1).toString();
        if (from != to && tables.contains(from) && tables.contains(to))
            needs[from].insert(to);
    }
    QStringList pending = tables.keys();
    pending.sort();
    while (!pending.isEmpty()) {
        const auto ready = std::find_if(pending.cbegin(), pending.cend(),
            [&needs](const QString &t) { return needs.value(t).isEmpty(); });
        if (ready == pending.cend()) {
            *error
                = u"the foreign keys between tables %1 form a cycle"_s.arg(pending.join(u", "_s));
            return false;
        }
        const QString name = pending.takeAt(ready - pending.cbegin());
        for (QSet<QString> &n : needs)
            n.remove(name);
        m_tables.append(tables.value(name));
    }
    return true;
}

SqliteImport::CopyResult SqliteImport::copy(QStringList *occupied, QString *error)
{
    if (!m_target.transaction()) {
        *error = m_target.lastError().text();
        return CopyResult::Failed;
    }
    const auto fail = [this](CopyResult result) {
        m_target.rollback();
        return result;
    };
    {
        // Nothing else writes these tables until the copy commits: the emptiness checked
        // here stays true for it.
        QStringList names;
        for (const Table &t : std::as_const(m_tables))
            names.append(quoted(t.name));
        QSqlQuery q(m_target);
        // Writers busy in these tables are waited for only so long: a database in use fails
        // the copy rather than hanging it.
        if (!run(q, u"SET LOCAL lock_timeout = '10s'"_s, error))
            return fail(CopyResult::Failed);
        if (!names.isEmpty()
            && !run(q, u"LOCK TABLE %1 IN EXCLUSIVE MODE"_s.arg(names.join(u", "_s)), error))
            return fail(CopyResult::Failed);
        for (const Table &t : std::as_const(m_tables)) {
            if (!run(q, u"SELECT EXISTS(SELECT 1 FROM %1)"_s.arg(quoted(t.name)), error))
                return fail(CopyResult::Failed);
            if (q.next() && q.value(0).toBool())
                occupied->append(t.name);
        }
    }
    if (!occupied->isEmpty())
        return fail(CopyResult::TargetNotEmpty);
    for (const Table &t : std::as_const(m_tables)) {
        if (!copyTable(t, error) || !continueSequences(t, error))
            return fail(CopyResult::Failed);
    }
    if (!setSequencers(error))
        return fail(CopyResult::Failed);
    if (!m_target.commit()) {
        *error = u"commit: "_s + m_target.lastError().text();
        return fail(CopyResult::Failed);
    }
    return CopyResult::Copied;
}

bool SqliteImport::convert(QVariant *value, bool isNull, Type type)
{
    static const QMetaType types[] = {QMetaType::fromType<qlonglong>(), QMetaType::fromType<bool>(),
        QMetaType::fromType<double>(), QMetaType::fromType<QByteArray>(),
        QMetaType::fromType<QString>()};
    if (isNull) {
        *value = QVariant(types[int(type)]);
        return true;
    }
    bool ok = true;
    switch (type) {
    case Type::Integer:
        *value = value->toLongLong(&ok);
        break;
    case Type::Boolean:
        *value = value->metaType() == QMetaType::fromType<bool>() ? value->toBool()
                                                                  : value->toLongLong(&ok) != 0;
        break;
    case Type::Real:
        *value = value->toDouble(&ok);
        break;
    case Type::Bytes:
        if (value->metaType() != QMetaType::fromType<QByteArray>())
            *value = value->toString().toUtf8();
        break;
    case Type::Text: {
        // QPSQL binds a null QString as NULL, which the NOT NULL text columns refuse.
        const QString text = value->toString();
        *value = text.isNull() ? u""_s : text;
        break;
    }
    }
    return ok;
}

bool SqliteImport::copyTable(const Table &table, QString *error)
{
    QStringList names;
    QStringList placeholders;
    for (const Column &c : table.columns) {
        names.append(quoted(c.name));
        placeholders.append(u"?"_s);
    }
    // What PostgreSQL searches is made from each message's text, as searchindex::add()
    // makes it for a new one and takes it away at a redaction.
    qsizetype body = -1;
    qsizetype kind = -1;
    qsizetype redacted = -1;
    const bool search = m_searchColumns && table.name == "events"_L1;
    if (search) {
        for (qsizetype i = 0; i < table.columns.size(); ++i) {
            const QString &n = table.columns.at(i).name;
            if (n == "body"_L1)
                body = i;
            else if (n == "kind"_L1)
                kind = i;
            else if (n == "redacted"_L1)
                redacted = i;
        }
        if (body < 0 || kind < 0 || redacted < 0) {
            *error = u"events lacks body, kind or redacted: cannot make its search columns"_s;
            return false;
        }
        names << u"search_words"_s << u"search_text"_s;
        placeholders << u"to_tsvector('simple', ?)"_s << u"?"_s;
    }
    const QString row = u'(' + placeholders.join(u", "_s) + u')';
    const auto insertSql = [&](int rows) {
        QStringList values(rows, row);
        return u"INSERT INTO %1(%2)%3 VALUES %4"_s.arg(quoted(table.name), names.join(u", "_s),
            table.identity ? u" OVERRIDING SYSTEM VALUE"_s : QString(), values.join(u", "_s));
    };

    QSqlQuery read(m_source);
    read.setForwardOnly(true);
    QStringList selected;
    for (const Column &c : table.columns)
        selected.append(quoted(c.name));
    QStringList order;
    for (const Column &c : table.key)
        order.append(quoted(c.name));
    if (!run(read,
            u"SELECT %1 FROM %2 ORDER BY %3"_s.arg(
                selected.join(u", "_s), quoted(table.name), order.join(u", "_s)),
            error))
        return false;

    QSqlQuery full(m_target);
    QVariantList batch;
    int rows = 0;
    const auto flush = [&]() {
        if (rows == 0)
            return true;
        QSqlQuery tail(m_target);
        QSqlQuery &insert = rows == BatchRows ? full : tail;
        const QString sql = insertSql(rows);
        if (insert.lastQuery() != sql && !insert.prepare(sql)) {
            *error = u"%1: %2"_s.arg(table.name, insert.lastError().text());
            return false;
        }
        for (qsizetype i = 0; i < batch.size(); ++i)
            insert.bindValue(int(i), batch.at(i));
        if (!insert.exec()) {
            *error = u"copying %1: %2"_s.arg(table.name, insert.lastError().text());
            return false;
        }
        batch.clear();
        rows = 0;
        return true;
    };
    const qsizetype width = table.columns.size();
    while (read.next()) {
        for (qsizetype i = 0; i < width; ++i) {
            QVariant value = read.value(int(i));
            if (!convert(&value, read.isNull(int(i)), table.columns.at(i).type)) {
                *error = u"%1.%2 holds '%3', which its PostgreSQL column cannot"_s.arg(
                    table.name, table.columns.at(i).name, read.value(int(i)).toString().left(40));
                return false;
            }
            batch.append(value);
        }
        if (search) {
            const bool indexed
                = read.value(int(kind)).toLongLong() == qlonglong(protocol::EventKind::Message)
                && read.value(int(redacted)).toLongLong() == 0;
            const QString text = read.value(int(body)).toString();
            batch.append(indexed ? QVariant(searchtext::indexedWords(text))
                                 : QVariant(QMetaType::fromType<QString>()));
            batch.append(indexed ? QVariant(searchtext::fold(text))
                                 : QVariant(QMetaType::fromType<QString>()));
        }
        if (++rows == BatchRows && !flush())
            return false;
    }
    if (read.lastError().isValid()) {
        *error = u"reading %1: %2"_s.arg(table.name, read.lastError().text());
        return false;
    }
    return flush();
}

bool SqliteImport::autoincrementSeen(const QString &table, qint64 *seen, QString *error) const
{
    *seen = 0;
    QSqlQuery q(m_source);
    if (!run(q, u"SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"_s, error))
        return false;
    if (!q.next())
        return true;
    if (!run(q, u"SELECT seq FROM sqlite_sequence WHERE name = ?"_s, error, {table}))
        return false;
    if (q.next())
        *seen = q.value(0).toLongLong();
    return true;
}

bool SqliteImport::continueSequences(const Table &table, QString *error)
{
    for (const Column &c : table.columns) {
        if (c.sequence.isEmpty())
            continue;
        // An id SQLite's AUTOINCREMENT handed out once, to a row deleted since, is not handed
        // out again here either.
        qint64 next = 0;
        QSqlQuery q(m_target);
        if (!autoincrementSeen(table.name, &next, error)
            || !run(q,
                u"SELECT COALESCE(MAX(%1), 0) FROM %2"_s.arg(quoted(c.name), quoted(table.name)),
                error)
            || !q.next())
            return false;
        next = std::max(next, q.value(0).toLongLong());
        if (next > 0 && !run(q, u"SELECT setval(?, ?)"_s, error, {c.sequence, next}))
            return false;
    }
    return true;
}

bool SqliteImport::setSequencers(QString *error)
{
    if (!m_sequencer)
        return true;
    // The next message of each room takes the seq after its last event, as SQLite's writer
    // finds it (WriteContext::nextSeq).
    QSqlQuery q(m_target);
    return run(q,
        u"UPDATE rooms r SET last_seq = COALESCE((SELECT MAX(e.seq) FROM events e "
        "WHERE e.room_id = r.id), 0)"_s,
        error);
}

bool SqliteImport::checkTable(QSqlDatabase &db, bool target, const Table &table, qint64 *rows,
    QByteArray *hash, QString *error) const
{
    QStringList selected;
    for (const Column &c : table.columns)
        selected.append(quoted(c.name));
    // Both sides in one order: text by its UTF-8 bytes, as SQLite's BINARY compares it.
    QStringList order;
    for (const Column &c : table.key) {
        order.append(quoted(c.name)
            + (c.type != Type::Text ? QString()
                    : target        ? u" COLLATE \"C\""_s
                                    : u" COLLATE BINARY"_s));
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!run(q,
            u"SELECT %1 FROM %2 ORDER BY %3"_s.arg(
                selected.join(u", "_s), quoted(table.name), order.join(u", "_s)),
            error))
        return false;
    QCryptographicHash sha(QCryptographicHash::Sha256);
    *rows = 0;
    const qsizetype width = table.columns.size();
    while (q.next()) {
        ++*rows;
        for (qsizetype i = 0; i < width; ++i) {
            const Type type = table.columns.at(i).type;
            QVariant value = q.value(int(i));
            const bool isNull = q.isNull(int(i));
            // A value that cannot be converted still counts, as what it is.
            if (!convert(&value, isNull, type))
                value = q.value(int(i)).toString();
            // Tag and length before each value: no two rows' values hash alike.
            QByteArray bytes;
            char tag = 'N';
            if (!isNull) {
                switch (type) {
                case Type::Integer:
                case Type::Boolean:
                    tag = 'I';
                    bytes.resize(8);
                    qToBigEndian<qint64>(value.toLongLong(), bytes.data());
                    break;
                case Type::Real: {
                    tag = 'R';
                    const double d = value.toDouble();
                    bytes = QByteArray(reinterpret_cast<const char *>(&d), sizeof d);
                    break;
                }
                case Type::Bytes:
                    tag = 'B';
                    bytes = value.toByteArray();
                    break;
                case Type::Text:
                    tag = 'T';
                    bytes = value.toString().toUtf8();
                    break;
                }
            }
            char length[8];
            qToBigEndian<qint64>(bytes.size(), length);
            sha.addData(QByteArrayView(&tag, 1));
            sha.addData(QByteArrayView(length, 8));
            sha.addData(bytes);
        }
    }
    if (q.lastError().isValid()) {
        *error = u"reading %1: %2"_s.arg(table.name, q.lastError().text());
        return false;
    }
    *hash = sha.result();
    return true;
}

bool SqliteImport::checkDerived(QStringList *problems, QString *error)
{
    QSqlQuery q(m_target);
    if (m_sequencer) {
        if (!run(q,
                u"SELECT count(*) FROM rooms r WHERE r.last_seq <> COALESCE((SELECT MAX(e.seq) "
                "FROM events e WHERE e.room_id = r.id), 0)"_s,
                error)
            || !q.next())
            return false;
        if (const qint64 n = q.value(0).toLongLong())
            problems->append(u"rooms.last_seq: %1 room(s) not at their last event's seq"_s.arg(n));
    }
    if (m_searchColumns) {
        if (!run(q,
                u"SELECT count(*) FROM events WHERE (kind = ? AND redacted = 0) "
                "<> (search_words IS NOT NULL AND search_text IS NOT NULL)"_s,
                error, {qlonglong(protocol::EventKind::Message)})
            || !q.next())
            return false;
        if (const qint64 n = q.value(0).toLongLong())
            problems->append(u"events search columns: %1 event(s) wrongly (un)indexed"_s.arg(n));
    }
    return true;
}

bool SqliteImport::verify(QList<TableCheck> *checks, QStringList *derivedProblems, QString *error)
{
    for (const Table &t : std::as_const(m_tables)) {
        TableCheck check;
        check.table = t.name;
        if (!checkTable(m_source, false, t, &check.sourceRows, &check.sourceHash, error)
            || !checkTable(m_target, true, t, &check.targetRows, &check.targetHash, error))
            return false;
        checks->append(check);
    }
    return checkDerived(derivedProblems, error);
}

} // namespace confab::server::postgres
