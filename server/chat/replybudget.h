// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"

#include <QList>

namespace confab::server {

/*!
 * \brief What one `history` or `sync` reply may carry, in encoded bytes of events.
 *
 * A client that asks and never reads holds its whole reply in the server's memory until
 * it is dropped; 2 rooms x 500 events x 16 KB made one 40-byte `sync` cost 16 MiB. Past
 * the budget a reply carries fewer events and says so the way the protocol already can
 * (`hasMore`, `gap`), and the client pages for the rest.
 */
class ReplyBudget
{
public:
    explicit ReplyBudget(qint64 bytes)
        : m_left(bytes)
    { }

    /*!
     * \brief Keeps the events of \a events (in seq order) that fit, from the end nearest
     * the reader: the newest with \a keepNewest, else the oldest. At least one is kept, so
     * that every reply moves its reader on. True if any were dropped.
     */
    bool trim(QList<protocol::RoomEvent> &events, bool keepNewest);

    /*! \brief Roughly the bytes \a event takes in a reply: its text as JSON-escaped UTF-8. */
    static qint64 encodedSize(const protocol::RoomEvent &event);

private:
    qint64 m_left;
};

} // namespace confab::server
