// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/filestore.h"

#include "storage/statementcache.h"
#include "storage/writecontext.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace confab::server::filestore {

namespace {

// A null QString binds as SQL NULL; these columns hold '' for "none".
QString orEmpty(const QString &s)
{
    return s.isNull() ? u""_s : s;
}

const QString UploadColumns = u"SELECT id, user_id, name, size, sha256, durable, created_ms, "
                              u"touched_ms, coalesce(file_id, 0) FROM uploads "_s;

const QString FileColumns
    = u"SELECT id, blob, name, size, type, uploader_id, width, height, thumbnail_blob, "
      u"thumbnail_size, thumbnail_type, thumbnail_width, thumbnail_height, created_ms, "
      u"coalesce(unreferenced_ms, 0) FROM files "_s;

UploadRecord readUpload(const QSqlQuery &q)
{
    UploadRecord u;
    u.id = q.value(0).toLongLong();
    u.userId = q.value(1).toLongLong();
    u.name = q.value(2).toString();
    u.size = q.value(3).toLongLong();
    u.sha256 = q.value(4).toString();
    u.durable = q.value(5).toLongLong();
    u.createdMs = q.value(6).toLongLong();
    u.touchedMs = q.value(7).toLongLong();
    u.fileId = q.value(8).toLongLong();
    return u;
}

// Columns from `offset` on, in FileColumns' order.
FileRecord readFile(const QSqlQuery &q, int offset = 0)
{
    FileRecord f;
    f.info.id = q.value(offset + 0).toLongLong();
    f.info.sha256 = q.value(offset + 1).toString();
    f.info.name = q.value(offset + 2).toString();
    f.info.size = q.value(offset + 3).toLongLong();
    f.info.type = q.value(offset + 4).toString();
    f.uploaderId = q.value(offset + 5).toLongLong();
    f.info.width = q.value(offset + 6).toInt();
    f.info.height = q.value(offset + 7).toInt();
    f.thumbnailSha256 = q.value(offset + 8).toString();
    if (!f.thumbnailSha256.isEmpty()) {
        f.info.thumbnail
            = protocol::Thumbnail {q.value(offset + 11).toInt(), q.value(offset + 12).toInt(),
                q.value(offset + 9).toLongLong(), q.value(offset + 10).toString()};
    }
    f.createdMs = q.value(offset + 13).toLongLong();
    f.unreferencedMs = q.value(offset + 14).toLongLong();
    return f;
}

template<typename Db> std::optional<UploadRecord> uploadFrom(Db &db, qint64 uploadId)
{
    QSqlQuery *q = db.run(UploadColumns + u"WHERE id = ?"_s, {uploadId});
    if (!q || !q->next())
        return std::nullopt;
    UploadRecord u = readUpload(*q);
    q->finish();
    return u;
}

template<typename Db> std::optional<FileRecord> fileFrom(Db &db, qint64 fileId)
{
    QSqlQuery *q = db.run(FileColumns + u"WHERE id = ?"_s, {fileId});
    if (!q || !q->next())
        return std::nullopt;
    FileRecord f = readFile(*q);
    q->finish();
    return f;
}

template<typename Db>
bool canReadFrom(Db &db, qint64 userId, qint64 fileId, bool *ok, bool asAvatar = true)
{
    // The uploader, or a current member of a room where an unredacted message has it, or
    // anyone signed in while it is someone's avatar (§16.3, §18.2).
    const QString avatar = u" OR EXISTS(SELECT 1 FROM users WHERE avatar_file = ?)"_s;
    QVariantList binds {fileId, userId, userId, fileId};
    if (asAvatar)
        binds.append(fileId);
    QSqlQuery *q = db.run(u"SELECT EXISTS(SELECT 1 FROM files WHERE id = ? AND uploader_id = ?) "
                          u"OR EXISTS(SELECT 1 FROM attachments a "
                          u"JOIN events e ON e.id = a.event_id AND e.redacted = 0 "
                          u"JOIN members m ON m.room_id = e.room_id AND m.user_id = ? "
                          u"WHERE a.file_id = ?)"_s
            + (asAvatar ? avatar : QString()),
        binds);
    if (ok)
        *ok = q != nullptr;
    if (!q || !q->next())
        return false;
    const bool readable = q->value(0).toBool();
    q->finish();
    return readable;
}

} // namespace

bool insertUpload(WriteContext &ctx, UploadRecord &upload)
{
    QSqlQuery *q = ctx.run(u"INSERT INTO uploads(user_id, name, size, sha256, durable, "
                           u"created_ms, touched_ms) VALUES(?, ?, ?, ?, 0, ?, ?) RETURNING id"_s,
        {upload.userId, upload.name, upload.size, orEmpty(upload.sha256), upload.createdMs,
            upload.touchedMs});
    if (!q || !q->next())
        return false;
    upload.id = q->value(0).toLongLong();
    q->finish();
    return true;
}

std::optional<UploadRecord> upload(StatementCache &db, qint64 uploadId)
{
    return uploadFrom(db, uploadId);
}

std::optional<UploadRecord> upload(WriteContext &ctx, qint64 uploadId)
{
    return uploadFrom(ctx, uploadId);
}

QList<UploadRecord> unfinishedUploads(StatementCache &db)
{
    QList<UploadRecord> uploads;
    QSqlQuery *q = db.run(UploadColumns + u"WHERE file_id IS NULL"_s);
    while (q && q->next())
        uploads.append(readUpload(*q));
    return uploads;
}

bool setDurable(WriteContext &ctx, qint64 uploadId, qint64 durable, qint64 nowMs)
{
    // Never backwards: a late batch of an older offset changes nothing.
    return ctx.run(u"UPDATE uploads SET durable = max(durable, ?), touched_ms = ? WHERE id = ?"_s,
               {durable, nowMs, uploadId})
        != nullptr;
}

bool touchUpload(WriteContext &ctx, qint64 uploadId, qint64 nowMs)
{
    return ctx.run(u"UPDATE uploads SET touched_ms = ? WHERE id = ?"_s, {nowMs, uploadId})
        != nullptr;
}

bool deleteUpload(WriteContext &ctx, qint64 uploadId)
{
    return ctx.run(u"DELETE FROM uploads WHERE id = ?"_s, {uploadId}) != nullptr;
}

std::optional<ExpiredUploads> deleteExpiredUploads(WriteContext &ctx, qint64 cutoffMs, int limit)
{
    QSqlQuery *q = ctx.run(u"SELECT id, file_id IS NULL FROM uploads WHERE touched_ms < ? "
                           u"ORDER BY touched_ms LIMIT ?"_s,
        {cutoffMs, limit});
    if (!q)
        return std::nullopt;
    QList<qint64> all;
    ExpiredUploads expired;
    while (q->next()) {
        all.append(q->value(0).toLongLong());
        if (q->value(1).toBool())
            expired.unfinished.append(all.constLast());
    }
    for (qint64 id : std::as_const(all)) {
        if (!deleteUpload(ctx, id))
            return std::nullopt;
    }
    expired.deleted = all.size();
    return expired;
}

FileUsage usage(WriteContext &ctx, qint64 userId)
{
    FileUsage u;
    QSqlQuery *q = ctx.run(
        u"SELECT (SELECT coalesce(sum(size), 0) FROM files WHERE uploader_id = ?) + "
        u"(SELECT coalesce(sum(size), 0) FROM uploads WHERE user_id = ? AND file_id IS NULL), "
        u"(SELECT count(*) FROM uploads WHERE user_id = ? AND file_id IS NULL)"_s,
        {userId, userId, userId});
    if (q && q->next()) {
        u.usedBytes = q->value(0).toLongLong();
        u.uploadsInFlight = q->value(1).toInt();
        q->finish();
    }
    return u;
}

bool insertBlob(WriteContext &ctx, const QString &sha256, qint64 size)
{
    return ctx.run(u"INSERT OR IGNORE INTO blobs(sha256, size, created_ms) VALUES(?, ?, ?)"_s,
               {sha256, size, ctx.now()})
        != nullptr;
}

bool insertFile(WriteContext &ctx, FileRecord &file, qint64 uploadId)
{
    const protocol::FileInfo &i = file.info;
    const protocol::Thumbnail thumb = i.thumbnail.value_or(protocol::Thumbnail {});
    QSqlQuery *q = ctx.run(
        u"INSERT INTO files(blob, name, size, type, uploader_id, width, height, "
        u"thumbnail_blob, thumbnail_size, thumbnail_type, thumbnail_width, thumbnail_height, "
        u"created_ms, unreferenced_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        u"RETURNING id"_s,
        {i.sha256, i.name, i.size, i.type, file.uploaderId, i.width, i.height,
            file.thumbnailSha256.isEmpty() ? QVariant() : QVariant(file.thumbnailSha256),
            thumb.size, orEmpty(thumb.type), thumb.width, thumb.height, file.createdMs,
            // Unreferenced from the start: a file nobody attaches is collected (§16.6).
            file.createdMs});
    if (!q || !q->next())
        return false;
    file.info.id = q->value(0).toLongLong();
    q->finish();
    file.unreferencedMs = file.createdMs;
    return ctx.run(u"UPDATE uploads SET file_id = ?, durable = size, touched_ms = ? WHERE id = ?"_s,
               {file.info.id, ctx.now(), uploadId})
        != nullptr;
}

std::optional<FileRecord> file(StatementCache &db, qint64 fileId)
{
    return fileFrom(db, fileId);
}

std::optional<FileRecord> file(WriteContext &ctx, qint64 fileId)
{
    return fileFrom(ctx, fileId);
}

bool canRead(StatementCache &db, qint64 userId, qint64 fileId, bool *ok)
{
    return canReadFrom(db, userId, fileId, ok);
}

bool canRead(WriteContext &ctx, qint64 userId, qint64 fileId, bool *ok)
{
    return canReadFrom(ctx, userId, fileId, ok);
}

bool canAttach(WriteContext &ctx, qint64 userId, qint64 fileId, bool *ok)
{
    // Being someone's avatar lets everyone see a file, not share it: attached to a message
    // it would outlive the avatar in the room's log (§16.3).
    return canReadFrom(ctx, userId, fileId, ok, false);
}

bool insertAttachments(WriteContext &ctx, qint64 eventId, const QList<qint64> &fileIds)
{
    for (qsizetype i = 0; i < fileIds.size(); ++i) {
        if (!ctx.run(u"INSERT INTO attachments(event_id, position, file_id) VALUES(?, ?, ?)"_s,
                {eventId, i, fileIds.at(i)})
            || !ctx.run(u"UPDATE files SET unreferenced_ms = NULL WHERE id = ?"_s, {fileIds.at(i)}))
            return false;
    }
    return true;
}

bool messageRedacted(WriteContext &ctx, qint64 eventId, qint64 nowMs)
{
    // Runs after the message's row says redacted, so it no longer counts as a reference.
    return ctx.run(u"UPDATE files SET unreferenced_ms = ? WHERE unreferenced_ms IS NULL "
                   u"AND id IN (SELECT file_id FROM attachments WHERE event_id = ?) "
                   u"AND NOT EXISTS(SELECT 1 FROM attachments a JOIN events e "
                   u"ON e.id = a.event_id AND e.redacted = 0 WHERE a.file_id = files.id) "
                   // An avatar stays referenced by its profile (§18.2).
                   u"AND NOT EXISTS(SELECT 1 FROM users WHERE avatar_file = files.id)"_s,
               {nowMs, eventId})
        != nullptr;
}

void attachFiles(StatementCache &db, QList<protocol::RoomEvent> &events)
{
    QJsonArray wanted;
    QHash<qint64, qsizetype> index;
    for (qsizetype i = 0; i < events.size(); ++i) {
        protocol::RoomEvent &e = events[i];
        if (e.kind != protocol::EventKind::Message)
            continue;
        // A redacted message shows no files (§7.1), and none are read for it.
        e.attachments.clear();
        if (e.state.redacted)
            continue;
        wanted.append(double(e.id));
        index.insert(e.id, i);
    }
    if (wanted.isEmpty())
        return;
    QSqlQuery *q = db.run(u"SELECT a.event_id, f.id, f.blob, f.name, f.size, f.type, "
                          u"f.uploader_id, f.width, f.height, f.thumbnail_blob, f.thumbnail_size, "
                          u"f.thumbnail_type, f.thumbnail_width, f.thumbnail_height, "
                          u"f.created_ms, coalesce(f.unreferenced_ms, 0) FROM json_each(?) j "
                          u"JOIN attachments a ON a.event_id = CAST(j.value AS BIGINT) "
                          u"JOIN files f ON f.id = a.file_id ORDER BY a.event_id, a.position"_s,
        {QString::fromUtf8(QJsonDocument(wanted).toJson(QJsonDocument::Compact))});
    while (q && q->next()) {
        const auto found = index.constFind(q->value(0).toLongLong());
        if (found != index.cend())
            events[*found].attachments.append(readFile(*q, 1).info);
    }
}

} // namespace confab::server::filestore
