// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/hello.h"
#include "protocol/requestbuilder.h"
#include "protocol/serverframe.h"

#include <QAbstractSocket>
#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <functional>

namespace confab::client {

/*!
 * \brief The answer to one request: the server's result or error, or a local
 * \c Disconnected outcome when the connection went away before the reply.
 */
struct Reply
{
    enum Outcome
    {
        Ok,
        Error,
        Disconnected
    };
    Outcome outcome = Disconnected;
    QJsonObject data; //!< Ok: the result's data
    protocol::ErrorCode error = protocol::ErrorCode::Internal; //!< Error only
    QString message; //!< Error: the server's English text (logs only)
    qint64 retryAfterMs = 0; //!< rate_limited, throttled
    QJsonObject details; //!< Error: the error frame, whose details are members of it

    bool ok() const { return outcome == Ok; }
};

/*!
 * \brief How a connection ended, for the session's reconnect and error decisions.
 */
struct CloseInfo
{
    int code = 0; //!< WebSocket close code; 1006 when no close frame came
    QString reason;
    QAbstractSocket::SocketError socketError = QAbstractSocket::UnknownSocketError;
    bool reachedServer = false; //!< hello was received
    bool watchdog = false; //!< we dropped it: silent for too long
    bool local = false; //!< we closed it on purpose
    //! The server presented a key other than the one pinned for it (docs/lan.md): refused
    //! in the handshake, or right after hello, before anything was sent.
    bool pinMismatch = false;
    QString presentedFingerprint; //!< pinMismatch: what the server presented
    QString expectedFingerprint; //!< pinMismatch: what was pinned (or given in an invite)
};

/*!
 * \brief Who vouched for the server's certificate on a wss:// connection.
 */
struct TlsTrust
{
    enum Kind
    {
        Plain, //!< ws://: no certificate, nothing to pin
        CaTrusted, //!< the system's CAs vouch for it, and no pin says otherwise
        Pinned, //!< it matches the pin (or the fingerprint an invite gave)
        FirstUse, //!< nobody vouches for it: the user must compare codes before anything is sent
    };
    Kind kind = Plain;
    QString fingerprint; //!< of the presented certificate's key (lan::fingerprintOf)
    /*! \brief The pinned fingerprint whose key handed over to this one in a signed key
     * rotation (protocol §19.7); empty if the key is the pinned one itself. */
    QString rotatedFrom;
};

/*!
 * \brief What the client core needs of a connection to the server: open and close it,
 * send typed requests with a reply handler, and hear hello, pushes and the close.
 *
 * ServerConnection is the real one (a WebSocket); tests put a scripted one in its place
 * to reach states the real server rarely shows (tests/client/scriptedconnection.h).
 *
 * Contract: requests sent while not Ready get a Disconnected reply, queued, never
 * re-entrantly; when the connection ends, every pending handler gets Disconnected before
 * \c closed is emitted; \c closed is emitted for a local close() too.
 */
class Connection : public QObject
{
    Q_OBJECT

public:
    enum State
    {
        Offline,
        Connecting,
        Open,
        Ready
    };
    Q_ENUM(State)
    using ReplyHandler = std::function<void(const Reply &)>;

    using QObject::QObject;

    virtual void open(const QUrl &url) = 0;
    /*! \brief Closes on purpose; \c closed is still emitted (with \c local set). */
    virtual void close() = 0;
    virtual State state() const = 0;
    /*! \brief The last hello: limits, registration policy and features. */
    virtual const protocol::Hello &hello() const = 0;
    /*! \brief How the server's certificate was accepted; Plain for connections without TLS. */
    virtual TlsTrust tlsTrust() const { return {}; }
    /*! \brief The fingerprint the next open() must find (from an invite link); empty for
     * none. Connections without TLS ignore it. */
    virtual void setExpectedFingerprint(const QString & /*fingerprint*/) { }
    /*! \brief The server id the next open()'s hello must carry (an invite link's, or that
     * of a server that moved, §19.5), on ws:// too; empty for none. */
    virtual void setExpectedServerId(const QString & /*serverId*/) { }
    const protocol::Limits &limits() const { return hello().limits; }
    QString registration() const { return hello().registration; }

    /*! \brief Sends \a request; \a handler runs once with the reply, unless \a context
     * was destroyed first. */
    virtual void send(const protocol::OutgoingRequest &request, QObject *context = nullptr,
        ReplyHandler handler = {})
        = 0;
    /*! \brief Sends one binary message: a file frame (docs/protocol.md §16.2, encoded with
     * protocol/fileframe.h). False, and nothing sent, unless Ready. */
    virtual bool sendBinary(const QByteArray &message) = 0;

Q_SIGNALS:
    void stateChanged();
    /*! \brief hello arrived: requests may be sent. */
    void ready();
    /*! \brief A frame that is not a reply (event, room, unread, presence, typing, ...). */
    void pushReceived(const protocol::ServerFrame &frame);
    /*! \brief A binary message arrived (download data, §16.2), still encoded. */
    void binaryReceived(const QByteArray &message);
    /*! \brief An \c error frame whose id is null: a connection-level error, or one about
     * an upload chunk (its details name the upload, §16.2). */
    void unsolicitedError(const protocol::ServerFrame &frame);
    void closed(const CloseInfo &info);
};

} // namespace confab::client
