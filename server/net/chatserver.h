// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "net/outboundledger.h"
#include "net/outputbatch.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;
class QWebSocketCorsAuthenticator;

namespace confab::server {

class ChatService;
class ClientConnection;
class HealthCheck;
class HttpProbe;
struct HttpRequestHead;
class Peer;

/*!
 * \brief The network face of confabd: accepts WebSocket connections (ws or
 * wss), enforces connection limits, Origin, the authentication deadline and
 * the heartbeat, and hands each connection to the ChatService as a Peer.
 *
 * It owns the connections; the service only serves them until they close.
 */
class ChatServer : public QObject
{
    Q_OBJECT
public:
    enum class StartError
    {
        None,
        Config,
        Database,
        Listen,
        Tls
    };

    explicit ChatServer(const ServerConfig &config, QObject *parent = nullptr);
    ~ChatServer() override;

    /*! \brief Unsent output of every connection, per address and per account. */
    const OutboundLedger &outbound() const { return m_ledger; }

    StartError start(QString *error);
    quint16 port() const;
    QString url() const;
    ChatService *service() const { return m_service; }

    /*! \brief Stops accepting, finishes accepted writes, says "going away" to everyone. */
    void shutdown();

    /*!
     * \brief Applies a re-read configuration without dropping anyone (SIGHUP). What only a
     * restart can change keeps its running value; false (nothing applied) if \a fresh names
     * a TLS certificate or key that cannot be loaded. Logs what changed.
     */
    bool reload(ServerConfig fresh, QString *error);

Q_SIGNALS:
    void stopped();

private:
    void onTcpConnection();
    void onNewConnection();
    void onOriginCheck(QWebSocketCorsAuthenticator *authenticator);
    void onConnectionClosed(Peer *peer);
    /*!
     * \brief Whether one more connection from \a address fits max_connections and
     * max_connections_per_address; WebSocket and plain HTTP sockets count alike.
     */
    bool hasRoomFor(const QString &address) const;
    /*! \brief Hands QWebSocket the bytes that came in the same read as the upgrade request. */
    void releaseHeldBytes(QTcpSocket *plain);
    QByteArray helloFrame() const;
    struct HelloCache
    {
        QByteArray frame;
        QString registration;
        protocol::Limits limits;
    };
    mutable HelloCache m_hello; //!< what helloFrame() encoded last, and from what
    // Plain HTTP on the same port (/healthz, /metrics): see net/httpprobe.h.
    void startHttp();
    /*! \brief Waits for the request head, then hands an upgrade to m_server or serves HTTP. */
    void readRequestHead(QTcpSocket *tcp);
    /*! \brief Answers a plain request; \a request null: the head was malformed or too large. */
    void serveHttp(QTcpSocket *tcp, const HttpRequestHead *request);
    bool mayReadMetrics(const QTcpSocket &tcp, const HttpRequestHead &request) const;
    void sweep();
    void finishStop();

    ServerConfig m_config;
    QWebSocketServer *m_server = nullptr;
    // Without TLS, confabd accepts TCP itself and hands each socket to m_server for the
    // handshake, keeping the socket so that frames can be written to it directly.
    QTcpServer *m_tcpServer = nullptr;
    QHash<std::pair<QHostAddress, quint16>, QTcpSocket *> m_handshaking;
    ChatService *m_service = nullptr;
    QList<ClientConnection *> m_connections;
    // A group commit's acknowledgements and broadcasts leave as one write per connection.
    OutputBatch m_output;
    OutboundLedger m_ledger;
    QHash<QString, int> m_perAddress;
    HealthCheck *m_health = nullptr;
    HttpProbe *m_http = nullptr;
    int m_httpOpen = 0; //!< sockets being answered as plain HTTP
    QTimer m_sweepTimer;
    bool m_stopping = false;
    bool m_stopped = false;
};

} // namespace confab::server
