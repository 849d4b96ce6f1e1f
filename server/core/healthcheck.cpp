// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/healthcheck.h"

#include "core/logging.h"
#include "core/monotonicclock.h"
#include "storage/serversettings.h"
#include "storage/storagewriter.h"

#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace confab::server {

HealthCheck::HealthCheck(StorageWriter &writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
{ }

HealthCheck::~HealthCheck()
{
    // Whoever waits is answered rather than left with a socket that never hears back.
    for (const std::shared_ptr<Waiter> &w : std::exchange(m_waiting, {})) {
        if (!w->answered) {
            w->answered = true;
            w->answer(false, u"shutting down"_s);
        }
    }
}

void HealthCheck::check(int deadlineMs, Answer answer)
{
    if (!m_probing && m_lastAtMs >= 0 && monotonicMs() - m_lastAtMs < ReuseMs) {
        answer(m_lastOk, m_lastOk ? QString() : u"database not writable"_s);
        return;
    }
    auto waiter = std::make_shared<Waiter>(Waiter {std::move(answer)});
    m_waiting.append(waiter);
    QTimer::singleShot(deadlineMs, this, [this, waiter, deadlineMs] {
        if (waiter->answered)
            return;
        waiter->answered = true;
        m_waiting.removeOne(waiter);
        qCWarning(lcHttp) << "health probe: no commit within" << deadlineMs << "ms";
        waiter->answer(false, u"database write did not complete in %1 ms"_s.arg(deadlineMs));
    });
    if (!m_probing)
        probe();
}

void HealthCheck::probe()
{
    m_probing = true;
    QPointer<HealthCheck> self(this);
    m_writer.submit([](WriteContext &ctx) { return serversettings::probeWrite(ctx); },
        [self](bool committed) {
            if (self)
                self->finish(committed);
        });
}

void HealthCheck::finish(bool ok)
{
    m_probing = false;
    m_lastOk = ok;
    m_lastAtMs = monotonicMs();
    if (!ok)
        qCWarning(lcHttp) << "health probe: the database did not take a write";
    for (const std::shared_ptr<Waiter> &w : std::exchange(m_waiting, {})) {
        if (!w->answered) {
            w->answered = true;
            w->answer(ok, ok ? QString() : u"database not writable"_s);
        }
    }
}

} // namespace confab::server
