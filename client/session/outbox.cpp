// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/outbox.h"

#include "core/clientlogging.h"
#include "net/connection.h"
#include "protocol/results.h"
#include "session/connectionstate.h"
#include "session/errortext.h"
#include "session/uploads.h"

#include <QFile>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

bool isPermanent(protocol::ErrorCode code)
{
    using protocol::ErrorCode;
    switch (code) {
    case ErrorCode::NotFound:
    case ErrorCode::NotMember:
    case ErrorCode::BadRequest:
    case ErrorCode::TooLarge:
    case ErrorCode::Forbidden:
    // A mute may last for ever; the user sees why and may Retry once it is lifted.
    case ErrorCode::Muted:
        return true;
    default:
        return false;
    }
}

constexpr int TransientRetryMs = 2000;

} // namespace

Outbox::Outbox(Connection *connection, ConnectionState *state, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_state(state)
    , m_uploads(new Uploads(connection, state, this))
{
    connect(m_state, &ConnectionState::phaseChanged, this, &Outbox::onPhaseChanged);
    // The rows keep up with the uploads: a retry after a failure resumes the same upload.
    connect(m_uploads, &Uploads::fileUpdated, this,
        [this](const QString &txn, int position, const OutboxFile &file) {
            if (OutboxEntry *e = find(txn); e && position < e->files.size())
                e->files[position] = file;
        });
    connect(m_uploads, &Uploads::finished, this, &Outbox::flush);
    connect(m_uploads, &Uploads::failed, this, [this](const QString &txn, const QString &reason) {
        if (OutboxEntry *e = find(txn))
            markFailed(*e, reason);
        flush();
    });
    connect(m_uploads, &Uploads::progressChanged, this, &Outbox::uploadProgressChanged);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        m_held.clear();
        flush();
    });
}

void Outbox::setStore(LocalStore *store)
{
    m_store = store;
    m_uploads->setStore(store);
    m_entries = store && store->isOpen() ? store->outbox() : QList<OutboxEntry>();
    m_inFlight.clear();
    m_held.clear();
    m_retry.stop();
}

bool Outbox::contains(const QString &txn) const
{
    return std::any_of(
        m_entries.cbegin(), m_entries.cend(), [&](const OutboxEntry &e) { return e.txn == txn; });
}

OutboxEntry *Outbox::find(const QString &txn)
{
    for (auto &e : m_entries) {
        if (e.txn == txn)
            return &e;
    }
    return nullptr;
}

QString Outbox::newTxn()
{
    const qint64 counter = m_store->nextTxnCounter();
    if (counter < 0)
        return {};
    return m_store->deviceId() + u':' + QString::number(counter);
}

std::optional<OutboxEntry> Outbox::enqueue(
    qint64 room, const QString &text, qint64 nowMs, qint64 replyTo, const QList<OutboxFile> &files)
{
    if (!m_store || !m_store->isOpen())
        return std::nullopt;
    OutboxEntry entry;
    entry.txn = newTxn();
    entry.room = room;
    entry.text = text;
    entry.createdMs = nowMs;
    entry.replyTo = replyTo;
    entry.files = files;
    // Persist before sending: a crash after the send must not lose or duplicate it.
    if (entry.txn.isEmpty() || !m_store->addOutbox(entry))
        return std::nullopt;
    m_entries.append(entry);
    flush();
    return entry;
}

void Outbox::onPhaseChanged()
{
    if (!m_state->isLive()) {
        // Replies to what is in flight will not come; it is resent after the resume.
        m_inFlight.clear();
        m_held.clear();
        m_retry.stop();
        return;
    }
    flush();
}

void Outbox::flush()
{
    if (!m_state->isLive())
        return;
    // The first unacknowledged message of each room goes out; the rest wait for it.
    QSet<qint64> busy = m_held;
    const auto entries = m_entries;
    for (const auto &e : entries) {
        if (e.failed || busy.contains(e.room))
            continue;
        busy.insert(e.room);
        if (e.uploading())
            m_uploads->start(e); // sent once its files are on the server
        else if (!m_inFlight.contains(e.txn))
            sendEntry(e);
    }
}

void Outbox::sendEntry(const OutboxEntry &entry)
{
    m_inFlight.insert(entry.txn);
    const QString txn = entry.txn;
    QList<qint64> attachments;
    for (const OutboxFile &f : entry.files)
        attachments.append(f.fileId());
    m_connection->send(
        protocol::requests::send(entry.room, entry.txn, entry.text, entry.replyTo, attachments),
        this, [this, txn](const Reply &reply) { onReply(txn, reply); });
}

void Outbox::onReply(const QString &txn, const Reply &reply)
{
    m_inFlight.remove(txn);
    OutboxEntry *entry = find(txn);
    if (!entry) {
        flush(); // delivered by its event first, or discarded: the room's next may go
        return;
    }
    const qint64 room = entry->room;
    if (reply.ok()) {
        const auto ack = protocol::SendAck::fromJson(reply.data);
        const qint64 seq = ack ? ack->seq : 0;
        const qint64 ts = ack ? ack->timestamp : 0;
        if (m_store)
            m_store->removeOutbox(txn);
        dropCopies(*entry);
        m_entries.removeIf([&](const OutboxEntry &e) { return e.txn == txn; });
        Q_EMIT acknowledged(room, txn, seq, ts);
        flush();
        return;
    }
    if (reply.outcome == Reply::Disconnected)
        return; // resent after the next resume, with the same txn
    if (isPermanent(reply.error)) {
        qCInfo(lcClientSession) << "message" << txn << "failed:" << reply.message;
        markFailed(*entry, sendErrorText(reply.error));
        flush(); // the failed one waits for Retry at the end of the queue
        return;
    }
    // rate_limited, storage_error, shutting_down, internal: same txn, later, and nothing
    // after it in this room goes first.
    m_held.insert(room);
    const int delay = reply.retryAfterMs > 0 ? int(std::min<qint64>(reply.retryAfterMs, 60000))
                                             : TransientRetryMs;
    qCDebug(lcClientSession) << "message" << txn << "will be retried in" << delay << "ms";
    if (!m_retry.isActive() || m_retry.remainingTime() > delay)
        m_retry.start(delay);
}

std::optional<OutboxEntry> Outbox::retry(const QString &txn)
{
    OutboxEntry *entry = find(txn);
    if (!entry || !m_store)
        return std::nullopt;
    // A failed txn is burnt on the server side only if it was stored, which a
    // permanent error rules out; a new one keeps retries unambiguous all the same.
    const QString fresh = newTxn();
    if (fresh.isEmpty() || !m_store->requeueOutbox(txn, fresh))
        return std::nullopt;
    OutboxEntry copy = *entry;
    m_entries.removeIf([&](const OutboxEntry &e) { return e.txn == txn; });
    copy.txn = fresh;
    copy.failed = false;
    copy.error.clear();
    m_entries.append(copy);
    flush();
    return copy;
}

void Outbox::markFailed(OutboxEntry &entry, const QString &reason)
{
    entry.failed = true;
    entry.error = reason;
    if (m_store)
        m_store->markOutboxFailed(entry.txn, reason);
    Q_EMIT failed(entry.room, entry.txn, reason);
}

void Outbox::dropCopies(const OutboxEntry &entry)
{
    for (const OutboxFile &f : entry.files) {
        if (f.owned)
            QFile::remove(f.source);
    }
}

bool Outbox::cancelUpload(const QString &txn)
{
    const OutboxEntry *entry = find(txn);
    // Once every file is up the message may be on its way: exactly once means it stays.
    if (!entry || !entry->uploading())
        return false;
    discard(txn);
    return true;
}

double Outbox::uploadProgress(const QString &txn) const
{
    return m_uploads->progress(txn);
}

void Outbox::discard(const QString &txn)
{
    m_uploads->cancel(txn);
    if (const OutboxEntry *entry = find(txn))
        dropCopies(*entry);
    if (m_store)
        m_store->removeOutbox(txn);
    m_entries.removeIf([&](const OutboxEntry &e) { return e.txn == txn; });
    m_inFlight.remove(txn);
    flush();
}

void Outbox::delivered(const QString &txn)
{
    if (const OutboxEntry *entry = find(txn))
        dropCopies(*entry);
    m_entries.removeIf([&](const OutboxEntry &e) { return e.txn == txn; });
}

void Outbox::failRoom(qint64 room, const QString &reason)
{
    for (auto &e : m_entries) {
        if (e.room == room && !e.failed) {
            m_uploads->cancel(e.txn);
            markFailed(e, reason);
        }
    }
}

} // namespace confab::client
