// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/fileinfo.h"
#include "protocol/roomevent.h"

#include <QList>
#include <QString>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*! \brief An upload's row (protocol §16.1): unfinished while fileId is 0. */
struct UploadRecord
{
    qint64 id = 0;
    qint64 userId = 0;
    QString name;
    qint64 size = 0;
    QString sha256; //!< what upload_begin declared; empty when nothing was
    qint64 durable = 0; //!< bytes [0, durable) are on disk for good
    qint64 createdMs = 0;
    qint64 touchedMs = 0;
    qint64 fileId = 0; //!< the file upload_finish made; 0 while unfinished
};

/*! \brief A stored file's row: what protocol::FileInfo shows, and whose it is. */
struct FileRecord
{
    protocol::FileInfo info; //!< info.sha256 is the blob's
    qint64 uploaderId = 0;
    QString thumbnailSha256; //!< the thumbnail's blob; empty when none
    qint64 createdMs = 0;
    qint64 unreferencedMs = 0; //!< since when no unredacted message has it; 0 while one has
};

/*! \brief What a user's files and unfinished uploads take (§16.6). */
struct FileUsage
{
    qint64 usedBytes = 0; //!< sizes of their files plus declared sizes of unfinished uploads
    int uploadsInFlight = 0;
};

/*!
 * \brief Rows of uploads, files, blobs and attachments (schema version 3). The bytes are in
 * the BlobStore (storage/blobstore.h). Functions taking a WriteContext run on the writer
 * thread inside its transaction; those taking a StatementCache read on any one connection.
 */
namespace filestore {

bool insertUpload(WriteContext &ctx, UploadRecord &upload);
std::optional<UploadRecord> upload(StatementCache &db, qint64 uploadId);
std::optional<UploadRecord> upload(WriteContext &ctx, qint64 uploadId);
/*! \brief Every unfinished upload, for the start-up truncation to the durable offset. */
QList<UploadRecord> unfinishedUploads(StatementCache &db);
bool setDurable(WriteContext &ctx, qint64 uploadId, qint64 durable, qint64 nowMs);
bool touchUpload(WriteContext &ctx, qint64 uploadId, qint64 nowMs);
bool deleteUpload(WriteContext &ctx, qint64 uploadId);
struct ExpiredUploads
{
    qsizetype deleted = 0; //!< rows deleted, finished or not
    QList<qint64> unfinished; //!< whose temporary files the caller removes after the commit
};
/*!
 * \brief Deletes at most \a limit uploads untouched since before \a cutoffMs (finished ones
 * too: only their rows go, their files stay). Uses the touched index.
 */
std::optional<ExpiredUploads> deleteExpiredUploads(WriteContext &ctx, qint64 cutoffMs, int limit);

FileUsage usage(WriteContext &ctx, qint64 userId);

/*! \brief Records a blob once (dedup): a second insert of the same bytes changes nothing. */
bool insertBlob(WriteContext &ctx, const QString &sha256, qint64 size);
/*! \brief Inserts \a file (info.id is assigned) and marks \a uploadId finished with it. */
bool insertFile(WriteContext &ctx, FileRecord &file, qint64 uploadId);
std::optional<FileRecord> file(StatementCache &db, qint64 fileId);
std::optional<FileRecord> file(WriteContext &ctx, qint64 fileId);

/*!
 * \brief Whether \a userId may read \a fileId (§16.3): its uploader, or a current member of
 * a room with an unredacted message that has it. False as well for a file that does not
 * exist (outsiders cannot tell the two apart).
 */
bool canRead(StatementCache &db, qint64 userId, qint64 fileId, bool *ok = nullptr);
bool canRead(WriteContext &ctx, qint64 userId, qint64 fileId, bool *ok = nullptr);
/*!
 * \brief Whether \a userId may attach \a fileId to a message (§16.3): as canRead(), except
 * that someone else's avatar does not count.
 */
bool canAttach(WriteContext &ctx, qint64 userId, qint64 fileId, bool *ok = nullptr);

/*! \brief Attaches \a fileIds to message \a eventId in order; they are referenced from now. */
bool insertAttachments(WriteContext &ctx, qint64 eventId, const QList<qint64> &fileIds);
/*!
 * \brief After message \a eventId was redacted: its files that no other unredacted message
 * has are unreferenced from \a nowMs on (the collector deletes them later, §16.6).
 */
bool messageRedacted(WriteContext &ctx, qint64 eventId, qint64 nowMs);

/*!
 * \brief Fills the attachments of every unredacted message in \a events (of any rooms) from
 * storage, in one query. Call it on every message read from storage before it is sent.
 */
void attachFiles(StatementCache &db, QList<protocol::RoomEvent> &events);

} // namespace filestore
} // namespace confab::server
