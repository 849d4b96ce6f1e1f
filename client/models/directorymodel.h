// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QJsonArray>
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

    /*! \brief The `rooms` array of a list_rooms result; entries that fail to parse are
     * skipped. Sorted by name. */
    void setEntries(const QJsonArray &rooms);
    void setJoined(qint64 roomId, bool joined);
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    struct Entry
    {
        qint64 id = 0;
        QString name;
        QString topic;
        int memberCount = 0;
        bool joined = false;
    };

    QList<Entry> m_entries;
};

} // namespace confab::client
