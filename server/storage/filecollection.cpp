// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/filecollection.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace confab::server::filecollection {

namespace {

template<typename List> QString jsonList(const List &values)
{
    QJsonArray array;
    for (const auto &v : values) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, QString>)
            array.append(v);
        else
            array.append(double(v));
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

template<typename Db> QStringList unrecordedIn(Db &db, const QStringList &sha256s)
{
    if (sha256s.isEmpty())
        return {};
    QSqlQuery *q = db.run(u"SELECT j.value FROM json_each(?) j "
                          u"WHERE NOT EXISTS(SELECT 1 FROM blobs b WHERE b.sha256 = j.value)"_s,
        {jsonList(sha256s)});
    QStringList unrecorded;
    while (q && q->next())
        unrecorded.append(q->value(0).toString());
    return unrecorded;
}

} // namespace

std::optional<QList<qint64>> unreferencedSince(WriteContext &ctx, qint64 cutoffMs, int limit)
{
    QSqlQuery *q = ctx.run(u"SELECT id FROM files WHERE unreferenced_ms IS NOT NULL "
                           u"AND unreferenced_ms < ? ORDER BY unreferenced_ms LIMIT ?"_s,
        {cutoffMs, limit});
    if (!q)
        return std::nullopt;
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

std::optional<QStringList> removeFiles(WriteContext &ctx, const QList<qint64> &fileIds)
{
    if (fileIds.isEmpty())
        return QStringList();
    const QString ids = jsonList(fileIds);
    // The blobs these files use, before their rows go.
    QSqlQuery *q = ctx.run(
        u"SELECT blob FROM files WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) "
        u"UNION SELECT thumbnail_blob FROM files WHERE thumbnail_blob IS NOT NULL "
        u"AND id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))"_s,
        {ids, ids});
    if (!q)
        return std::nullopt;
    QStringList candidates;
    while (q->next())
        candidates.append(q->value(0).toString());
    // Referencing rows first: the foreign keys are enforced.
    const QString inIds = u"IN (SELECT CAST(value AS BIGINT) FROM json_each(?))"_s;
    if (!ctx.run(u"DELETE FROM attachments WHERE file_id "_s + inIds, {ids})
        || !ctx.run(u"DELETE FROM uploads WHERE file_id "_s + inIds, {ids})
        || !ctx.run(u"DELETE FROM files WHERE id "_s + inIds, {ids}))
        return std::nullopt;
    q = ctx.run(u"SELECT j.value FROM json_each(?) j "
                u"WHERE NOT EXISTS(SELECT 1 FROM files f WHERE f.blob = j.value) "
                u"AND NOT EXISTS(SELECT 1 FROM files f WHERE f.thumbnail_blob = j.value)"_s,
        {jsonList(candidates)});
    if (!q)
        return std::nullopt;
    QStringList orphans;
    while (q->next())
        orphans.append(q->value(0).toString());
    if (!orphans.isEmpty()
        && !ctx.run(u"DELETE FROM blobs WHERE sha256 IN (SELECT value FROM json_each(?))"_s,
            {jsonList(orphans)}))
        return std::nullopt;
    return orphans;
}

QStringList unrecordedBlobs(StatementCache &db, const QStringList &sha256s)
{
    return unrecordedIn(db, sha256s);
}

QStringList unrecordedBlobs(WriteContext &ctx, const QStringList &sha256s)
{
    return unrecordedIn(ctx, sha256s);
}

namespace {

QList<Listing> listWhere(StatementCache &db, const QString &where, const QVariantList &values)
{
    QSqlQuery *q = db.run(u"SELECT f.id, f.name, f.size, f.type, u.name, f.created_ms, "
                          u"coalesce(f.unreferenced_ms, 0), "
                          u"(SELECT count(*) FROM attachments a JOIN events e ON e.id = a.event_id "
                          u"AND e.redacted = 0 WHERE a.file_id = f.id) "
                          u"FROM files f JOIN users u ON u.id = f.uploader_id WHERE "_s
            + where,
        values);
    QList<Listing> rows;
    while (q && q->next()) {
        rows.append({q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toLongLong(),
            q->value(3).toString(), q->value(4).toString(), q->value(5).toLongLong(),
            q->value(6).toLongLong(), q->value(7).toInt()});
    }
    return rows;
}

} // namespace

QList<Listing> list(StatementCache &db, qint64 minSize, qint64 uploaderId)
{
    return listWhere(db,
        u"f.size >= ? AND (CAST(? AS BIGINT) = 0 OR f.uploader_id = ?) ORDER BY f.size DESC, f.id"_s,
        {minSize, uploaderId, uploaderId});
}

std::optional<Listing> listing(StatementCache &db, qint64 fileId)
{
    const QList<Listing> rows = listWhere(db, u"f.id = ?"_s, {fileId});
    return rows.isEmpty() ? std::nullopt : std::optional<Listing>(rows.first());
}

QList<Usage> usage(StatementCache &db)
{
    QSqlQuery *q = db.run(u"SELECT u.name, coalesce(f.n, 0), coalesce(f.bytes, 0), coalesce(p.n, "
                          u"0), coalesce(p.bytes, 0) "
                          u"FROM users u "
                          u"LEFT JOIN (SELECT uploader_id, count(*) n, sum(size) bytes FROM files "
                          u"GROUP BY uploader_id) f ON f.uploader_id = u.id "
                          u"LEFT JOIN (SELECT user_id, count(*) n, sum(size) bytes FROM uploads "
                          u"WHERE file_id IS NULL GROUP BY user_id) p ON p.user_id = u.id "
                          u"WHERE f.n IS NOT NULL OR p.n IS NOT NULL "
                          u"ORDER BY coalesce(f.bytes, 0) + coalesce(p.bytes, 0) DESC, u.name"_s);
    QList<Usage> rows;
    while (q && q->next()) {
        rows.append({q->value(0).toString(), q->value(1).toInt(), q->value(2).toLongLong(),
            q->value(3).toInt(), q->value(4).toLongLong()});
    }
    return rows;
}

} // namespace confab::server::filecollection
