// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"

#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>
#include <QWebSocket>
#include <functional>
#include <optional>

namespace confab::test {

/*!
 * \brief A real WebSocket client for tests: sends requests through the shared
 * codec, waits for replies by id, and records every pushed frame.
 */
class TestClient : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);

    bool open(const QUrl &url, int timeoutMs = 5000);
    /*! \brief Opens with \a request's headers in the handshake (e.g. X-Forwarded-For). */
    bool open(const QNetworkRequest &request, int timeoutMs = 5000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void disconnectNow();

    /*! \brief Sends and waits for the reply; nullopt on timeout or disconnect. */
    std::optional<protocol::ServerFrame> request(
        const protocol::OutgoingRequest &r, int timeoutMs = 5000);
    /*! \brief Sends raw text (for bad-input tests); returns the id-less or any next reply. */
    void sendRaw(const QString &text);

    /*! \brief Registers \a name (password "password-123"); true on success. */
    bool registerUser(const QString &name);
    bool login(const QString &name, const QString &password = QStringLiteral("password-123"));
    bool authenticate(const QString &token);

    /*! \brief Waits until a frame matching \a match has been pushed; returns it (and removes it).
     */
    std::optional<protocol::ServerFrame> waitPush(
        const std::function<bool(const protocol::ServerFrame &)> &match, int timeoutMs = 5000);
    std::optional<protocol::RoomEvent> waitEvent(qint64 room, qint64 seq, int timeoutMs = 5000);
    /*! \brief Every event frame received so far for \a room, in arrival order. */
    QList<protocol::RoomEvent> events(qint64 room) const;
    QList<protocol::ServerFrame> pushes() const { return m_pushes; }
    void clearPushes() { m_pushes.clear(); }
    /*! \brief Replies that arrived for ids nobody waited on (e.g. raw frames). */
    QList<protocol::ServerFrame> strayReplies() const { return m_stray; }

    QString token() const { return m_token; }
    QString user() const { return m_user; }
    QJsonObject hello() const { return m_hello; }
    QJsonObject session() const { return m_session; }
    int closeCode() const { return m_closeCode; }
    QWebSocket &socket() { return m_socket; }

    /*! \brief Processes events until \a done or timeout; true if done. */
    static bool waitUntil(const std::function<bool()> &done, int timeoutMs);

private:
    void onText(const QString &text);

    QWebSocket m_socket;
    qint64 m_nextId = 1;
    QHash<qint64, protocol::ServerFrame> m_replies;
    QList<protocol::ServerFrame> m_pushes;
    QList<protocol::ServerFrame> m_stray;
    QJsonObject m_hello;
    QJsonObject m_session;
    QString m_token;
    QString m_user;
    int m_closeCode = -1;
};

} // namespace confab::test
