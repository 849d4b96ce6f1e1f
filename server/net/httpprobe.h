// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QString>
#include <functional>
#include <utility>

class QTcpSocket;

namespace confab::server {

class HealthCheck;

/*!
 * \brief The head of an HTTP/1.x request as read off a new socket, before anyone knows
 * whether it asks for a WebSocket upgrade or is a plain request for /healthz or /metrics.
 */
struct HttpRequestHead
{
    enum class Parse
    {
        Incomplete, //!< no blank line yet; wait for more
        Complete,
        Malformed, //!< not HTTP/1.x, or a line no server should accept
        TooLarge, //!< no blank line within MaxSize bytes
    };

    //! Beyond what any WebSocket client or monitor sends (a browser's upgrade with cookies
    //! is a few KiB), and small enough that an open socket cannot make us hold much.
    static constexpr qsizetype MaxSize = 16 * 1024;

    /*! \brief Parses the head at the start of \a buffered into \a out. */
    static Parse parse(QByteArrayView buffered, HttpRequestHead *out);

    QByteArray method;
    QByteArray target;
    QList<std::pair<QByteArray, QByteArray>> headers; //!< names in lower case, values trimmed
    qsizetype size = 0; //!< bytes of the head, blank line included

    /*! \brief Every line of header \a lowerName joined with ", "; empty if absent. */
    QByteArray header(QByteArrayView lowerName) const;
    bool hasHeader(QByteArrayView lowerName) const;
    /*! \brief Whether it names `websocket` in Upgrade: the WebSocket server takes it. */
    bool isWebSocketUpgrade() const;
    /*! \brief The target without its query. */
    QByteArray path() const;
};

/*!
 * \brief Answers plain HTTP requests on the WebSocket port: GET /healthz for anyone,
 * GET /metrics for the addresses allowed to read it, and a short error for anything else.
 * Every answer closes the connection.
 */
class HttpProbe : public QObject
{
    Q_OBJECT
public:
    struct Hooks
    {
        //! Why the server is not ready (not listening, shutting down); empty when it is.
        std::function<QString()> notReadyReason;
        //! Whether whoever sent \a request on \a socket may read the metrics.
        std::function<bool(const QTcpSocket &socket, const HttpRequestHead &request)>
            mayReadMetrics;
        //! The metrics in the Prometheus text format.
        std::function<QByteArray()> metrics;
        //! How long /healthz may wait for the database before it answers 503.
        std::function<int()> healthDeadlineMs;
    };

    HttpProbe(HealthCheck &health, Hooks hooks, QObject *parent = nullptr);

    /*! \brief Answers \a request, now or (for /healthz) once the database answered. */
    void answer(QTcpSocket *socket, const HttpRequestHead &request);

    /*!
     * \brief Writes a complete response with status \a status and closes the socket once it
     * is sent. Bytes the client sent after its request head are read and dropped first, so
     * that the close is a FIN and not a reset that could destroy the response in flight.
     */
    static void respond(QTcpSocket *socket, int status, const QByteArray &body,
        const QByteArray &contentType = "text/plain; charset=utf-8",
        const QList<std::pair<QByteArray, QByteArray>> &extraHeaders = {}, bool withBody = true);

private:
    HealthCheck &m_health;
    Hooks m_hooks;
};

} // namespace confab::server
