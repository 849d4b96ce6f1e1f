// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/records.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <functional>
#include <memory>
#include <optional>

namespace confab::server {

/*!
 * \brief The sessions of tokens that signed in, by token hash, so that `authenticate` does
 * not read the tokens, users and sessions tables each time (issue 17).
 *
 * A cache of storage, never ahead of it: an entry is remembered only after SQL found the
 * token. Every write that ends tokens (sign-out, password change, revoked session, disabled
 * or deleted account) calls revoking() with the user before it is queued: from then until
 * its completion has run (or the job was dropped), that user's tokens are answered from SQL
 * and not remembered, so no sign-in between the commit and the completion can be answered
 * from memory with a token the commit ended. Expiry is compared on every hit. Revocations
 * by the operator from another process arrive through admin_log, which sign-in reads first
 * (Accounts), and end in forgetUser(). Nothing survives a restart: storage is the truth.
 */
class SessionCache
{
public:
    /*! \brief Entries kept at most; past this the cache starts over (a flood of sign-ins). */
    static constexpr qsizetype Budget = 200000;

    /*! \brief The cached session of \a tokenHash, unless its user has a revocation in flight. */
    std::optional<SessionRecord> find(const QByteArray &tokenHash) const;
    /*! \brief Remembers what storage said of \a tokenHash; ignored while its user is revoking. */
    void remember(const QByteArray &tokenHash, const SessionRecord &session);
    /*! \brief Forgets every token of \a user now (a revocation that already committed). */
    void forgetUser(qint64 user);
    /*!
     * \brief A write that may end tokens of \a user is about to be queued: forgets them, and
     * keeps them out of memory until the returned handle's last copy is gone. Capture it in
     * the write's completion, which is destroyed on this thread once it has run or failed.
     */
    [[nodiscard]] std::shared_ptr<void> revoking(qint64 user);

    qsizetype size() const { return m_state->byHash.size(); }
    /*! \brief Whether a write that may end \a user's tokens is in flight (revoking()). */
    bool isRevoking(qint64 user) const { return m_state->revoking.contains(user); }

    /*!
     * \brief Several instances: \a hook hears each revocation once its write is over
     * (committed or not), so that the other instances forget the user's tokens too.
     */
    void setRevokedHook(std::function<void(qint64 user)> hook)
    {
        m_state->revoked = std::move(hook);
    }
    /*!
     * \brief Whether memory may answer: not while this instance cannot hear the others'
     * revocations (its doorbell is away). Distrusting forgets everything.
     */
    void setTrusted(bool trusted);
    /*!
     * \brief Several instances: memory answers for a token at most \a ms after storage did,
     * a bound on how long a revocation whose note to this instance was lost can go unseen.
     * 0: no bound.
     */
    void setMaxAge(qint64 ms) { m_state->maxAgeMs = ms; }

private:
    struct State
    {
        QHash<QByteArray, SessionRecord> byHash;
        QHash<qint64, QSet<QByteArray>> byUser;
        QHash<qint64, int> revoking; //!< user -> revocations in flight
        std::function<void(qint64)> revoked;
        bool trusted = true;
        qint64 maxAgeMs = 0;
        QHash<QByteArray, qint64> rememberedMs; //!< when storage answered (maxAgeMs only)
        void forget(qint64 user);
    };
    // Shared with the handles revoking() gives out, which may outlive this object.
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace confab::server
