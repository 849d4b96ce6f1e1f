// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/serverconfig.h"

#include <QHash>
#include <QObject>
#include <QTimer>

class QWebSocketServer;
class QWebSocketCorsAuthenticator;

namespace confab::server {

class ChatService;
class ClientConnection;

/*!
 * \brief The network face of confabd: accepts WebSocket connections (ws or
 * wss), enforces connection limits, Origin, the authentication deadline and
 * the heartbeat, and hands each connection to the ChatService.
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

    StartError start(QString *error);
    quint16 port() const;
    QString url() const;
    ChatService *service() const { return m_service; }

    /*! \brief Stops accepting, finishes accepted writes, says "going away" to everyone. */
    void shutdown();

Q_SIGNALS:
    void stopped();

private:
    void onNewConnection();
    void onOriginCheck(QWebSocketCorsAuthenticator *authenticator);
    void onConnectionClosed(ClientConnection *c);
    void sweep();
    void finishStop();

    ServerConfig m_config;
    QWebSocketServer *m_server = nullptr;
    ChatService *m_service = nullptr;
    QHash<QString, int> m_perAddress;
    QTimer m_sweepTimer;
    bool m_stopping = false;
    bool m_stopped = false;
};

} // namespace confab::server
