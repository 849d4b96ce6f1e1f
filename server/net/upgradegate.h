// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <functional>
#include <list>

class QSocketNotifier;
class QTcpServer;
class QTcpSocket;

namespace confab::server {

struct HttpRequestHead;

/*!
 * \brief The plain-TCP door of confabd: accepts sockets, reads each one's HTTP request
 * head off the descriptor, and answers a WebSocket upgrade itself (101, or 400, 403, 426),
 * within the handshake timeout.
 *
 * An upgraded descriptor goes to upgraded() with the bytes that came after the head: no
 * Qt socket object is ever made for it. Anything else (/healthz, /metrics, a refusal) gets
 * a QTcpSocket, which is simpler for a short HTTP answer.
 */
class UpgradeGate : public QObject
{
    Q_OBJECT
public:
    struct Hooks
    {
        //! Whether a browser page from \a origin may connect (protocol.md §1).
        std::function<bool(const QString &origin)> originAllowed;
        //! The 101 went out: \a fd is the caller's now; \a early are the first frames.
        std::function<void(qintptr fd, const HttpRequestHead &head, QByteArray early)> upgraded;
        //! A plain HTTP request, or \a head null when it was malformed or too large.
        std::function<void(QTcpSocket *socket, const HttpRequestHead *head)> plainRequest;
    };

    UpgradeGate(Hooks hooks, QObject *parent = nullptr);
    ~UpgradeGate() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    bool isListening() const;
    quint16 port() const;
    /*! \brief Stops accepting and drops every handshake still in progress. */
    void close();
    /*! \brief Applies to the sockets already waiting too (a reload). */
    void setHandshakeTimeout(int ms);
    /*! \brief Sockets accepted whose request head has not been answered yet. */
    qsizetype pending() const { return qsizetype(m_pending.size()); }

    //! More than Qt's 50: 10,000 clients reconnecting at once overflowed that ~60,000 times
    //! and waited out TCP's 1/3/7 s SYN retries (the kernel caps it at net.core.somaxconn).
    static constexpr int ListenBacklog = 4096;

private:
    struct Pending
    {
        qintptr fd;
        QSocketNotifier *notifier;
        QByteArray head;
        qint64 acceptedAt; //!< the deadline is this plus the timeout, the same for all
    };
    using PendingList = std::list<Pending>;

    void accepted(qintptr fd);
    void readHead(PendingList::iterator it);
    void answer(PendingList::iterator it, const HttpRequestHead *head);
    /*! \brief Takes the socket out of the pending list; closes it unless \a keep. */
    void drop(PendingList::iterator it, bool keep);
    /*!
     * \brief A Qt socket for an HTTP answer, still ended by the handshake deadline; null
     * (and the descriptor closed) if Qt cannot take it.
     */
    QTcpSocket *adopt(qintptr fd, qint64 deadline);
    void expire();
    void armTimer();

    Hooks m_hooks;
    QTcpServer *m_listener = nullptr;
    PendingList m_pending; //!< in accept order, which is deadline order
    QTimer m_timer;
    int m_timeoutMs = 10'000;
};

} // namespace confab::server
