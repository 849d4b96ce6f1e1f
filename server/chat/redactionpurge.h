// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

namespace confab::server {

class StatementCache;
class StorageWriter;

/*!
 * \brief Removes the last copies of redacted text from the data folder (protocol §5.20).
 *
 * With secure_delete the rows' old content is zeroed as it is freed, but FTS5 keeps a
 * deleted text's tokens in older index segments until they are merged, and the write-ahead
 * log keeps the pages as they were until a checkpoint. So, within the configured delay of a
 * redaction, both indexes are merged whole and the log is checkpointed and truncated. One
 * purge per delay window, however many redactions it holds: a merge rewrites the whole index.
 * It goes in small steps, each a writer job of its own, so that sends keep committing while
 * a large index is rewritten.
 */
class RedactionPurge : public QObject
{
    Q_OBJECT
public:
    RedactionPurge(StorageWriter &writer, StatementCache &reader, int delaySeconds);

    /*! \brief A redaction committed: a purge runs within the delay. */
    void redactionCommitted();

    /*!
     * \brief Queues a purge that is waiting for its delay now: the server is stopping, and
     * the text must not wait for the next start. Call it before the writer stops.
     */
    void purgeNow();

    /*! \brief Purges that completed, the log truncated; for tests and logs. */
    int completed() const { return m_completed; }

private:
    void purge();
    void step();

    StorageWriter &m_writer;
    StatementCache &m_reader;
    const int m_delayMs;
    QTimer m_timer;
    QTimer m_retry; //!< a checkpoint that found the log in use
    qsizetype m_index = 0; //!< the index being merged; past the last: the checkpoint
    bool m_firstStep = true;
    bool m_running = false;
    bool m_again = false;
    int m_completed = 0;
};

} // namespace confab::server
