// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QtGlobal>

namespace confab::server::socketcalls {

/*!
 * \brief The few system calls a connection makes on its own descriptor once Qt's socket
 * classes are out of the way, the same on POSIX and Winsock.
 */

//! What receive() found.
enum class Received
{
    Data, //!< some bytes
    WouldBlock, //!< nothing now
    End, //!< the peer closed its side
    Failed, //!< reset or another error: the connection is gone
};

/*! \brief Prepares an accepted descriptor: non-blocking, no Nagle, no SIGPIPE. */
void prepare(qintptr fd);
/*! \brief Sends what the kernel takes now: bytes sent, 0 if none fit, -1 if it failed. */
qint64 send(qintptr fd, const char *data, qint64 size);
/*!
 * \brief Sends \a count buffers in one call where the platform has one (writev); the
 * same results as send().
 */
struct Buffer
{
    const char *data;
    qint64 size;
};
qint64 sendMany(qintptr fd, const Buffer *buffers, int count);
/*! \brief Reads up to \a size bytes into \a data; \a n is how many when it says Data. */
Received receive(qintptr fd, char *data, qint64 size, qint64 *n);
/*! \brief Ends our sending side: the peer reads what was sent, then end of stream. */
void shutdownSending(qintptr fd);
/*! \brief Ends both directions: a reader then sees the end of the stream. */
void shutdownBoth(qintptr fd);
/*! \brief Bytes that can be read now without blocking (0 if unknown). */
qint64 available(qintptr fd);
void close(qintptr fd);
/*! \brief Sets the IPv4 TTL of unicast datagrams (IP_TTL); Qt has an option only for multicast. */
void setUnicastTtl(qintptr fd, int ttl);
/*! \brief The peer's address and port, or a null address if the socket has none. */
QHostAddress peerAddress(qintptr fd, quint16 *port = nullptr);

} // namespace confab::server::socketcalls
