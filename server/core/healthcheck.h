// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

namespace confab::server {

class StorageWriter;

/*!
 * \brief Whether the database takes writes, for /healthz: a real write through the storage
 * writer, committed like any message, never a guess from the file's permissions.
 *
 * A check never blocks the event loop: it is answered when the probe commits, fails, or
 * at its deadline, whichever is first. One probe at a time, and a result is reused for a
 * second, so that a flood of /healthz costs at most one commit a second.
 */
class HealthCheck : public QObject
{
    Q_OBJECT
public:
    /*! \brief \a healthy, or why not in a few words. */
    using Answer = std::function<void(bool healthy, const QString &reason)>;

    explicit HealthCheck(StorageWriter &writer, QObject *parent = nullptr);
    ~HealthCheck() override;

    /*! \brief Answers within \a deadlineMs. */
    void check(int deadlineMs, Answer answer);

    static constexpr qint64 ReuseMs = 1000;

private:
    struct Waiter
    {
        Answer answer;
        bool answered = false;
    };
    void probe();
    void finish(bool ok);

    StorageWriter &m_writer;
    bool m_probing = false;
    bool m_lastOk = false;
    qint64 m_lastAtMs = -1; //!< monotonic; -1 before the first probe ends
    QList<std::shared_ptr<Waiter>> m_waiting;
};

} // namespace confab::server
