// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/teamresults.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

class Connection;

/*!
 * \brief The server's audit log as `audit` pages it (docs/protocol.md §17.5), newest
 * first: who changed which account or setting, when.
 *
 * refresh() loads the newest page (and replaces what was shown); loadOlder() appends the
 * page before the oldest entry shown. A reply to a request made before the last
 * refresh() or clear() is dropped.
 */
class AuditModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The audit log comes from Administration.audit")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    //! Older entries may exist: the last page was full.
    Q_PROPERTY(bool hasOlder READ hasOlder NOTIFY loadingChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY loadingChanged)

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        TimeRole, //!< QDateTime, local time
        ActorRole, //!< the username; translated "the operator" for the operator's shell
        ActionRole, //!< the wire name: disable_user, grant_admin, ...
        SubjectRole, //!< the account or the new value
        DetailRole,
        DescriptionRole, //!< one translated sentence: "alice disabled bob"
    };
    Q_ENUM(Role)

    static constexpr int PageSize = 50;

    explicit AuditModel(Connection *connection, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool loading() const { return m_loading; }
    bool hasOlder() const { return m_hasOlder; }
    QString errorText() const { return m_errorText; }
    void setPageSize(int size) { m_pageSize = size; }

    /*! \brief Loads the newest entries, replacing the rows. */
    Q_INVOKABLE void refresh();
    /*! \brief Appends the page before the oldest entry shown. */
    Q_INVOKABLE void loadOlder();
    void clear();

    /*! \brief \a entry as one translated sentence. */
    static QString describe(const protocol::AuditEntry &entry);

Q_SIGNALS:
    void countChanged();
    void loadingChanged();

private:
    void request(qint64 before);
    void setLoading(bool loading, const QString &error = {});

    QPointer<Connection> m_connection;
    QList<protocol::AuditEntry> m_entries;
    int m_pageSize = PageSize;
    bool m_loading = false;
    bool m_hasOlder = false;
    QString m_errorText;
    quint64 m_generation = 0;
};

} // namespace confab::client
