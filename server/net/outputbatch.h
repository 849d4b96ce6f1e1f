// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointer>

namespace confab::server {

class ClientConnection;

/*!
 * \brief Holds back socket writes while a group of frames is produced, then writes each
 * connection's share with one system call.
 *
 * A group commit completes many sends at once; each recipient would otherwise get one
 * write (and one TCP segment) per event, plus the sender's acknowledgement. Scopes nest;
 * the outermost end() writes.
 */
class OutputBatch
{
public:
    void begin() { ++m_depth; }
    void end();
    bool isOpen() const { return m_depth > 0; }
    /*! \brief \a connection has frames held back; it is written at the outermost end(). */
    void hold(ClientConnection *connection);

private:
    int m_depth = 0;
    QList<QPointer<ClientConnection>> m_held;
};

/*! \brief Keeps an OutputBatch open for a scope. */
class OutputBatchScope
{
public:
    explicit OutputBatchScope(OutputBatch &batch)
        : m_batch(batch)
    {
        m_batch.begin();
    }
    ~OutputBatchScope() { m_batch.end(); }
    OutputBatchScope(const OutputBatchScope &) = delete;
    OutputBatchScope &operator=(const OutputBatchScope &) = delete;

private:
    OutputBatch &m_batch;
};

} // namespace confab::server
