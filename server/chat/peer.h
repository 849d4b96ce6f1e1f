// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/errorcode.h"
#include "protocol/request.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <limits>
#include <optional>

namespace confab::protocol {
struct Limits;
}

namespace confab::server {

class WireFrame;

/*!
 * \brief One client as the chat logic sees it: somewhere to send frames, a close with a
 * code, and who it is signed in as. ChatService never sees how the frames travel.
 *
 * Implemented by the WebSocket connection (net/clientconnection.h) and by an in-memory
 * peer that tests and fuzzers drive without sockets (testing/inmemorypeer.h). A QObject
 * so that work finishing later (a password hash, a commit) can hold a QPointer to it.
 */
class Peer : public QObject
{
    Q_OBJECT
public:
    explicit Peer(QObject *parent = nullptr);
    ~Peer() override;

    /*! \brief Sends one message, framed once for any number of recipients. */
    virtual void send(const WireFrame &frame) = 0;
    /*! \brief Closes with \a code (one of closecodes); closed() follows once it is gone. */
    virtual void close(quint16 code, const QString &reason) = 0;
    virtual QHostAddress peerAddress() const = 0;
    /*! \brief close() was called or the peer went: nothing sent now arrives. */
    virtual bool isClosing() const = 0;
    /*!
     * \brief Encoded bytes of events one reply to this peer may carry, given the server's
     * \a full budget: less while the transport holds much unsent output for its address or
     * account, so that many clients which never read cannot add up to much.
     */
    virtual qint64 replyBudget(qint64 full) const { return full; }
    /*!
     * \brief Bytes of download data (§16.2) that may be queued for this peer now without
     * holding up its requests: downloads go out only as fast as the peer reads them. At 0,
     * wait for outputDrained().
     */
    virtual qint64 downloadRoom() const { return std::numeric_limits<qint64>::max(); }

    /*! \brief Sends one text message of encoded JSON. */
    void send(QByteArrayView utf8);
    void reply(const QJsonValue &id, const QJsonObject &data = {});
    /*! \brief Sends \a data at \a offset of download \a stream as a binary frame (§16.2). */
    void sendFileData(qint64 stream, qint64 offset, QByteArrayView data);
    void fail(const QJsonValue &id, protocol::ErrorCode code, const QString &message,
        const QJsonObject &details = {});

    bool isAuthenticated() const { return m_userId != 0; }
    qint64 userId() const { return m_userId; }
    const QString &userName() const { return m_userName; }
    const QByteArray &tokenHash() const { return m_tokenHash; }
    void setSession(qint64 userId, const QString &userName, const QByteArray &tokenHash);

    /*! \brief A login or registration is being verified; a second must wait for it. */
    bool signInPending() const { return m_signInPending; }
    /*! \brief The id of the request that made signInPending() true. */
    const QJsonValue &signInRequestId() const { return m_signInRequestId; }
    void setSignInPending(bool pending, const QJsonValue &requestId = {})
    {
        m_signInPending = pending;
        m_signInRequestId = requestId;
    }

Q_SIGNALS:
    void requestReceived(confab::server::Peer *peer, const confab::protocol::Request &request);
    /*!
     * \brief An upload chunk (§16.2) from a signed-in peer, within the transport's size and
     * rate limits: \a data belongs at \a offset of upload \a upload. Whether the upload
     * exists, is this user's and continues at \a offset is for the receiver to check.
     */
    void chunkReceived(
        confab::server::Peer *peer, qint64 upload, qint64 offset, const QByteArray &data);
    /*! \brief The peer is gone; whoever created it deletes it. */
    void closed(confab::server::Peer *peer);
    /*! \brief Queued output was written: downloadRoom() may have grown. */
    void outputDrained(confab::server::Peer *peer);

protected:
    /*!
     * \brief Decodes one text message under \a limits. A frame that is not a valid request
     * is answered here with the error the protocol names for it.
     */
    std::optional<protocol::Request> decode(const QByteArray &utf8, const protocol::Limits &limits);
    /*! \brief Answers a frame that is not a valid request with the error it earned. */
    void refuse(const protocol::RequestError &error);
    /*! \brief The answer to a binary message that is not an upload chunk (§2.6). */
    void failNotFileFrame();
    /*!
     * \brief Hands on a decoded upload chunk once it passed the transport's limits: answers
     * `unauthenticated` before sign-in, otherwise emits chunkReceived().
     */
    void handOnChunk(quint64 upload, quint64 offset, QByteArrayView data);

private:
    bool m_signInPending = false;
    QJsonValue m_signInRequestId;
    qint64 m_userId = 0;
    QString m_userName;
    QByteArray m_tokenHash;
};

} // namespace confab::server
