// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics.h"

#include <QDateTime>

namespace confab::server::metrics {

namespace {
// Taken when the library is loaded, which is when confabd starts.
const qint64 ProcessStartMs = QDateTime::currentMSecsSinceEpoch();

/*! \brief Writes the text format by hand: it is a few lines per metric (see the commit). */
class Writer
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_out += "# HELP ";
        m_out += name;
        m_out += ' ';
        m_out += help;
        m_out += "\n# TYPE ";
        m_out += name;
        m_out += ' ';
        m_out += type;
        m_out += '\n';
    }
    void sample(const char *name, qint64 value, const QByteArray &labels = {})
    {
        line(name, labels, QByteArray::number(value));
    }
    void sample(const char *name, quint64 value, const QByteArray &labels = {})
    {
        line(name, labels, QByteArray::number(value));
    }
    void sample(const char *name, double value, const QByteArray &labels = {})
    {
        line(name, labels, QByteArray::number(value, 'g', 15));
    }
    void gauge(const char *name, const char *help, qint64 value)
    {
        family(name, "gauge", help);
        sample(name, value);
    }
    void counter(const char *name, const char *help, const Counter &counter)
    {
        family(name, "counter", help);
        sample(name, counter.value());
    }
    QByteArray take() { return std::move(m_out); }

private:
    void line(const char *name, const QByteArray &labels, const QByteArray &value)
    {
        m_out += name;
        if (!labels.isEmpty()) {
            m_out += '{';
            m_out += labels;
            m_out += '}';
        }
        m_out += ' ';
        m_out += value;
        m_out += '\n';
    }
    QByteArray m_out;
};

/*! \brief \a value as a label value: backslash, quote and newline escaped (format 0.0.4). */
QByteArray labelValue(const QByteArray &value)
{
    QByteArray out;
    for (const char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return '"' + out + '"';
}
} // namespace

void Histogram::observe(qint64 ns)
{
    std::size_t i = 0;
    while (i < BoundsNs.size() && ns > BoundsNs[i])
        ++i;
    m_buckets[i].fetch_add(1, std::memory_order_relaxed);
    m_sumNs.fetch_add(ns, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const
{
    // The count is the buckets' total, so _count always equals the +Inf bucket even while
    // a commit is being recorded on the writer thread.
    Snapshot s;
    quint64 running = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        running += m_buckets[i].load(std::memory_order_relaxed);
        s.cumulative[i] = running;
    }
    s.sumNs = m_sumNs.load(std::memory_order_relaxed);
    return s;
}

const char *refusalName(Refusal refusal)
{
    switch (refusal) {
    case Refusal::Requests:
        return "requests";
    case Refusal::Chunks:
        return "chunks";
    case Refusal::Downloads:
        return "downloads";
    case Refusal::UploadBusy:
        return "upload_busy";
    case Refusal::LoginName:
        return "login_name";
    case Refusal::LoginAddress:
        return "login_address";
    case Refusal::LoginBusy:
        return "login_busy";
    case Refusal::Connections:
        return "connections";
    }
    return "other";
}

Registry &registry()
{
    static Registry r;
    return r;
}

QByteArray exposition(const Gauges &gauges)
{
    const Registry &r = registry();
    Writer w;
    w.gauge("confabd_connections", "WebSocket connections open now.", gauges.connections);
    w.gauge("confabd_signed_in_users", "Accounts signed in on at least one connection now.",
        gauges.signedInUsers);
    w.gauge("confabd_pending_handshakes",
        "Sockets accepted whose WebSocket upgrade or HTTP request is not done yet.",
        gauges.pendingHandshakes);
    w.gauge("confabd_outbound_queued_bytes",
        "Bytes written to connections that their peers have not read yet.",
        gauges.outboundQueuedBytes);
    w.gauge("confabd_writer_pending_jobs",
        "Writes submitted to the storage writer and not yet committed and answered.",
        gauges.writerPendingJobs);
    w.counter(
        "confabd_messages_accepted_total", "Messages committed and broadcast.", r.messagesAccepted);
    w.counter("confabd_deliveries_total",
        "Room events pushed to connections, one per receiving connection.", r.deliveries);
    w.counter("confabd_login_failures_total",
        "Password checks that found the password wrong (or the account unknown).", r.loginFailures);
    w.counter("confabd_uploads_total", "Uploads finished and stored as files.", r.uploads);
    w.counter("confabd_upload_bytes_total",
        "Bytes of the uploads counted in confabd_uploads_total.", r.uploadBytes);
    w.counter("confabd_commit_failures_total",
        "Writer transactions that rolled back (a failed group is retried job by job).",
        r.commitFailures);

    w.family("confabd_rate_limited_total", "counter",
        "Requests and connections refused for going too fast or holding too much, by kind.");
    for (std::size_t i = 0; i < RefusalKinds; ++i) {
        w.sample("confabd_rate_limited_total", r.refusals[i].value(),
            "kind=" + labelValue(refusalName(Refusal(i))));
    }

    w.family("confabd_commit_duration_seconds", "histogram",
        "Time each group commit of the storage writer took, from BEGIN to the end of COMMIT.");
    const Histogram::Snapshot h = r.commitSeconds.snapshot();
    for (std::size_t i = 0; i < Histogram::Bounds.size(); ++i) {
        w.sample("confabd_commit_duration_seconds_bucket", h.cumulative[i],
            QByteArray("le=") + labelValue(Histogram::Bounds[i]));
    }
    w.sample("confabd_commit_duration_seconds_bucket", h.cumulative.back(), "le=\"+Inf\"");
    w.sample("confabd_commit_duration_seconds_sum", double(h.sumNs) / 1e9);
    w.sample("confabd_commit_duration_seconds_count", h.cumulative.back());

    w.family("process_start_time_seconds", "gauge",
        "Start time of the process since the Unix epoch in seconds.");
    w.sample("process_start_time_seconds", double(ProcessStartMs) / 1000.0);
    w.family("confabd_build_info", "gauge", "Always 1; the labels say which build is running.");
    w.sample("confabd_build_info", qint64(1),
        "version=" + labelValue(CONFAB_VERSION) + ",qt=" + labelValue(qVersion()));
    return w.take();
}

} // namespace confab::server::metrics
