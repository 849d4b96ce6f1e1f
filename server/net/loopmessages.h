// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestcodec.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace confab::server {

/*!
 * \brief What a connection's two halves share: its LoopTransport on the main thread and
 * its DescriptorTransport on a loop thread. Lock-free, so that sending costs no round trip.
 */
struct LoopLink
{
    /*! \brief Bytes the main thread has posted and the loop has not yet handed on. */
    std::atomic<qint64> inFlight {0};
    /*! \brief The loop's DescriptorTransport::bytesToWrite(), as of its last write. */
    std::atomic<qint64> queued {0};
    /*!
     * \brief The main thread waits for output to move (requests held back, a download
     * paused): the loop reports the next hand-on even if the kernel took it all at once.
     */
    std::atomic<bool> watch {false};
};

/*! \brief The main thread waiting for a loop to finish one command. */
struct Rendezvous
{
    void wait()
    {
        std::unique_lock lock(mutex);
        done.wait(lock, [this] { return finished; });
    }
    void finish()
    {
        std::lock_guard lock(mutex);
        finished = true;
        done.notify_one();
    }

    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
};

/*! \brief From the main thread to a loop: what to do with one connection. */
struct LoopCommand
{
    enum class Op : quint8
    {
        Open, //!< serve fd, with early (bytes read with the upgrade) and link
        Start,
        Send, //!< bytes: whole frames
        Close, //!< code, reason
        EchoClose, //!< the peer's close, after the replies posted before
        Abort,
        Ping,
        Limits, //!< maxText, maxBinary, and requestLimits when requests are decoded there
        ReadPending, //!< then done->finish()
        Stop, //!< every connection ends; then done->finish()
    };

    quint64 id = 0;
    Op op = Op::Send;
    quint16 code = 0;
    qintptr fd = -1;
    qint64 maxText = 0;
    qint64 maxBinary = 0;
    QByteArray bytes;
    QString reason;
    std::shared_ptr<LoopLink> link;
    std::shared_ptr<const protocol::Limits> requestLimits;
    Rendezvous *done = nullptr;
};

/*! \brief From a loop to the main thread: what one connection did. */
struct LoopEvent
{
    enum class Kind : quint8
    {
        Text,
        Request, //!< request: a text message decoded on the loop
        Binary,
        Activity,
        Written,
        Closing,
        Closed,
        ProtocolError, //!< code, reason
    };

    quint64 id = 0;
    Kind kind = Kind::Text;
    quint16 code = 0;
    QByteArray payload;
    QString reason;
    std::unique_ptr<protocol::DecodedRequest> request;
};

} // namespace confab::server
