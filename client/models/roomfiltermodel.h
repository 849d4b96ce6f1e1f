// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief The room switcher's list (Ctrl+K): rooms whose name contains \c query,
 * case-insensitively; names that start with it first.
 */
class RoomFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)

public:
    explicit RoomFilterModel(QObject *parent = nullptr);

    QString query() const { return m_query; }
    void setQuery(const QString &query);
    Q_INVOKABLE qint64 roomIdAt(int row) const; //!< 0 if out of range
    void setSourceModel(QAbstractItemModel *model) override;

Q_SIGNALS:
    void queryChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void resolveRoles(const QAbstractItemModel *model);
    QString nameAt(const QModelIndex &sourceIndex) const;

    QString m_query;
    int m_nameRole = -1; //!< the source model's "name" role
    int m_idRole = -1; //!< its "roomId" role
};

} // namespace confab::client
