// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineModel, part three: files attached to messages (§16), while they upload and once
// they are stored. Rows and their order are in timelinemodel.cpp, the derived roles in
// timelinederived.cpp.
#include "files/attachmentview.h"
#include "models/timelinemodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using confab::protocol::EventKind;
using confab::protocol::RoomEvent;

namespace confab::client {

void TimelineModel::setUploadProgress(const QString &txn, double progress)
{
    if (progress < 0)
        m_uploadProgress.remove(txn);
    else
        m_uploadProgress.insert(txn, progress);
    const int row = pendingRow(txn);
    if (row < 0)
        return;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {UploadProgressRole});
}

void TimelineModel::fileStatusChanged(qint64 fileId)
{
    for (int row = 0; row < m_storedCount; ++row) {
        const auto &files = m_rows[size_t(row)].attachments;
        if (std::any_of(files.cbegin(), files.cend(),
                [fileId](const protocol::FileInfo &f) { return f.id == fileId; })) {
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed, {AttachmentsRole});
        }
    }
}

QVariantMap TimelineModel::attachmentData(const protocol::FileInfo &file) const
{
    const auto [progress, saved]
        = m_fileStatus ? m_fileStatus(file.id) : std::pair<double, QString>(-1.0, QString());
    return attachmentview::fromFile(file, progress, saved);
}

QVariantList TimelineModel::attachmentsData(const Row &row) const
{
    if (row.kind != EventKind::Message || row.state.redacted)
        return {};
    if (row.seq == 0 || row.attachments.isEmpty()) {
        // Unsent, or acknowledged and its event not here yet: the local files.
        const auto it = m_uploadingFiles.constFind(row.txn);
        if (it != m_uploadingFiles.cend() && row.attachments.isEmpty())
            return *it;
    }
    QVariantList out;
    out.reserve(row.attachments.size());
    for (const protocol::FileInfo &f : row.attachments)
        out.append(attachmentData(f));
    return out;
}

std::optional<protocol::FileInfo> TimelineModel::fileInfo(qint64 fileId) const
{
    for (int row = 0; row < m_storedCount; ++row) {
        for (const protocol::FileInfo &f : m_rows[size_t(row)].attachments) {
            if (f.id == fileId)
                return f;
        }
    }
    return std::nullopt;
}

QVariantMap TimelineModel::imageNeighbour(qint64 fileId, int step) const
{
    // The room's images in reading order: every image attachment of the held messages.
    QList<const protocol::FileInfo *> images;
    int at = -1;
    for (int row = 0; row < m_storedCount; ++row) {
        const Row &r = m_rows[size_t(row)];
        if (r.kind != EventKind::Message || r.state.redacted)
            continue;
        for (const protocol::FileInfo &f : r.attachments) {
            if (!f.thumbnail)
                continue;
            if (f.id == fileId && at < 0)
                at = int(images.size());
            images.append(&f);
        }
    }
    const int next = at + (step < 0 ? -1 : 1);
    if (at < 0 || step == 0 || next < 0 || next >= images.size())
        return {};
    return attachmentData(*images.at(next));
}

} // namespace confab::client
