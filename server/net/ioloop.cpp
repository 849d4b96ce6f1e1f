// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ioloop.h"

#include "core/logging.h"
#include "net/descriptortransport.h"
#include "net/eventloop.h"
#include "net/ioloops.h"

#include <QThread>

namespace confab::server {

/*! \brief One connection on this loop: its transport, and the receiver that reports it. */
struct IoLoop::Entry final : ConnectionTransport::Receiver
{
    Entry(IoLoop *loop, quint64 id, qintptr fd, QByteArray early, std::shared_ptr<LoopLink> link)
        : loop(loop)
        , id(id)
        , link(std::move(link))
        , transport(fd, std::move(early))
    {
        transport.setEchoCloseLater(true);
    }

    void report(LoopEvent::Kind kind, QByteArray payload = {})
    {
        loop->m_owner->postEvent({id, kind, 0, std::move(payload), {}, {}});
    }

    void transportText(const QByteArray &utf8) override
    {
        if (!requestLimits) {
            report(LoopEvent::Kind::Text, utf8);
            return;
        }
        // Parsing and validating is most of a request's cost before the chat logic: done
        // here, it is spread over the loops instead of taken from the main thread.
        LoopEvent event {id, LoopEvent::Kind::Request, 0, {}, {},
            std::make_unique<protocol::DecodedRequest>(
                protocol::decodeRequest(utf8, *requestLimits))};
        loop->m_owner->postEvent(std::move(event));
    }
    void transportRequest(protocol::DecodedRequest &) override { }
    void transportBinary(const QByteArray &data) override { report(LoopEvent::Kind::Binary, data); }
    void transportActivity() override { report(LoopEvent::Kind::Activity); }
    void transportWritten() override
    {
        link->queued.store(transport.bytesToWrite());
        link->watch.store(false);
        report(LoopEvent::Kind::Written);
    }
    void transportClosing() override { report(LoopEvent::Kind::Closing); }
    void transportClosed() override
    {
        link->queued.store(0);
        report(LoopEvent::Kind::Closed);
        loop->forget(id);
    }
    void transportProtocolError(quint16 code, const QString &reason) override
    {
        loop->m_owner->postEvent({id, LoopEvent::Kind::ProtocolError, code, {}, reason, {}});
    }

    IoLoop *loop;
    quint64 id;
    std::shared_ptr<LoopLink> link;
    DescriptorTransport transport;
    std::shared_ptr<const protocol::Limits> requestLimits; //!< set: text is decoded here
    QByteArray gathered; //!< frames of this drain not yet handed to the transport
    bool started = false;
};

IoLoop::IoLoop(IoLoops *owner, int index)
    : m_owner(owner)
    , m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("confabd-io-%1").arg(index));
    if (QAbstractEventDispatcher *dispatcher = makeEventDispatcher())
        m_thread->setEventDispatcher(dispatcher);
    moveToThread(m_thread);
    m_thread->start();
}

IoLoop::~IoLoop()
{
    Rendezvous stopped;
    LoopCommand stop;
    stop.op = LoopCommand::Op::Stop;
    stop.done = &stopped;
    post(std::move(stop));
    stopped.wait();
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void IoLoop::post(LoopCommand command)
{
    if (m_inbox.post(std::move(command)))
        QMetaObject::invokeMethod(this, &IoLoop::drain, Qt::QueuedConnection);
}

void IoLoop::drain()
{
    m_inbox.take(m_batch);
    for (LoopCommand &command : m_batch)
        apply(command);
    m_batch.clear();
    // Each connection's frames of this drain in one write: under load the main thread
    // posts faster than one send per frame could go out.
    for (Entry *entry : m_touched)
        flush(entry);
    m_touched.clear();
}

void IoLoop::apply(LoopCommand &command)
{
    using Op = LoopCommand::Op;
    if (command.op == Op::Open) {
        auto *entry = new Entry(
            this, command.id, command.fd, std::move(command.bytes), std::move(command.link));
        m_entries.insert(command.id, entry);
        return;
    }
    if (command.op == Op::Stop) {
        stopAll();
        command.done->finish();
        return;
    }
    Entry *entry = m_entries.value(command.id);
    if (!entry) {
        // Already gone on this side (what is sent now stays counted as on its way until the
        // main thread hears of the end, which costs a link copy per send to avoid).
        if (command.done)
            command.done->finish();
        return;
    }
    if (command.op == Op::Send) {
        if (entry->gathered.isEmpty()) {
            entry->gathered = std::move(command.bytes);
            m_touched.push_back(entry);
        } else {
            entry->gathered.append(command.bytes);
        }
        return;
    }
    // What was sent before anything else goes first.
    flush(entry);
    DescriptorTransport &transport = entry->transport;
    switch (command.op) {
    case Op::Start:
        entry->started = true;
        transport.start(entry);
        break;
    case Op::Close:
        transport.close(command.code, command.reason);
        break;
    case Op::EchoClose:
        transport.echoClose();
        break;
    case Op::Abort:
        transport.abort();
        // Never started, it has no receiver to report its end through.
        if (!entry->started)
            forget(command.id);
        break;
    case Op::Ping:
        transport.ping();
        break;
    case Op::Limits:
        transport.setIncomingLimits(command.maxText, command.maxBinary);
        if (command.requestLimits)
            entry->requestLimits = std::move(command.requestLimits);
        break;
    case Op::ReadPending:
        transport.readPending();
        command.done->finish();
        break;
    case Op::Open:
    case Op::Send:
    case Op::Stop:
        break;
    }
}

void IoLoop::flush(Entry *entry)
{
    if (entry->gathered.isEmpty())
        return;
    const QByteArray frames = std::exchange(entry->gathered, {});
    LoopLink &link = *entry->link;
    const qint64 before = link.queued.load();
    entry->transport.sendFramed(frames);
    const qint64 after = entry->transport.bytesToWrite();
    link.queued.store(after);
    link.inFlight.fetch_sub(frames.size());
    // Reported when the main thread waits for the output to move, and while the kernel
    // refuses: the ledger must learn of bytes held here.
    if (link.watch.exchange(false) || after != before)
        entry->report(LoopEvent::Kind::Written);
}

void IoLoop::forget(quint64 id)
{
    // Called from inside the transport's own callbacks: it is deleted once they return.
    Entry *entry = m_entries.take(id);
    if (!entry)
        return;
    entry->link->inFlight.fetch_sub(std::exchange(entry->gathered, {}).size());
    m_ended.push_back(entry);
    if (m_ended.size() == 1)
        QMetaObject::invokeMethod(this, &IoLoop::reap, Qt::QueuedConnection);
}

void IoLoop::reap()
{
    for (Entry *entry : std::exchange(m_ended, {}))
        delete entry;
}

void IoLoop::stopAll()
{
    // Their sockets close without a word: the server's shutdown has said goodbye already.
    const QHash<quint64, Entry *> entries = std::exchange(m_entries, {});
    m_touched.clear();
    qDeleteAll(entries);
    reap();
}

} // namespace confab::server
