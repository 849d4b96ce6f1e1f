// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/chatservice.h"
#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"
#include "storage/storagewriter.h"
#include "testclient.h"
#include "testserver.h"

#include <QSemaphore>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <memory>

namespace confab::test {

/*!
 * \brief Keeps the server's single writer busy in a job of its own until release(), so that
 * a test can commit a conflicting change, through its own connection to the database,
 * after a request passed its checks on the event loop but before its transaction runs.
 * The held job runs no statement, so it locks nothing.
 */
class WriterHold
{
public:
    explicit WriterHold(server::StorageWriter &writer)
        : m_writer(writer)
    {
        m_writer.submit(
            [gate = m_gate, started = m_started](server::WriteContext &) {
                started->release();
                gate->acquire();
                return true;
            },
            {});
        m_holding = m_started->tryAcquire(1, 5000);
    }
    explicit WriterHold(TestServer &server)
        : WriterHold(server.server()->service()->writer())
    { }
    ~WriterHold() { release(); }
    WriterHold(const WriterHold &) = delete;
    WriterHold &operator=(const WriterHold &) = delete;

    /*! \brief Whether the writer is inside the held job. */
    bool holding() const { return m_holding; }
    /*! \brief Waits until \a jobs writes queue behind the held job. */
    bool waitQueued(int jobs) const
    {
        return TestClient::waitUntil([&] { return m_writer.pending() >= jobs + 1; }, 15000);
    }
    void release()
    {
        if (!m_released) {
            m_released = true;
            m_gate->release();
        }
    }

private:
    server::StorageWriter &m_writer;
    // Shared: the job may still be returning from acquire() after this object is gone.
    std::shared_ptr<QSemaphore> m_gate = std::make_shared<QSemaphore>();
    std::shared_ptr<QSemaphore> m_started = std::make_shared<QSemaphore>();
    bool m_holding = false;
    bool m_released = false;
};

/*! \brief Sends \a request with \a id without waiting: its reply is one of strayReplies(). */
inline void sendWithoutWaiting(
    TestClient *c, const protocol::OutgoingRequest &request, const QString &id)
{
    c->sendRaw(QString::fromUtf8(request.encode(id)));
}

/*! \brief The reply to the request sent with \a id by sendWithoutWaiting(); none if none came. */
inline std::optional<protocol::ServerFrame> strayReply(
    TestClient *c, const QString &id, int timeoutMs = 15000)
{
    std::optional<protocol::ServerFrame> found;
    TestClient::waitUntil(
        [&] {
            for (const protocol::ServerFrame &f : c->strayReplies()) {
                if (f.id.toString() == id)
                    found = f;
            }
            return found.has_value();
        },
        timeoutMs);
    return found;
}

/*!
 * \brief Runs \a statement on a connection of the test's own, committed before it returns:
 * what another request, or confabd's operator commands, could have committed meanwhile.
 * The number of rows changed, or -1 if it failed.
 */
inline int commitDirectly(
    const QString &databaseLocation, const QString &statement, const QVariantList &binds = {})
{
    const QString name = QStringLiteral("commit-directly");
    int rows = -1;
    {
        QSqlDatabase db = openDatabase(databaseLocation, name);
        if (db.isOpen()) {
            QSqlQuery q(db);
            q.prepare(statement);
            for (const QVariant &bind : binds)
                q.addBindValue(bind);
            if (q.exec())
                rows = q.numRowsAffected();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

/*! \brief The first column of the first row of \a query on the test's own connection. */
inline QVariant readDirectly(
    const QString &databaseLocation, const QString &query, const QVariantList &binds = {})
{
    const QString name = QStringLiteral("read-directly");
    QVariant value;
    {
        QSqlDatabase db = openDatabase(databaseLocation, name);
        if (db.isOpen()) {
            QSqlQuery q(db);
            q.prepare(query);
            for (const QVariant &bind : binds)
                q.addBindValue(bind);
            if (q.exec() && q.next())
                value = q.value(0);
        }
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

} // namespace confab::test
