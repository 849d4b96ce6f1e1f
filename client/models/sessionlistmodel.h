// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/selfserviceresults.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief The account's sessions (docs/protocol.md §18.1), most recently used first, as
 * the server's `sessions` listed them; the Account dialog shows one row each.
 */
class SessionListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The Account dialog's sessions come from AccountSettings.sessions")

public:
    enum Role
    {
        SessionIdRole = Qt::UserRole + 1, //!< the session's id, for revoke()
        DeviceRole, //!< the device name it signed in with ("" if none)
        AddressRole, //!< the address the server saw ("" if unknown)
        LastSeenRole, //!< when it was last used, as a QDateTime
        CurrentRole, //!< this device's own session
        OnlineRole, //!< it has a connection now
        AccessibleTextRole, //!< "laptop, this device, online"
    };
    Q_ENUM(Role)

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void reset(const QList<protocol::SessionEntry> &sessions);
    void remove(qint64 id);
    /*! \brief Whether \a id is this device's own session, as far as the list knows. */
    bool isCurrent(qint64 id) const;
    void clear() { reset({}); }

private:
    QList<protocol::SessionEntry> m_sessions;
};

} // namespace confab::client
