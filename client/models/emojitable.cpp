// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/emojitable.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcClientEmoji, "confab.client.emoji", QtInfoMsg)

namespace confab::client {

const EmojiTable &EmojiTable::instance()
{
    static const EmojiTable table;
    return table;
}

EmojiTable::EmojiTable()
{
    QElapsedTimer clock;
    clock.start();
    QFile file(u":/Confab/emoji/emoji.txt"_s);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcClientEmoji) << "the emoji table is missing from the resources";
        return;
    }
    const QString text = QString::fromUtf8(file.readAll());
    m_emoji.reserve(2000);
    for (const QStringView line : QStringView(text).split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(u'=')) {
            m_groups.append(line.mid(1).toString());
            continue;
        }
        const qsizetype tab = line.indexOf(u'\t');
        if (tab <= 0 || m_groups.isEmpty())
            continue;
        Emoji e {line.left(tab).toString(), line.mid(tab + 1).toString(), int(m_groups.size() - 1)};
        m_index.insert(e.key, int(m_emoji.size()));
        m_names.append(e.name.toLower());
        m_emoji.append(std::move(e));
    }
    qCDebug(lcClientEmoji) << "loaded" << m_emoji.size() << "emoji in" << m_groups.size()
                           << "groups in" << clock.nsecsElapsed() / 1000 << "µs";
}

QString EmojiTable::normalizedQuery(const QString &query)
{
    QString q = query.trimmed().toLower();
    while (q.startsWith(u':'))
        q.remove(0, 1);
    while (q.endsWith(u':'))
        q.chop(1);
    q.replace(u'_', u' ');
    return q.trimmed();
}

QList<int> EmojiTable::match(const QString &normalized, int limit) const
{
    QList<int> wordStart;
    QList<int> inside;
    if (normalized.isEmpty())
        return wordStart;
    for (int i = 0; i < m_names.size(); ++i) {
        const QString &name = m_names.at(i);
        const qsizetype at = name.indexOf(normalized);
        if (at < 0)
            continue;
        // "up" should find "thumbs up" before "cupcake".
        bool atWord = at == 0 || !name.at(at - 1).isLetterOrNumber();
        for (qsizetype from = at; !atWord;) {
            from = name.indexOf(normalized, from + 1);
            if (from < 0)
                break;
            atWord = !name.at(from - 1).isLetterOrNumber();
        }
        (atWord ? wordStart : inside).append(i);
        if (limit >= 0 && wordStart.size() >= limit)
            break;
    }
    wordStart.append(inside);
    if (limit >= 0 && wordStart.size() > limit)
        wordStart.resize(limit);
    return wordStart;
}

} // namespace confab::client
