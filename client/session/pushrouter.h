// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/serverframe.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <optional>

namespace confab::client {

/*!
 * \brief Hands each push (a frame that is not a reply) to the object that owns its kind,
 * as the typed value that kind decodes to: events to the sync engine, room summaries to
 * the room state, unread counts to the read markers, presence to the member list, typing
 * to the typing state, directory entries to the directory.
 *
 * Ordering between kinds is stated here, not left to the order of signal connections:
 * an owner that holds frames back (the sync engine coalesces live events) names how to
 * release them with holdsBack(), and that runs before any frame of another kind is routed.
 */
class PushRouter : public QObject
{
    Q_OBJECT

public:
    explicit PushRouter(QObject *parent = nullptr);

    /*! \brief Frames of \a type are decoded with \a view and given to \a apply on \a owner;
     * a frame that does not decode is dropped (logged). One owner per type. */
    template<typename Owner, typename Value, typename Result>
    void route(protocol::ServerFrameType type,
        std::optional<Value> (protocol::ServerFrame::*view)() const, Owner *owner,
        Result (Owner::*apply)(const Value &))
    {
        QPointer<Owner> guard(owner);
        m_routes.insert(int(type), [guard, view, apply](const protocol::ServerFrame &frame) {
            if (!guard)
                return true;
            const std::optional<Value> value = (frame.*view)();
            if (value)
                (guard.data()->*apply)(*value);
            return value.has_value();
        });
    }

    /*! \brief As above, for an owner that takes the value by value (a room id). */
    template<typename Owner, typename Value, typename Result>
    void route(protocol::ServerFrameType type,
        std::optional<Value> (protocol::ServerFrame::*view)() const, Owner *owner,
        Result (Owner::*apply)(Value))
    {
        QPointer<Owner> guard(owner);
        m_routes.insert(int(type), [guard, view, apply](const protocol::ServerFrame &frame) {
            if (!guard)
                return true;
            const std::optional<Value> value = (frame.*view)();
            if (value)
                (guard.data()->*apply)(*value);
            return value.has_value();
        });
    }
    /*! \brief The owner of \a type may hold its frames back; \a release applies them. It
     * runs before any frame of another type is routed, so that frame finds them applied
     * (an unread push replaces the counts those events raised, §9.3). */
    void holdsBack(protocol::ServerFrameType type, const std::function<void()> &release);

    /*! \brief Routes one push. */
    void dispatch(const protocol::ServerFrame &frame);

private:
    QHash<int, std::function<bool(const protocol::ServerFrame &)>> m_routes; //!< by type
    QHash<int, std::function<void()>> m_releases; //!< by type
};

} // namespace confab::client
