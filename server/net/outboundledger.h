// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>
#include <algorithm>

namespace confab::server {

/*!
 * \brief How much unsent output the server will hold, per connection and in total per
 * client address and per account.
 *
 * A client that stops reading must not make the server buffer without limit, and neither
 * must many such clients from one address or one account (each of which alone is within
 * its own bound). Past lowWater() a connection gets no further replies until its output
 * drains (its requests wait, in order); past \c perConnection it is dropped. While an
 * address's or account's total is past its cap, its connections' replies carry at most
 * ConstrainedReply bytes of events, a broadcast to one of them that is past lowWater()
 * drops it, and the sweep drops those that have not drained for a while. Connections that
 * keep reading are never held back by the others of their address.
 */
struct OutboundBounds
{
    qint64 perConnection = 4 * 1024 * 1024;
    qint64 perAddress = 64 * 1024 * 1024;
    qint64 perAccount = 64 * 1024 * 1024;

    /*! \brief Backlog past which a connection's requests wait for its output to drain. */
    qint64 lowWater() const { return std::min<qint64>(256 * 1024, perConnection / 4); }
    /*! \brief The reply budget of a connection whose address or account is past its cap. */
    static constexpr qint64 ConstrainedReply = 64 * 1024;
    /*! \brief How long such a connection may go without draining before the sweep drops it. */
    static constexpr qint64 StallMs = 2000;
};

/*!
 * \brief The unsent bytes of every connection, summed per address and per account, as
 * each connection reports its changes.
 */
class OutboundLedger
{
public:
    explicit OutboundLedger(const OutboundBounds &bounds)
        : m_bounds(bounds)
    { }

    const OutboundBounds &bounds() const { return m_bounds; }
    /*! \brief New caps (a configuration reload); what is queued stays counted. */
    void setBounds(const OutboundBounds &bounds) { m_bounds = bounds; }

    /*! \brief Adds \a delta (may be negative) to \a address's and to \a user's totals. */
    void adjust(const QHostAddress &address, qint64 user, qint64 delta);
    /*! \brief Whether \a address or \a user (0: none) holds more than its cap. */
    bool overCap(const QHostAddress &address, qint64 user) const;

    qint64 address(const QHostAddress &address) const { return m_byAddress.value(address); }
    qint64 account(qint64 user) const { return m_byAccount.value(user); }
    qint64 total() const { return m_total; }
    /*! \brief The largest total() so far: what the bounds let pile up at worst. */
    qint64 peakTotal() const { return m_peakTotal; }

private:
    OutboundBounds m_bounds;
    QHash<QHostAddress, qint64> m_byAddress;
    QHash<qint64, qint64> m_byAccount;
    qint64 m_total = 0;
    qint64 m_peakTotal = 0;
};

} // namespace confab::server
