// SPDX-License-Identifier: GPL-3.0-or-later
// A connection whose server side the test writes: it records every request, answers the
// ones the test says, delivers the pushes the test encodes (with shared/'s encoders and
// decoder, as on the wire) and ends when the test drops it. For states the real server
// rarely shows on demand; the tests against the real server stay (tst_session).
#pragma once

#include "net/connection.h"
#include "protocol/serverframe.h"

#include <QList>
#include <QMetaObject>
#include <QPointer>
#include <QtTest>

namespace confab::test {

class ScriptedConnection : public client::Connection
{
public:
    using Connection::Connection;

    int opens = 0; //!< how often the client opened it

    void open(const QUrl &url) override
    {
        ++opens;
        m_url = url;
        setState(Connecting);
    }
    void close() override { end(1000, true); }
    State state() const override { return m_state; }
    const protocol::Hello &hello() const override { return m_hello; }

    void send(const protocol::OutgoingRequest &request, QObject *context = nullptr,
        ReplyHandler handler = {}) override
    {
        if (m_state != Ready) {
            // As the real one: a request on a closed connection fails, later.
            if (handler) {
                QPointer<QObject> guard(context);
                const bool hasContext = context != nullptr;
                QMetaObject::invokeMethod(
                    this,
                    [guard, hasContext, handler] {
                        if (!hasContext || guard)
                            handler(client::Reply {});
                    },
                    Qt::QueuedConnection);
            }
            return;
        }
        m_sent.append({request, context, context != nullptr, std::move(handler)});
    }
    bool sendBinary(const QByteArray &message) override
    {
        if (m_state != Ready)
            return false;
        binarySent.append(message);
        return true;
    }

    QList<QByteArray> binarySent; //!< every binary message sent while Ready, in order

    // ---- the server's side ----------------------------------------------------------

    /*! \brief The server's hello arrives: the connection is ready. */
    void acceptHello(const protocol::Hello &hello = {})
    {
        QCOMPARE_NE(m_state, Offline);
        m_hello = hello;
        setState(Ready);
        Q_EMIT ready();
    }

    /*! \brief The types of the requests sent on this connection, in order. */
    QList<protocol::RequestType> sentTypes() const
    {
        QList<protocol::RequestType> out;
        for (const auto &s : m_sent)
            out.append(s.request.type);
        return out;
    }
    /*! \brief How many requests of \a type wait for an answer. */
    int waiting(protocol::RequestType type) const
    {
        return int(std::count_if(m_sent.cbegin(), m_sent.cend(),
            [&](const Sent &s) { return !s.answered && s.request.type == type; }));
    }
    /*! \brief The first request of \a type still waiting for an answer, or null. */
    const protocol::OutgoingRequest *firstWaiting(protocol::RequestType type) const
    {
        for (const auto &s : m_sent) {
            if (!s.answered && s.request.type == type)
                return &s.request;
        }
        return nullptr;
    }
    /*! \brief Answers the oldest waiting request of \a type with \a data; false if none. */
    bool reply(protocol::RequestType type, const QJsonObject &data = {})
    {
        client::Reply r;
        r.outcome = client::Reply::Ok;
        r.data = data;
        return answer(type, r);
    }
    bool replyError(protocol::RequestType type, protocol::ErrorCode code)
    {
        client::Reply r;
        r.outcome = client::Reply::Error;
        r.error = code;
        return answer(type, r);
    }
    /*! \brief A push, as the server encodes it (protocol::frames::*). */
    void push(const QByteArray &frame)
    {
        QCOMPARE(m_state, Ready);
        const auto decoded = protocol::decodeServerFrame(frame);
        QVERIFY(decoded);
        // As the real one: an error frame without a request id is no push (§16.2).
        if (decoded->type == protocol::ServerFrameType::Error && !decoded->id.isDouble())
            Q_EMIT unsolicitedError(*decoded);
        else
            Q_EMIT pushReceived(*decoded);
    }
    /*! \brief The link is lost (no close frame). */
    void drop() { end(1006, false); }

private:
    struct Sent
    {
        protocol::OutgoingRequest request;
        QPointer<QObject> context;
        bool hasContext = false;
        ReplyHandler handler;
        bool answered = false;
    };

    void setState(State state)
    {
        if (m_state == state)
            return;
        m_state = state;
        Q_EMIT stateChanged();
    }
    bool answer(protocol::RequestType type, const client::Reply &reply)
    {
        for (auto &s : m_sent) {
            if (s.answered || s.request.type != type)
                continue;
            s.answered = true;
            // A copy: the handler may send, which grows m_sent under it.
            const ReplyHandler handler = s.handler;
            if (handler && (!s.hasContext || s.context))
                handler(reply);
            return true;
        }
        return false;
    }
    void end(int code, bool local)
    {
        if (m_state == Offline)
            return;
        client::CloseInfo info;
        info.code = code;
        info.local = local;
        info.reachedServer = m_state == Ready;
        setState(Offline);
        // Every pending handler hears of it before the close itself, as with the real one.
        QList<ReplyHandler> pending;
        for (auto &s : m_sent) {
            if (!s.answered && s.handler && (!s.hasContext || s.context))
                pending.append(s.handler);
            s.answered = true;
        }
        for (const ReplyHandler &handler : std::as_const(pending))
            handler(client::Reply {});
        Q_EMIT closed(info);
    }

    QUrl m_url;
    State m_state = Offline;
    protocol::Hello m_hello;
    QList<Sent> m_sent;
};

} // namespace confab::test
