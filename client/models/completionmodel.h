// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

/*!
 * \brief The composer's completions: given its text and cursor, what the word being typed
 * could become, and which part of the text a pick replaces.
 *
 * `@ana` completes the room's members (the \c members model's `user` role), `#gen`
 * channels (the joined ones of \c rooms, then the \c directory's), `:thu` emoji by name
 * from two characters on. A trigger counts only at the start of the text or after a
 * space or an opening bracket, so `mail@host` and `12:30` complete nothing. Escape
 * (dismiss()) hides the list until another word is being completed. A source that
 * changes (the member list arrives, the directory is listed) completes the word again.
 */
class CompletionModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *members READ members WRITE setMembers NOTIFY sourcesChanged)
    Q_PROPERTY(QAbstractItemModel *rooms READ rooms WRITE setRooms NOTIFY sourcesChanged)
    Q_PROPERTY(
        QAbstractItemModel *directory READ directory WRITE setDirectory NOTIFY sourcesChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(Kind kind READ kind NOTIFY countChanged)
    //! The text a pick replaces: [replaceStart, replaceEnd), the trigger included.
    Q_PROPERTY(int replaceStart READ replaceStart NOTIFY countChanged)
    Q_PROPERTY(int replaceEnd READ replaceEnd NOTIFY countChanged)

public:
    enum Kind
    {
        None,
        Member,
        Channel,
        Emoji,
    };
    Q_ENUM(Kind)

    enum Role
    {
        LabelRole = Qt::UserRole + 1, //!< "ana", "general", "👍"
        DetailRole, //!< "thumbs up" for an emoji; "" otherwise
        ReplacementRole, //!< what replaces the range: "@ana ", "#general ", "👍"
    };
    Q_ENUM(Role)

    static constexpr int MaxRows = 8;
    static constexpr int MinEmojiQuery = 2; //!< `:` completes from its second character on

    explicit CompletionModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QAbstractItemModel *members() const { return m_members; }
    void setMembers(QAbstractItemModel *model);
    QAbstractItemModel *rooms() const { return m_rooms; }
    void setRooms(QAbstractItemModel *model);
    QAbstractItemModel *directory() const { return m_directory; }
    void setDirectory(QAbstractItemModel *model);

    Kind kind() const { return m_kind; }
    int replaceStart() const { return m_start; }
    int replaceEnd() const { return m_end; }

    /*! \brief The composer's text or cursor changed: completes the word at \a cursor. */
    Q_INVOKABLE void update(const QString &text, int cursor);
    /*! \brief What replaces [replaceStart, replaceEnd) when \a row is picked; "" if none. */
    Q_INVOKABLE QString replacementAt(int row) const;
    /*! \brief Escape: no completions until another word is being completed. */
    Q_INVOKABLE void dismiss();

Q_SIGNALS:
    void sourcesChanged();
    void countChanged();

private:
    struct Row
    {
        QString label;
        QString detail;
        QString replacement;
    };

    QList<Row> memberRows(const QString &query) const;
    QList<Row> channelRows(const QString &query) const;
    static QList<Row> emojiRows(const QString &query);
    void setRows(Kind kind, int start, int end, QList<Row> rows);
    void follow(QAbstractItemModel *model);

    QString m_text; //!< the last update()'s: a source that changes completes again
    int m_cursor = 0;
    QPointer<QAbstractItemModel> m_members;
    QPointer<QAbstractItemModel> m_rooms;
    QPointer<QAbstractItemModel> m_directory;
    QList<Row> m_rows;
    Kind m_kind = None;
    int m_start = -1;
    int m_end = -1;
    int m_dismissedAt = -1; //!< the trigger position Escape was pressed on
};

} // namespace confab::client
