// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

class AppSettings;

/*!
 * \brief The emoji picker's grid: the recently used emoji first, then every emoji of
 * EmojiTable in Unicode's groups; with a \c filter, only those whose name contains it
 * (recently used ones first, then names with a word starting with it).
 *
 * The recently used emoji (at most MaxRecent, newest first) are kept in AppSettings, so
 * every picker and the next start share them.
 */
class EmojiModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    //! The rows at the start that are recently used emoji.
    Q_PROPERTY(int recentCount READ recentCount NOTIFY countChanged)
    Q_PROPERTY(QStringList groups READ groups CONSTANT)

public:
    enum Role
    {
        EmojiRole = Qt::UserRole + 1, //!< the emoji (a reaction's key)
        NameRole, //!< Unicode's name, "thumbs up"
        GroupRole, //!< index into groups()
        GroupNameRole, //!< "Smileys & Emotion"
        RecentRole, //!< one of the recently used ones at the start
    };
    Q_ENUM(Role)

    static constexpr int MaxRecent = 24;

    /*! \brief \a settings: where the recent emoji are kept; AppSettings::instance() if null. */
    explicit EmojiModel(QObject *parent = nullptr);
    EmojiModel(AppSettings *settings, QObject *parent);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString filter() const { return m_filter; }
    void setFilter(const QString &filter);
    int recentCount() const { return m_recentCount; }
    QStringList groups() const;

    Q_INVOKABLE QString emojiAt(int row) const; //!< "" out of range
    /*! \brief The first row of \a group outside the recent rows, or -1 (filtered out). */
    Q_INVOKABLE int firstRowOfGroup(int group) const;
    /*! \brief \a key was picked: it goes to the front of the recently used ones. */
    Q_INVOKABLE void noteUsed(const QString &key);

Q_SIGNALS:
    void filterChanged();
    void countChanged();

private:
    QStringList recentKeys() const;
    void rebuild();

    QPointer<AppSettings> m_settings;
    QString m_filter;
    QList<int> m_rows; //!< positions in EmojiTable::emoji()
    int m_recentCount = 0;
};

} // namespace confab::client
