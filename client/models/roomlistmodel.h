// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/roomsummary.h"
#include "protocol/roomevent.h"

#include <QAbstractListModel>
#include <QCollator>
#include <QList>
#include <QtQml/qqmlregistration.h>
#include <optional>

namespace confab::client {

/*!
 * \brief The rooms the user is a member of: channels first, then direct rooms, each by
 * name (case-insensitive). Keeps unread and mention counts by the rule of
 * docs/protocol.md §9.3.
 */
class RoomListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The room list comes from Session.rooms")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(qint64 totalUnread READ totalUnread NOTIFY totalsChanged)
    Q_PROPERTY(qint64 totalMentions READ totalMentions NOTIFY totalsChanged)

public:
    enum Role
    {
        RoomIdRole = Qt::UserRole + 1, //!< room id
        NameRole, //!< channel name, or the other participant of a direct room
        TopicRole, //!< channel topic ("" for direct rooms)
        IsDirectRole, //!< direct conversation rather than channel
        SectionRole, //!< "channels" or "direct", for ListView sections (translate in QML)
        UnreadRole, //!< messages from others after the read position (capped 10 000)
        MentionsRole, //!< those that mention the user
        MemberCountRole, //!< current number of members
        AccessibleTextRole, //!< "general, 3 unread, 1 mention"
        IsPrivateRole, //!< a private channel (§17.2): shown with a lock
        InvitesByRole, //!< "members" or "moderators" ("" from a server without teams)
        OwnRoleRole, //!< the user's role in it: "owner", "moderator", "member" or ""
        NotifyRole, //!< the user's level (§18.3): "all", "mentions" or "none"
        QuietRole, //!< unread count shown greyed: the level is "mentions" or "none"
        MutedRole, //!< mention count greyed too: the level is "none"
        IsGroupRole, //!< a group conversation (§18.4); isDirect is true for it too
        MembersRole, //!< a conversation's members' usernames (empty for channels)
    };
    Q_ENUM(Role)

    explicit RoomListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /*! \brief What asks for attention (window title, tray): unread messages of rooms at
     * "all", only the mentions of rooms at "mentions", nothing of muted rooms (§18.3). */
    qint64 totalUnread() const;
    /*! \brief Mentions in rooms that are not muted. */
    qint64 totalMentions() const;

    void setOwnUser(const QString &user);
    /*! \brief Replaces the whole list (sign-in, cache load). */
    void resetRooms(const QList<RoomSummary> &rooms);
    /*! \brief Inserts or replaces one room, keeping the order. */
    void upsert(const RoomSummary &room);
    void remove(qint64 roomId);
    /*! \brief Authoritative read state (mark_read result, unread push, summaries). */
    void setReadState(qint64 roomId, qint64 readSeq, qint64 unread, qint64 mentions);
    /*! \brief A new, non-duplicate event arrived live: applies §9.3 (messages from others
     * after readSeq count; mentions of the own lower-cased name count too), lastSeq, topic
     * changes, member counts of join/leave, settings, and the user's own role. */
    void applyEvent(const protocol::RoomEvent &event);
    /*!
     * \brief What an unnamed group is called for \a ownUser: the other \a members sorted
     * case-insensitively, joined by ", "; the own name when alone (§18.4).
     */
    static QString groupName(const QStringList &members, const QString &ownUser);
    /*!
     * \brief Someone else's kick or ban that removed a member (not an invitation) from
     * \a roomId: one member fewer. The event alone cannot tell; the room's member list can.
     */
    void memberRemoved(qint64 roomId);

    bool contains(qint64 roomId) const;
    std::optional<RoomSummary> room(qint64 roomId) const;
    QList<RoomSummary> rooms() const;
    Q_INVOKABLE int rowOf(qint64 roomId) const; //!< -1 if absent
    //! The user's level for the room (§18.3): "all", "mentions" or "none".
    Q_INVOKABLE QString notifyLevel(qint64 roomId) const;
    Q_INVOKABLE qint64 roomIdAt(int row) const; //!< 0 if out of range

Q_SIGNALS:
    void countChanged();
    void totalsChanged();
    /*! \brief Name, topic or member count of a room changed (for the header). */
    void roomChanged(qint64 roomId);

private:
    bool lessThan(const RoomSummary &a, const RoomSummary &b) const;
    int insertPosition(const RoomSummary &room) const; //!< among m_rooms as they are
    void updateTotals();
    void changed(int row, const QList<int> &roles = {});
    /*! \brief An `add` or `leave` in a group: its members, count and unnamed name follow.
     * Returns false when the summary already said so (it came before the event). */
    bool groupMemberChanged(RoomSummary &r, const QString &user, bool added) const;

    QList<RoomSummary> m_rooms;
    QString m_ownUser;
    QString m_ownLower;
    qint64 m_totalUnread = 0;
    qint64 m_totalMentions = 0;
    QCollator m_collator;
};

} // namespace confab::client
