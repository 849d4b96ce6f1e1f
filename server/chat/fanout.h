// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <functional>

namespace confab::server {

class Peer;
class WireFrame;

/*!
 * \brief Who is signed in on which peers, and sending to them: to a user on every
 * device, to a room's members, to everyone.
 */
class Fanout
{
public:
    /*! \brief \a peer is signed in (Peer::setSession); true if it is its user's first. */
    bool attach(Peer *peer);
    /*! \brief \a peer is gone; true if it was its user's last. */
    bool detach(Peer *peer);

    /*! \brief Whether \a user has a signed-in connection here. */
    bool isOnline(qint64 user) const { return m_online.contains(user); }
    /*! \brief Whether \a user is signed in here or on another instance: what clients see. */
    bool isOnlineAnywhere(qint64 user) const
    {
        return isOnline(user) || (m_elsewhere && m_elsewhere(user));
    }
    /*! \brief Several instances: \a elsewhere says whether a user is online on another. */
    void setElsewhere(std::function<bool(qint64)> elsewhere) { m_elsewhere = std::move(elsewhere); }
    /*! \brief Every signed-in user with their peers. */
    const QHash<qint64, QList<Peer *>> &online() const { return m_online; }

    /*! \brief Returns how many peers it was sent to, as do the others. */
    int sendToUser(qint64 user, const WireFrame &frame, const Peer *except = nullptr) const;
    int sendToUsers(const QSet<qint64> &users, const WireFrame &frame, qint64 exceptUser = 0) const;
    /*! \brief Closes \a user's peers signed in with \a onlyToken, or all if it is empty. */
    void closeUser(qint64 user, const QByteArray &onlyToken, const QString &reason) const;

private:
    QHash<qint64, QList<Peer *>> m_online;
    std::function<bool(qint64)> m_elsewhere;
};

} // namespace confab::server
