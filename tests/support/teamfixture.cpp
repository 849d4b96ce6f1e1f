// SPDX-License-Identifier: GPL-3.0-or-later
#include "teamfixture.h"

#include "admin/admincommands.h"
#include "protocol/results.h"

#include <QTextStream>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace confab::test {

bool TeamFixture::start(
    const std::function<void(server::ServerConfig &)> &configure, bool rootFirst)
{
    server = std::make_unique<TestServer>();
    if (configure)
        configure(server->config());
    if (!server->start())
        return false;
    return !rootFirst || clients.registered(u"root"_s);
}

void TeamFixture::stop()
{
    clients.clear();
    server.reset();
}

bool succeeded(const std::optional<protocol::ServerFrame> &r)
{
    return r && r->type == protocol::ServerFrameType::Result;
}

protocol::ErrorCode errorOf(const std::optional<protocol::ServerFrame> &r)
{
    return r && r->type == protocol::ServerFrameType::Error ? r->error
                                                            : protocol::ErrorCode::Internal;
}

QString fieldOf(const std::optional<protocol::ServerFrame> &r)
{
    return r ? r->body.value("field"_L1).toString() : QString();
}

qint64 seqOf(const std::optional<protocol::ServerFrame> &r)
{
    return succeeded(r) ? qint64(r->data().value("seq"_L1).toDouble()) : -1;
}

qint64 createChannel(TestClient *c, const QString &name, bool isPrivate)
{
    const auto r = c->request(protocol::requests::createRoom(name, {}, isPrivate));
    return succeeded(r) ? qint64(r->data().value("room"_L1).toObject().value("id"_L1).toDouble())
                        : 0;
}

std::optional<protocol::RoomSummary> waitSummary(TestClient *c, qint64 room)
{
    const auto f = c->waitPush([&](const protocol::ServerFrame &f) {
        return f.type == protocol::ServerFrameType::Room && f.roomSummary()
            && f.roomSummary()->id == room;
    });
    return f ? f->roomSummary() : std::nullopt;
}

bool settle(TestClient *c)
{
    return succeeded(c->request(protocol::requests::ping()));
}

AdminResult runAdmin(
    const server::ServerConfig &config, const QStringList &args, const QString &input)
{
    QString inText = input;
    AdminResult result;
    QTextStream in(&inText, QIODevice::ReadOnly);
    QTextStream out(&result.out, QIODevice::WriteOnly);
    QTextStream err(&result.err, QIODevice::WriteOnly);
    result.exit = server::admin::run(config, args, in, out, err);
    out.flush();
    err.flush();
    return result;
}

HashingHold::HashingHold()
    : m_threads(QThreadPool::globalInstance()->maxThreadCount())
{
    const auto started = std::make_shared<QSemaphore>();
    for (int i = 0; i < m_threads; ++i)
        QThreadPool::globalInstance()->start([gate = m_gate, started] {
            started->release();
            gate->acquire();
        });
    m_holding = started->tryAcquire(m_threads, 5000);
}

void HashingHold::release()
{
    if (!m_released)
        m_gate->release(m_threads);
    m_released = true;
}

HashingHold::~HashingHold()
{
    release();
    QThreadPool::globalInstance()->waitForDone();
}

} // namespace confab::test
