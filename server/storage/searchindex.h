// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/searchscripts.h"

#include <QString>

namespace confab::server {

class WriteContext;

/*!
 * \brief Keeps the two full-text indexes (search_words, search_trigrams; schema version 2)
 * in step with messages' current text, inside the transaction that changes it.
 *
 * Both are FTS5 external-content tables over events.body: FTS5 cannot tell what an
 * external row held before it changed, so a removal passes the text being removed, and a
 * text leaves the trigram index only if usesTrigrams() put it there.
 */
namespace searchindex {

bool add(WriteContext &ctx, qint64 eventId, const QString &text);
/*! \brief Removes \a oldText of \a eventId from both indexes. */
bool remove(WriteContext &ctx, qint64 eventId, const QString &oldText);
bool replace(WriteContext &ctx, qint64 eventId, const QString &oldText, const QString &newText);

} // namespace searchindex
} // namespace confab::server
