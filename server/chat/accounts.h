// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/sessioncache.h"
#include "auth/signingate.h"
#include "core/serverconfig.h"
#include "protocol/errorcode.h"
#include "protocol/request.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <functional>
#include <optional>

namespace confab::server {

class Fanout;
class Peer;
class Presence;
class Ranks;
class RoomViews;
class StatementCache;
class StorageWriter;
class WriteContext;

/*!
 * \brief Accounts and sign-in: registration, password and token sign-in, sign-out,
 * session tokens, and the SignInGate that decides when a password may be checked.
 */
class Accounts : public QObject
{
    Q_OBJECT
public:
    Accounts(const ServerConfig &config, StorageWriter &writer, StatementCache &reader,
        Fanout &fanout, RoomViews &views, Presence &presence, Ranks &ranks, SessionCache &sessions,
        QObject *parent = nullptr);

    /*! \brief Prepares the decoy hash that unknown names are verified against. */
    void start();
    /*!
     * \brief Fills the sign-in cache with the live sessions, so that the reconnect storm
     * after a restart signs in from memory. Before any request, after admin_log's cursor.
     */
    void warmUp();
    /*!
     * \brief From now on, a finished hash writes nothing: drain() has answered its peer.
     * Last-used times still waiting are queued now, while the writer still takes them.
     */
    void stopSigningIn();
    bool isHashing() const { return m_hashJobs > 0; }
    /*! \brief Takes the login allowances of a reloaded configuration. */
    void reconfigure();
    /*! \brief Forgets old throttle entries, and expired tokens about once an hour. */
    void sweep(qint64 nowMs);

    void handleRegister(Peer *peer, const protocol::Request &r);
    void handleLogin(Peer *peer, const protocol::Request &r);
    void handleAuthenticate(Peer *peer, const protocol::Request &r);
    void handleLogout(Peer *peer, const protocol::Request &r);
    void handleLogoutAll(Peer *peer, const protocol::Request &r);

    /*!
     * \brief The sessions signed in by token, from memory. A write that ends tokens holds
     * sessions().revoking(user) until its completion.
     */
    SessionCache &sessions() { return m_sessions; }
    /*!
     * \brief Runs before each token sign-in: applies what the operator changed from another
     * process (admin_log), so that a token revoked there is refused at once.
     */
    void setOperatorCheck(std::function<bool()> check) { m_operatorCheck = std::move(check); }
    /*!
     * \brief A last-used time not yet written: when (wall clock ms) and from where the
     * session of \a tokenHash signed in, for `sessions` to show before the write.
     */
    struct Touch
    {
        qint64 atMs = 0;
        QString address;
    };
    std::optional<Touch> pendingTouch(const QByteArray &tokenHash) const;
    /*! \brief Queues the last-used times waiting, in one write. */
    void flushTouches();

    /*! \brief A session's last-used time is written at most this often for the same address. */
    static constexpr qint64 TouchIntervalMs = 60 * 1000;
    /*! \brief Last-used times wait this long, to go to the writer together. */
    static constexpr int TouchFlushMs = 250;

    /*!
     * \brief Checks \a password of \a peer's account off the event loop, as login does: the
     * throttle admits it first, and a wrong one counts as a failed login and is answered
     * invalid_credentials. \a verified runs only for the right one, with the peer still there
     * and the stored hash it was checked against: a write that trusts the check compares it
     * inside its transaction, since the password may have changed meanwhile.
     */
    void checkPassword(Peer *peer, const QJsonValue &id, const QString &password,
        std::function<void(Peer *, const QString &verifiedHash)> verified);
    /*! \brief Hashes \a password off the event loop; \a done gets the peer (still there) and hash.
     */
    void hashPassword(Peer *peer, const QJsonValue &id, const QString &password,
        std::function<void(Peer *, const QString &)> done);

private:
    // Who signs in, or why not, as decided inside the token's transaction.
    struct SignIn
    {
        qint64 user = 0;
        std::optional<protocol::ErrorCode> refusal;
        bool madeAdmin = false; //!< the first account of the server (§17.1)
    };
    using CheckAccount = std::function<std::optional<SignIn>(WriteContext &)>;

    /*! \brief Answers a refusal of the SignInGate. */
    static void refuse(Peer *peer, const QJsonValue &id, const SignInGate::Decision &decision);
    /*! \brief Runs \a work on the thread pool and \a done back on this thread. */
    template<typename T> void offThread(std::function<T()> work, std::function<void(T)> done);
    /*!
     * \brief Issues a token in one write, after \a check ran in the same transaction: it
     * creates the account (register) or re-checks it (login), and may refuse.
     */
    void issueToken(Peer *peer, const QJsonValue &id, const QString &name, const QString &device,
        const char *method, CheckAccount check);
    void attach(Peer *peer, qint64 user, const QString &name, const QByteArray &tokenHash);
    /*! \brief The session of \a tokenHash, from memory or else from storage. */
    /*! \brief The token's session, from memory unless \a fromStorage. */
    std::optional<SessionRecord> sessionOf(const QByteArray &tokenHash, bool fromStorage);
    /*! \brief Notes that \a tokenHash signed in from \a address, to be written if it is due. */
    void touch(const QByteArray &tokenHash, const QString &address);

    const ServerConfig &m_config;
    StorageWriter &m_writer;
    StatementCache &m_reader;
    Fanout &m_fanout;
    RoomViews &m_views;
    Presence &m_presence;
    Ranks &m_ranks;
    SignInGate m_gate;
    QString m_decoyHash;
    int m_hashJobs = 0;
    qint64 m_lastTokenPrune = 0;
    bool m_stopped = false;
    SessionCache &m_sessions;
    std::function<bool()> m_operatorCheck; //!< false: the operator's log could not be read
    struct Written
    {
        qint64 atMonotonicMs = 0;
        QString address;
    };
    QHash<QByteArray, Written> m_touched; //!< last-used times written or queued, by token
    QHash<QByteArray, Touch> m_touchQueue; //!< waiting for the next flush
    QTimer m_touchTimer;
};

} // namespace confab::server
