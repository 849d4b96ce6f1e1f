// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "net/loopmessages.h"
#include "net/mailbox.h"

#include <QHash>
#include <QObject>
#include <memory>
#include <vector>

class QThread;

namespace confab::server {

class IoLoops;

/*!
 * \brief One loop thread and the plain connections it owns: reads and decodes their
 * frames, writes what the main thread sends them. Everything else about a connection
 * (requests, rate, bounds, who it is) stays on the main thread.
 *
 * Commands arrive through a mailbox, drained once per wake-up; the frames one drain brings
 * for a connection leave in one system call.
 */
class IoLoop final : public QObject
{
    Q_OBJECT
public:
    /*! \brief Starts the thread; \a owner receives the events. */
    IoLoop(IoLoops *owner, int index);
    /*! \brief Ends every connection it still has, then the thread. */
    ~IoLoop() override;
    IoLoop(const IoLoop &) = delete;
    IoLoop &operator=(const IoLoop &) = delete;

    /*! \brief From the main thread. */
    void post(LoopCommand command);

private:
    struct Entry;
    friend struct Entry;

    void drain();
    void apply(LoopCommand &command);
    /*! \brief Hands \a entry's gathered frames to its transport. */
    void flush(Entry *entry);
    /*! \brief Drops \a id's entry once the current callback has returned. */
    void forget(quint64 id);
    void reap();
    void stopAll();

    IoLoops *m_owner;
    QThread *m_thread;
    Mailbox<LoopCommand> m_inbox;
    std::vector<LoopCommand> m_batch;
    QHash<quint64, Entry *> m_entries;
    std::vector<Entry *> m_touched; //!< entries with frames gathered in this drain
    std::vector<Entry *> m_ended; //!< connections that ended, deleted by reap()
};

} // namespace confab::server
