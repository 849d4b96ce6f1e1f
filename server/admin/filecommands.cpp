// SPDX-License-Identifier: GPL-3.0-or-later
#include "admin/filecommands.h"

#include "core/logging.h"
#include "storage/accountstore.h"
#include "storage/blobstore.h"
#include "storage/filecollection.h"
#include "storage/statementcache.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace confab::server::admin {

namespace {

enum Exit
{
    Ok = 0,
    Failed = 1,
    Usage = 2,
};

const char *const UsageText = "usage: files list [--min-size BYTES] [--user NAME]\n"
                              "       files usage\n"
                              "       files remove ID";

QString when(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

int listFiles(const QStringList &a, StatementCache &reads, QTextStream &out, QTextStream &err)
{
    qint64 minSize = 0;
    qint64 uploader = 0;
    for (qsizetype i = 0; i < a.size(); i += 2) {
        bool ok = i + 1 < a.size();
        if (ok && a[i] == "--min-size"_L1) {
            minSize = a[i + 1].toLongLong(&ok);
            ok = ok && minSize >= 0;
        } else if (ok && a[i] == "--user"_L1) {
            // A deleted account's files stay while messages have them (§18.1): still listed.
            const auto user = accountstore::anyUserByName(reads, a[i + 1]);
            if (!user) {
                err << "no user named " << a[i + 1] << Qt::endl;
                return Failed;
            }
            if (user->deleted)
                err << "note: " << user->name << " deleted their account" << Qt::endl;
            uploader = user->id;
        } else {
            ok = false;
        }
        if (!ok) {
            err << UsageText << Qt::endl;
            return Usage;
        }
    }
    out << "id\tbytes\ttype\tuploader\tuploaded\tmessages\tname" << Qt::endl;
    for (const auto &f : filecollection::list(reads, minSize, uploader)) {
        // A file no message has says since when, so the operator knows the collector's due.
        const QString messages = f.unreferencedMs > 0
            ? u"none since %1"_s.arg(when(f.unreferencedMs))
            : QString::number(f.messages);
        out << f.id << '\t' << f.size << '\t' << f.type << '\t' << f.uploader << '\t'
            << when(f.createdMs) << '\t' << messages << '\t' << f.name << Qt::endl;
    }
    return Ok;
}

int showUsage(const QStringList &a, StatementCache &reads, QTextStream &out, QTextStream &err)
{
    if (!a.isEmpty()) {
        err << UsageText << Qt::endl;
        return Usage;
    }
    out << "user\tfiles\tbytes\tuploads\tupload bytes\ttotal" << Qt::endl;
    for (const auto &u : filecollection::usage(reads)) {
        out << u.user << '\t' << u.files << '\t' << u.fileBytes << '\t' << u.uploads << '\t'
            << u.uploadBytes << '\t' << u.fileBytes + u.uploadBytes << Qt::endl;
    }
    return Ok;
}

int removeFile(const ServerConfig &config, const QStringList &a, WriteContext &ctx,
    StatementCache &reads, QTextStream &out, QTextStream &err, std::function<void()> *afterCommit)
{
    bool ok = a.size() == 1;
    const qint64 id = ok ? a[0].toLongLong(&ok) : 0;
    if (!ok || id <= 0) {
        err << UsageText << Qt::endl;
        return Usage;
    }
    const auto file = filecollection::listing(reads, id);
    if (!file) {
        err << "no file with id " << id << Qt::endl;
        return Failed;
    }
    const auto orphans = filecollection::removeFiles(ctx, {id});
    if (!orphans)
        return Failed;
    out << "removed file " << id << " (" << file->name << ", " << file->size
        << " bytes); messages that had it keep their text" << Qt::endl;
    // The bytes go once the rows are gone for good; a blob some other file shares stays.
    *afterCommit = [root = config.filesPath(), blobs = *orphans, &reads] {
        BlobStore store(root);
        for (const QString &sha : filecollection::unrecordedBlobs(reads, blobs)) {
            if (!store.remove(sha))
                qCWarning(lcAdmin) << "could not remove blob" << sha;
        }
    };
    return Ok;
}

} // namespace

int filesCommand(const ServerConfig &config, const QStringList &args, WriteContext &ctx,
    StatementCache &reads, QTextStream &out, QTextStream &err, std::function<void()> *afterCommit)
{
    const QString sub = args.value(0);
    const QStringList rest = args.mid(1);
    if (sub == "list"_L1)
        return listFiles(rest, reads, out, err);
    if (sub == "usage"_L1)
        return showUsage(rest, reads, out, err);
    if (sub == "remove"_L1)
        return removeFile(config, rest, ctx, reads, out, err, afterCommit);
    err << UsageText << Qt::endl;
    return Usage;
}

} // namespace confab::server::admin
