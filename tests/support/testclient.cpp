// SPDX-License-Identifier: GPL-3.0-or-later
#include "testclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace confab::test {

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &TestClient::onText);
    connect(
        &m_socket, &QWebSocket::disconnected, this, [this] { m_closeCode = m_socket.closeCode(); });
}

bool TestClient::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (!done())
            QThread::usleep(200);
    }
    return true;
}

bool TestClient::open(const QUrl &url, int timeoutMs)
{
    return open(QNetworkRequest(url), timeoutMs);
}

bool TestClient::open(const QNetworkRequest &request, int timeoutMs)
{
    m_socket.open(request);
    return waitUntil([this] { return !m_hello.isEmpty() || m_closeCode >= 0; }, timeoutMs)
        && !m_hello.isEmpty();
}

void TestClient::disconnectNow()
{
    m_socket.abort();
}

void TestClient::onText(const QString &text)
{
    const auto frame = protocol::decodeServerFrame(text.toUtf8());
    if (!frame)
        return;
    switch (frame->type) {
    case protocol::ServerFrameType::Hello:
        m_hello = frame->body;
        return;
    case protocol::ServerFrameType::Result:
    case protocol::ServerFrameType::Error:
        if (frame->id.isDouble())
            m_replies.insert(qint64(frame->id.toDouble()), *frame);
        else
            m_stray.append(*frame);
        return;
    default:
        m_pushes.append(*frame);
    }
}

void TestClient::sendRaw(const QString &text)
{
    m_socket.sendTextMessage(text);
}

std::optional<protocol::ServerFrame> TestClient::request(
    const protocol::OutgoingRequest &r, int timeoutMs)
{
    const qint64 id = m_nextId++;
    m_socket.sendTextMessage(QString::fromUtf8(r.encode(double(id))));
    if (!waitUntil([&] { return m_replies.contains(id) || m_closeCode >= 0; }, timeoutMs))
        return std::nullopt;
    if (!m_replies.contains(id))
        return std::nullopt;
    return m_replies.take(id);
}

bool TestClient::registerUser(const QString &name)
{
    const auto reply = request(protocol::requests::registerAccount(name, u"password-123"_s), 15000);
    if (!reply || reply->type != protocol::ServerFrameType::Result)
        return false;
    m_session = reply->data();
    m_token = m_session.value("token"_L1).toString();
    m_user = name;
    return true;
}

bool TestClient::login(const QString &name, const QString &password)
{
    const auto reply = request(protocol::requests::login(name, password), 15000);
    if (!reply || reply->type != protocol::ServerFrameType::Result)
        return false;
    m_session = reply->data();
    m_token = m_session.value("token"_L1).toString();
    m_user = name;
    return true;
}

bool TestClient::authenticate(const QString &token)
{
    const auto reply = request(protocol::requests::authenticate(token));
    if (!reply || reply->type != protocol::ServerFrameType::Result) {
        qWarning() << "authenticate failed:" << (reply ? reply->body : QJsonObject());
        return false;
    }
    m_session = reply->data();
    m_token = token;
    m_user = m_session.value("user"_L1).toString();
    return true;
}

std::optional<protocol::ServerFrame> TestClient::waitPush(
    const std::function<bool(const protocol::ServerFrame &)> &match, int timeoutMs)
{
    qsizetype found = -1;
    waitUntil(
        [&] {
            for (qsizetype i = 0; i < m_pushes.size(); ++i) {
                if (match(m_pushes[i])) {
                    found = i;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    if (found < 0)
        return std::nullopt;
    return m_pushes.takeAt(found);
}

std::optional<protocol::RoomEvent> TestClient::waitEvent(qint64 room, qint64 seq, int timeoutMs)
{
    std::optional<protocol::RoomEvent> event;
    waitUntil(
        [&] {
            for (const auto &f : std::as_const(m_pushes)) {
                const auto e = f.roomEvent();
                if (e && e->room == room && e->seq == seq) {
                    event = e;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return event;
}

QList<protocol::RoomEvent> TestClient::events(qint64 room) const
{
    QList<protocol::RoomEvent> list;
    for (const auto &f : m_pushes) {
        const auto e = f.roomEvent();
        if (e && e->room == room)
            list.append(*e);
    }
    return list;
}

} // namespace confab::test
