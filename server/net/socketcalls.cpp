// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/socketcalls.h"

#include <algorithm>

#ifdef Q_OS_WIN
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#endif

namespace confab::server::socketcalls {

namespace {
#ifdef Q_OS_WIN
bool wouldBlock()
{
    return WSAGetLastError() == WSAEWOULDBLOCK;
}
#else
bool wouldBlock()
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}
#ifdef MSG_NOSIGNAL
constexpr int SendFlags = MSG_NOSIGNAL;
#else
constexpr int SendFlags = 0; // SO_NOSIGPIPE, set in prepare()
#endif
#endif
} // namespace

void prepare(qintptr fd)
{
    int one = 1;
#ifdef Q_OS_WIN
    u_long nonBlocking = 1;
    ioctlsocket(SOCKET(fd), FIONBIO, &nonBlocking);
    setsockopt(
        SOCKET(fd), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one);
#else
    // Qt's accept leaves the descriptor blocking. One ioctl instead of fcntl's get and set.
    ioctl(int(fd), FIONBIO, &one);
    // Frames are written as they are ready, often a reply and then a push in quick
    // succession: with Nagle the second waits for the peer's delayed ACK (40 ms).
    setsockopt(int(fd), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef SO_NOSIGPIPE
    setsockopt(int(fd), SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
#endif
}

void setUnicastTtl(qintptr fd, int ttl)
{
#ifdef Q_OS_WIN
    setsockopt(SOCKET(fd), IPPROTO_IP, IP_TTL, reinterpret_cast<const char *>(&ttl), sizeof ttl);
#else
    setsockopt(int(fd), IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
#endif
}

qint64 send(qintptr fd, const char *data, qint64 size)
{
#ifdef Q_OS_WIN
    const int n = ::send(SOCKET(fd), data, int(std::min<qint64>(size, 1 << 30)), 0);
#else
    const ssize_t n = ::send(int(fd), data, size_t(size), SendFlags);
#endif
    if (n >= 0)
        return n;
    return wouldBlock() ? 0 : -1;
}

qint64 sendMany(qintptr fd, const Buffer *buffers, int count)
{
#ifdef Q_OS_WIN
    qint64 total = 0;
    for (int i = 0; i < count; ++i) {
        const qint64 n = send(fd, buffers[i].data, buffers[i].size);
        if (n < 0)
            return total ? total : -1;
        total += n;
        if (n < buffers[i].size)
            break;
    }
    return total;
#else
    constexpr int Most = 64;
    iovec vec[Most];
    const int n = std::min(count, Most);
    for (int i = 0; i < n; ++i)
        vec[i] = {const_cast<char *>(buffers[i].data), size_t(buffers[i].size)};
    msghdr message {};
    message.msg_iov = vec;
    message.msg_iovlen = decltype(message.msg_iovlen)(n);
    const ssize_t sent = ::sendmsg(int(fd), &message, SendFlags);
    if (sent >= 0)
        return sent;
    return wouldBlock() ? 0 : -1;
#endif
}

Received receive(qintptr fd, char *data, qint64 size, qint64 *n)
{
#ifdef Q_OS_WIN
    const int got = ::recv(SOCKET(fd), data, int(std::min<qint64>(size, 1 << 30)), 0);
#else
    const ssize_t got = ::recv(int(fd), data, size_t(size), 0);
#endif
    if (got > 0) {
        *n = got;
        return Received::Data;
    }
    if (got == 0)
        return Received::End;
    return wouldBlock() ? Received::WouldBlock : Received::Failed;
}

void shutdownSending(qintptr fd)
{
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(fd), SD_SEND);
#else
    ::shutdown(int(fd), SHUT_WR);
#endif
}

void shutdownBoth(qintptr fd)
{
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(fd), SD_BOTH);
#else
    ::shutdown(int(fd), SHUT_RDWR);
#endif
}

qint64 available(qintptr fd)
{
#ifdef Q_OS_WIN
    u_long n = 0;
    if (ioctlsocket(SOCKET(fd), FIONREAD, &n) != 0)
        return 0;
    return qint64(n);
#else
    int n = 0;
    if (ioctl(int(fd), FIONREAD, &n) != 0)
        return 0;
    return n;
#endif
}

void close(qintptr fd)
{
#ifdef Q_OS_WIN
    ::closesocket(SOCKET(fd));
#else
    ::close(int(fd));
#endif
}

QHostAddress peerAddress(qintptr fd, quint16 *port)
{
    sockaddr_storage address {};
    socklen_t size = sizeof address;
#ifdef Q_OS_WIN
    const int rc = ::getpeername(SOCKET(fd), reinterpret_cast<sockaddr *>(&address), &size);
#else
    const int rc = ::getpeername(int(fd), reinterpret_cast<sockaddr *>(&address), &size);
#endif
    if (rc != 0)
        return {};
    if (port) {
        if (address.ss_family == AF_INET)
            *port = ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
        else if (address.ss_family == AF_INET6)
            *port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port);
    }
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}

} // namespace confab::server::socketcalls
