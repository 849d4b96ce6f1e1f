// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/fanout.h"

#include "chat/peer.h"
#include "core/closecodes.h"

namespace confab::server {

bool Fanout::attach(Peer *peer)
{
    QList<Peer *> &peers = m_online[peer->userId()];
    peers.append(peer);
    return peers.size() == 1;
}

bool Fanout::detach(Peer *peer)
{
    auto it = m_online.find(peer->userId());
    if (it == m_online.end() || !it->removeOne(peer))
        return false;
    if (!it->isEmpty())
        return false;
    m_online.erase(it);
    return true;
}

int Fanout::sendToUser(qint64 user, const WireFrame &frame, const Peer *except) const
{
    // Copied: a send can drop a slow reader, which edits the list.
    const QList<Peer *> peers = m_online.value(user);
    int sent = 0;
    for (Peer *peer : peers) {
        if (peer != except) {
            peer->send(frame);
            ++sent;
        }
    }
    return sent;
}

int Fanout::sendToUsers(const QSet<qint64> &users, const WireFrame &frame, qint64 exceptUser) const
{
    int sent = 0;
    for (qint64 user : users) {
        if (user != exceptUser)
            sent += sendToUser(user, frame);
    }
    return sent;
}

void Fanout::closeUser(qint64 user, const QByteArray &onlyToken, const QString &reason) const
{
    const QList<Peer *> peers = m_online.value(user);
    for (Peer *peer : peers) {
        if (onlyToken.isEmpty() || peer->tokenHash() == onlyToken)
            peer->close(closecodes::SignedOut, reason);
    }
}

} // namespace confab::server
