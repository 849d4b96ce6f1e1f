// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"
#include "identity/serveridentity.h"
#include "net/outboundledger.h"
#include "net/outputbatch.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

class QSslConfiguration;
class QTcpSocket;
class QWebSocketServer;
class QWebSocketCorsAuthenticator;

namespace confab::server {

class ChatService;
class ClientConnection;
class ConnectionTransport;
class HealthCheck;
class HttpProbe;
class IoLoops;
struct HttpRequestHead;
class Peer;
class UpgradeGate;

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
        Tls,
        Identity //!< the data folder's identity/ cannot be read or made
    };

    explicit ChatServer(const ServerConfig &config, QObject *parent = nullptr);
    ~ChatServer() override;

    /*! \brief Unsent output of every connection, per address and per account. */
    const OutboundLedger &outbound() const { return m_ledger; }

    StartError start(QString *error);
    quint16 port() const;
    QString url() const;
    ChatService *service() const { return m_service; }
    /*! \brief Who this server is (§19); valid once start() succeeded. */
    const ServerIdentity &identity() const { return *m_identity; }
    /*! \brief The fingerprint of the certificate the port serves; empty on ws://. */
    QString servedFingerprint() const { return m_servedFingerprint; }

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
    /*! \brief A plain-TCP upgrade answered by the UpgradeGate. */
    void onUpgraded(qintptr fd, const HttpRequestHead &head, QByteArray early);
    /*! \brief A TLS connection QWebSocketServer has upgraded. */
    void onNewConnection();
    /*!
     * \brief Serves \a transport as a client at \a client (the address the limits count),
     * or closes it with 4005 if there is no room. \a via is the socket's own peer.
     */
    void admit(std::unique_ptr<ConnectionTransport> transport, const QHostAddress &client,
        const QHostAddress &via);
    /*! \brief The TLS setup \a config asks for: its files, or the identity's own pair. */
    bool loadTls(const ServerConfig &config, QSslConfiguration *tls, QString *error) const;
    bool originAllowed(const QString &origin) const;
    void onOriginCheck(QWebSocketCorsAuthenticator *authenticator);
    void onConnectionClosed(Peer *peer);
    /*!
     * \brief Whether one more connection from \a address fits max_connections and
     * max_connections_per_address; WebSocket and plain HTTP sockets count alike.
     */
    bool hasRoomFor(const QString &address) const;
    QByteArray helloFrame() const;
    struct HelloCache
    {
        QByteArray frame;
        QString registration;
        protocol::Limits limits;
        QString name;
        QString fingerprint;
        QString movedTo;
    };
    mutable HelloCache m_hello; //!< what helloFrame() encoded last, and from what
    // Plain HTTP on the same port (/healthz, /metrics): see net/httpprobe.h.
    void startHttp();
    /*! \brief Answers a plain request; \a request null: the head was malformed or too large. */
    void serveHttp(QTcpSocket *tcp, const HttpRequestHead *request);
    bool mayReadMetrics(const QTcpSocket &tcp, const HttpRequestHead &request) const;
    void sweep();
    void finishStop();

    ServerConfig m_config;
    // TLS: QWebSocketServer listens, upgrades and encrypts.
    QWebSocketServer *m_server = nullptr;
    // Plain TCP: confabd answers the upgrade and serves frames on the descriptor.
    UpgradeGate *m_gate = nullptr;
    // Plain connections' reads and writes, when io_threads is not 0.
    std::unique_ptr<IoLoops> m_loops;
    std::optional<ServerIdentity> m_identity;
    QString m_servedFingerprint;
    ChatService *m_service = nullptr;
    // A set: a list's removeOne() on each close was O(connections), ~10 µs at 10,000.
    QSet<ClientConnection *> m_connections;
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
