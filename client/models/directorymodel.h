// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/directoryentry.h"

#include <QAbstractListModel>
#include <QCollator>
#include <QList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief Every channel on the server (the `list_rooms` reply), for the "join a room" dialog.
 */
class DirectoryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The directory comes from Session.directory")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role
    {
        RoomIdRole = Qt::UserRole + 1, //!< room id
        NameRole, //!< channel name
        TopicRole, //!< channel topic
        MemberCountRole, //!< number of members
        JoinedRole, //!< the user is a member
    };
    Q_ENUM(Role)

    explicit DirectoryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /*! \brief The rooms of a list_rooms result; a repeated id is kept once. Sorted by
     * name. */
    void setEntries(const QList<protocol::DirectoryEntry> &rooms);
    /*!
     * \brief A `directory` push: inserts the channel or replaces its entry, in order.
     * Ignored until a listing arrived, so the dialog never shows a partial directory.
     */
    void apply(const protocol::DirectoryEntry &entry);
    void setJoined(qint64 roomId, bool joined);
    /*! \brief An `unlisted` push (§17.6): the channel became private to the user. */
    void unlist(qint64 roomId);
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    using Entry = protocol::DirectoryEntry;
    bool lessThan(const Entry &a, const Entry &b) const;

    QList<Entry> m_entries;
    QCollator m_collator;
    bool m_loaded = false;
};

} // namespace confab::client
