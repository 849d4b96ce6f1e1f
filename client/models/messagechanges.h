// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/roomevent.h"

#include <QList>
#include <QString>
#include <functional>
#include <map>

namespace confab::client {

/*!
 * \brief Applies one change event (edit, redact, react, unreact) to a message's \a text
 * and \a state by the rules of protocol §7.4. \a ownUser goes first in a reaction's users,
 * as the server lists it.
 *
 * Returns false, changing nothing, when the state already includes the change (its seq is
 * not above \a state.changedSeq): a change read again from `sync`, `history` or the cache
 * is never applied twice.
 */
bool applyChange(protocol::MessageState &state, QString &text, const protocol::RoomEvent &change,
    const QString &ownUser);

/*!
 * \brief Change events whose message is not loaded, kept for one room until it is.
 *
 * The server bundles a message's state whenever it is read, so a change dropped here is
 * not lost: the page that loads the message carries it. Keeping them only spares a
 * client the wrong state between a change and a reload of its message; the bound keeps a
 * room that edits old messages all day from growing this without limit.
 */
class ChangeBacklog
{
public:
    static constexpr int MaxChanges = 1000;

    void add(const protocol::RoomEvent &change);
    /*! \brief Removes and returns, in seq order, the changes whose target \a held says is
     * loaded. */
    QList<protocol::RoomEvent> takeLoaded(const std::function<bool(qint64 target)> &held);
    bool isEmpty() const { return m_bySeq.empty(); }
    int size() const { return int(m_bySeq.size()); }
    void clear() { m_bySeq.clear(); }

private:
    std::map<qint64, protocol::RoomEvent> m_bySeq; //!< by the change's own seq
};

} // namespace confab::client
