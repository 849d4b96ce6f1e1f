// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace confab::server::postgres {

/*!
 * \brief Copies the server's SQLite database into an empty PostgreSQL one made by
 * schema::migrate(), and checks the copy: what `confabd migrate` does (docs/postgresql.md,
 * "Moving from SQLite").
 *
 * What is copied comes from the two databases, not from a list here: every table both
 * have, the columns both have, in the order PostgreSQL's foreign keys need. A table or a
 * column added to both schemas later is copied without a change here; what only one side
 * has is named in notes(). What PostgreSQL derives rather than stores in SQLite is made
 * here: the search columns of messages (folded as searchindex does for a new message),
 * identity sequences past the largest id, and each room's sequencer (rooms.last_seq).
 */
class SqliteImport
{
public:
    /*! \brief \a source: SQLite, opened read-only; \a target: PostgreSQL, with the schema. */
    SqliteImport(QSqlDatabase &source, QSqlDatabase &target);

    /*! \brief Reads both schemas: which tables and columns to copy, in which order. */
    bool plan(QString *error);
    /*! \brief Tables and columns only one side has, after plan(). */
    QStringList notes() const { return m_notes; }

    enum class CopyResult
    {
        Copied,
        TargetNotEmpty, //!< nothing written: a table to copy into holds rows
        Failed, //!< nothing written: rolled back
    };
    /*!
     * \brief Copies every planned table in one PostgreSQL transaction, which first locks
     * them and checks that they are empty (\a occupied: those that are not). Reads \a source
     * as it is now: run it in one read transaction with verify(), so both see one snapshot.
     */
    CopyResult copy(QStringList *occupied, QString *error);

    /*! \brief One table's rows on each side, and a SHA-256 over them in primary-key order. */
    struct TableCheck
    {
        QString table;
        qint64 sourceRows = 0;
        qint64 targetRows = 0;
        QByteArray sourceHash;
        QByteArray targetHash;
        bool matches() const { return sourceRows == targetRows && sourceHash == targetHash; }
    };
    /*!
     * \brief Reads every copied table back from both sides (\a checks), and checks what was
     * derived: \a derivedProblems names rooms whose last_seq is not their last event's seq
     * and messages without their search columns (or redacted ones with them); empty for a
     * good copy. False with \a error only where a side cannot be read.
     */
    bool verify(QList<TableCheck> *checks, QStringList *derivedProblems, QString *error);

private:
    enum class Type
    {
        Integer,
        Boolean,
        Real,
        Bytes,
        Text,
    };
    struct Column
    {
        QString name;
        Type type = Type::Text;
        QString sequence; //!< the identity or serial sequence behind it; empty if none
    };
    struct Table
    {
        QString name;
        QList<Column> columns; //!< both sides have them, in PostgreSQL's order
        QList<Column> key; //!< PostgreSQL's primary key, in key order; else every column
        bool identity = false; //!< PostgreSQL has an identity column: insert overriding it
    };

    bool copyTable(const Table &table, QString *error);
    bool continueSequences(const Table &table, QString *error);
    bool setSequencers(QString *error);
    bool checkTable(QSqlDatabase &db, bool target, const Table &table, qint64 *rows,
        QByteArray *hash, QString *error) const;
    bool checkDerived(QStringList *problems, QString *error);
    /*! \brief \a value (null if \a isNull) as a \a type column holds it; false if it cannot be. */
    static bool convert(QVariant *value, bool isNull, Type type);
    bool autoincrementSeen(const QString &table, qint64 *seen, QString *error) const;

    QSqlDatabase &m_source;
    QSqlDatabase &m_target;
    QList<Table> m_tables;
    QStringList m_notes;
    bool m_searchColumns = false; //!< events has search_words and search_text on PostgreSQL
    bool m_sequencer = false; //!< rooms has last_seq on PostgreSQL but not in SQLite
};

} // namespace confab::server::postgres
