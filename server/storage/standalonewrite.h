// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/database.h"

#include <memory>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief One write transaction on a connection of its own, for a process other than the
 * running server (confabd admin). SQLite's locking orders it with the server's writer;
 * what the server must react to goes through accountstore::logAdminAction().
 *
 * Rolled back unless commit() succeeds.
 */
class StandaloneWrite
{
public:
    explicit StandaloneWrite(const QString &connectionName);
    ~StandaloneWrite();
    StandaloneWrite(const StandaloneWrite &) = delete;
    StandaloneWrite &operator=(const StandaloneWrite &) = delete;

    /*! \brief Opens \a path, brings its schema up to date and begins the transaction. */
    bool begin(const QString &path, Durability durability, QString *error);
    bool commit(QString *error);

    WriteContext &context() { return *m_context; }
    /*! \brief Reads inside the same transaction. */
    StatementCache &reads() { return *m_reads; }

private:
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unique_ptr<StatementCache> m_reads;
    std::unique_ptr<WriteContext> m_context;
    bool m_open = false;
};

} // namespace confab::server
