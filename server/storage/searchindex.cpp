// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/searchindex.h"

#include "core/logging.h"
#include "storage/postgres/pgsearchtext.h"
#include "storage/writecontext.h"

using namespace Qt::StringLiterals;

namespace confab::server::searchindex {

bool add(WriteContext &ctx, qint64 eventId, const QString &text)
{
    if (ctx.dialect() == SqlDialect::PostgreSQL) {
        WriteStatement &q = ctx.statement("UPDATE events SET search_words = "
                                          "to_tsvector('simple', ?), search_text = ? WHERE id = ?");
        if (!q.exec(postgres::searchtext::indexedWords(text), postgres::searchtext::fold(text),
                eventId)) {
            qCWarning(lcStorage) << "query failed:" << q.errorText();
            return false;
        }
        return true;
    }
    // Per message: through the C API.
    WriteStatement &words = ctx.statement("INSERT INTO search_words(rowid, body) VALUES(?, ?)");
    if (!words.exec(eventId, text)) {
        qCWarning(lcStorage) << "query failed:" << words.errorText();
        return false;
    }
    if (!usesTrigrams(text))
        return true;
    WriteStatement &trigrams
        = ctx.statement("INSERT INTO search_trigrams(rowid, body) VALUES(?, ?)");
    if (!trigrams.exec(eventId, text)) {
        qCWarning(lcStorage) << "query failed:" << trigrams.errorText();
        return false;
    }
    return true;
}

bool remove(WriteContext &ctx, qint64 eventId, const QString &oldText)
{
    if (ctx.dialect() == SqlDialect::PostgreSQL)
        return ctx.run(u"UPDATE events SET search_words = NULL, search_text = NULL WHERE id = ?"_s,
                   {eventId})
            != nullptr;
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
