// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace confab::client {

/*!
 * \brief Every emoji the picker and the `:` completion offer, with Unicode's names and
 * groups, from the table built out of Unicode's emoji-test.txt at build time
 * (tools/emoji/emojitable.py, resource :/Confab/emoji/emoji.txt). Loaded once, on first
 * use, so the app's start does not pay for it.
 */
class EmojiTable
{
public:
    struct Emoji
    {
        QString key; //!< the emoji itself, fully qualified
        QString name; //!< Unicode's name, e.g. "thumbs up"
        int group = 0; //!< index into groups()
    };

    /*! \brief The table; loaded on the first call (thread-safe). */
    static const EmojiTable &instance();

    const QList<Emoji> &emoji() const { return m_emoji; }
    const QStringList &groups() const { return m_groups; }
    /*! \brief Position of \a key in emoji(), or -1. */
    int indexOf(const QString &key) const { return m_index.value(key, -1); }

    /*! \brief A typed query as the table compares it: lower case, without the `:` of
     * `:thumbs:` around it, `_` as a space. */
    static QString normalizedQuery(const QString &query);
    /*! \brief Positions of the emoji whose name contains \a normalized (see
     * normalizedQuery()): names with a word starting with it first, then Unicode's order.
     * At most \a limit (all when negative). */
    QList<int> match(const QString &normalized, int limit = -1) const;

private:
    EmojiTable();

    QList<Emoji> m_emoji;
    QStringList m_names; //!< lower-case names, parallel to m_emoji
    QStringList m_groups;
    QHash<QString, int> m_index;
};

} // namespace confab::client
