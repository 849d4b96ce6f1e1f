// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/searchindex.h"

#include "storage/writecontext.h"

using namespace Qt::StringLiterals;

namespace confab::server::searchindex {

bool add(WriteContext &ctx, qint64 eventId, const QString &text)
{
    return ctx.run(u"INSERT INTO search_words(rowid, body) VALUES(?, ?)"_s, {eventId, text})
        && (!usesTrigrams(text)
            || ctx.run(
                u"INSERT INTO search_trigrams(rowid, body) VALUES(?, ?)"_s, {eventId, text}));
}

bool remove(WriteContext &ctx, qint64 eventId, const QString &oldText)
{
    return ctx.run(u"INSERT INTO search_words(search_words, rowid, body) VALUES('delete', ?, ?)"_s,
               {eventId, oldText})
        && (!usesTrigrams(oldText)
            || ctx.run(u"INSERT INTO search_trigrams(search_trigrams, rowid, body) "
                       u"VALUES('delete', ?, ?)"_s,
                {eventId, oldText}));
}

bool replace(WriteContext &ctx, qint64 eventId, const QString &oldText, const QString &newText)
{
    return remove(ctx, eventId, oldText) && add(ctx, eventId, newText);
}

} // namespace confab::server::searchindex
