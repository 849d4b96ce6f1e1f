// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Deleting files (protocol §16.6): those no message has referenced for a day, and
 * those the operator removes, with their attachments and the blobs nothing else uses. The
 * rows go in the caller's transaction; the blob files on disk only after it committed.
 */
namespace filecollection {

/*! \brief How long a finished file may stay without a message that has it. */
inline constexpr qint64 UnreferencedLifetimeMs = 24 * 60 * 60 * 1000;

/*! \brief At most \a limit files unreferenced since before \a cutoffMs (the partial index). */
std::optional<QList<qint64>> unreferencedSince(WriteContext &ctx, qint64 cutoffMs, int limit);

/*!
 * \brief Deletes \a fileIds: their attachments (messages keep their text), the finished
 * uploads that name them, the files, then the blobs (file or thumbnail) no remaining file
 * uses. Returns those blobs' SHA-256s, whose files the caller removes after the commit.
 */
std::optional<QStringList> removeFiles(WriteContext &ctx, const QList<qint64> &fileIds);

/*! \brief Those of \a sha256s that have no row: safe to remove from disk. */
QStringList unrecordedBlobs(StatementCache &db, const QStringList &sha256s);
QStringList unrecordedBlobs(WriteContext &ctx, const QStringList &sha256s);

/*! \brief One row of `confabd files list`. */
struct Listing
{
    qint64 id = 0;
    QString name;
    qint64 size = 0;
    QString type;
    QString uploader;
    qint64 createdMs = 0;
    qint64 unreferencedMs = 0; //!< 0 while a message has it
    int messages = 0; //!< unredacted messages that have it
};

/*! \brief Files of at least \a minSize bytes (of \a uploaderId, unless 0), largest first. */
QList<Listing> list(StatementCache &db, qint64 minSize, qint64 uploaderId);
/*! \brief The row of file \a fileId, if it exists. */
std::optional<Listing> listing(StatementCache &db, qint64 fileId);

/*! \brief One row of `confabd files usage`. */
struct Usage
{
    QString user;
    int files = 0;
    qint64 fileBytes = 0; //!< the sizes of their files (what the quota counts)
    int uploads = 0; //!< unfinished uploads
    qint64 uploadBytes = 0; //!< their declared sizes (the quota counts them too)
};

/*! \brief Every user with files or unfinished uploads, most bytes first. */
QList<Usage> usage(StatementCache &db);

} // namespace filecollection
} // namespace confab::server
