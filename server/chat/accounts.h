// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/signingate.h"
#include "core/serverconfig.h"
#include "protocol/errorcode.h"
#include "protocol/request.h"

#include <QObject>
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
        Fanout &fanout, RoomViews &views, Presence &presence, Ranks &ranks,
        QObject *parent = nullptr);

    /*! \brief Prepares the decoy hash that unknown names are verified against. */
    void start();
    /*! \brief From now on, a finished hash writes nothing: drain() has answered its peer. */
    void stopSigningIn() { m_stopped = true; }
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
};

} // namespace confab::server
