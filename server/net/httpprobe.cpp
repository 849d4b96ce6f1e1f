// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/httpprobe.h"

#include "core/healthcheck.h"
#include "core/logging.h"

#include <QPointer>
#include <QTcpSocket>

namespace confab::server {

namespace {
constexpr QByteArrayView EndOfHead = "\r\n\r\n";

// RFC 9110 §5.6.2: what a method or header name may be made of.
bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        const bool alnum
            = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && !QByteArrayView("!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

// Visible ASCII, space and tab: a request line with anything else (a NUL, a bare CR, bytes
// of a TLS hello) is not something to guess about.
bool isPlainText(QByteArrayView s)
{
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u >= 0x7f)
            return false;
    }
    return true;
}

// A field line may also carry obs-text (RFC 9110 §5.5): browsers send UTF-8 in User-Agent
// and cookies. Only control characters other than HTAB are refused.
bool isFieldText(QByteArrayView s)
{
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimmed(QByteArrayView s)
{
    while (!s.isEmpty() && (s.front() == ' ' || s.front() == '\t'))
        s = s.sliced(1);
    while (!s.isEmpty() && (s.back() == ' ' || s.back() == '\t'))
        s.chop(1);
    return s;
}

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 426:
        return "Upgrade Required";
    case 503:
        return "Service Unavailable";
    }
    return "Error";
}
} // namespace

HttpRequestHead::Parse HttpRequestHead::parse(QByteArrayView buffered, HttpRequestHead *out)
{
    const QByteArrayView window = buffered.first(std::min(buffered.size(), MaxSize));
    const qsizetype end = window.indexOf(EndOfHead);
    if (end < 0) {
        if (buffered.size() >= MaxSize)
            return Parse::TooLarge;
        // Judged before the head is complete, so that a client speaking something else
        // (TLS to the plain port, a binary protocol) is told at once, not at the timeout.
        const qsizetype firstLineEnd = window.indexOf("\r\n");
        const QByteArrayView firstLine = firstLineEnd < 0 ? window : window.first(firstLineEnd);
        return isPlainText(firstLine) ? Parse::Incomplete : Parse::Malformed;
    }
    *out = HttpRequestHead();
    out->size = end + EndOfHead.size();
    const QByteArrayView head = window.first(end);
    qsizetype lineStart = 0;
    bool first = true;
    while (lineStart <= head.size()) {
        qsizetype lineEnd = head.indexOf("\r\n", lineStart);
        if (lineEnd < 0)
            lineEnd = head.size();
        const QByteArrayView line = head.sliced(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 2;
        if (!(first ? isPlainText(line) : isFieldText(line)))
            return Parse::Malformed;
        if (first) {
            first = false;
            const qsizetype a = line.indexOf(' ');
            const qsizetype b = a < 0 ? -1 : line.indexOf(' ', a + 1);
            if (b < 0 || line.indexOf(' ', b + 1) >= 0)
                return Parse::Malformed;
            out->method = line.first(a).toByteArray();
            out->target = line.sliced(a + 1, b - a - 1).toByteArray();
            const QByteArrayView version = line.sliced(b + 1);
            if (!isToken(out->method) || out->target.isEmpty()
                || (version != "HTTP/1.1" && version != "HTTP/1.0"))
                return Parse::Malformed;
            continue;
        }
        // No obsolete line folding (RFC 9112 §5.2): a name must start the line.
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return Parse::Malformed;
        out->headers.append({line.first(colon).toByteArray().toLower(),
            trimmed(line.sliced(colon + 1)).toByteArray()});
    }
    return Parse::Complete;
}

QByteArray HttpRequestHead::header(QByteArrayView lowerName) const
{
    // Lines of one field are one comma-separated list in their order (RFC 9110 §5.3): a
    // proxy may add its own X-Forwarded-For line below the client's.
    QByteArray joined;
    bool found = false;
    for (const auto &[name, value] : headers) {
        if (name != lowerName)
            continue;
        if (found)
            joined += ", ";
        joined += value;
        found = true;
    }
    return joined;
}

bool HttpRequestHead::hasHeader(QByteArrayView lowerName) const
{
    return std::any_of(headers.cbegin(), headers.cend(),
        [lowerName](const auto &h) { return h.first == lowerName; });
}

bool HttpRequestHead::isWebSocketUpgrade() const
{
    for (const auto &[name, value] : headers) {
        if (name != "upgrade")
            continue;
        for (const QByteArray &token : value.split(',')) {
            if (trimmed(token).compare("websocket", Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

QByteArray HttpRequestHead::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.first(query);
}

HttpProbe::HttpProbe(HealthCheck &health, Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_health(health)
    , m_hooks(std::move(hooks))
{ }

void HttpProbe::answer(QTcpSocket *socket, const HttpRequestHead &request)
{
    const bool head = request.method == "HEAD";
    const QByteArray path = request.path();
    qCDebug(lcHttp) << request.method << request.target << "from" << socket->peerAddress();
    // GET and HEAD are the methods every general-purpose server must support (RFC 9110 §9.1).
    if (request.method != "GET" && !head) {
        respond(socket, 405, "only GET and HEAD are served here\n", "text/plain; charset=utf-8",
            {{"Allow", "GET, HEAD"}});
        return;
    }
    if (path == "/healthz") {
        if (const QString reason = m_hooks.notReadyReason(); !reason.isEmpty()) {
            respond(socket, 503, reason.toUtf8() + '\n', "text/plain; charset=utf-8", {}, !head);
            return;
        }
        QPointer<QTcpSocket> guard(socket);
        m_health.check(m_hooks.healthDeadlineMs(), [guard, head](bool healthy, const QString &why) {
            // The socket may have timed out or gone while the database was asked.
            if (!guard || guard->state() != QAbstractSocket::ConnectedState)
                return;
            if (healthy)
                respond(guard, 200, "ok\n", "text/plain; charset=utf-8", {}, !head);
            else
                respond(guard, 503, why.toUtf8() + '\n', "text/plain; charset=utf-8", {}, !head);
        });
        return;
    }
    if (path == "/metrics") {
        if (!m_hooks.mayReadMetrics(*socket, request)) {
            qCInfo(lcHttp) << "refused /metrics to" << socket->peerAddress()
                           << "(not in metrics_allow)";
            respond(socket, 403, "metrics are not served to this address\n",
                "text/plain; charset=utf-8", {}, !head);
            return;
        }
        respond(
            socket, 200, m_hooks.metrics(), "text/plain; version=0.0.4; charset=utf-8", {}, !head);
        return;
    }
    respond(socket, 404, "not found; this port serves WebSocket, /healthz and /metrics\n",
        "text/plain; charset=utf-8", {}, !head);
}

void HttpProbe::respond(QTcpSocket *socket, int status, const QByteArray &body,
    const QByteArray &contentType, const QList<std::pair<QByteArray, QByteArray>> &extraHeaders,
    bool withBody)
{
    // The peer may have gone while the answer was prepared; then there is no one to tell.
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    for (const auto &[name, value] : extraHeaders)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (withBody)
        out += body;
    // What the client sent after its head is dropped unread (ChatServer::serveHttp keeps
    // dropping it); left in the kernel, it would turn the close into a reset.
    socket->readAll();
    socket->write(out);
    // Closes once the answer is written; the handshake timeout still aborts a peer that
    // does not read it.
    socket->disconnectFromHost();
}

} // namespace confab::server
