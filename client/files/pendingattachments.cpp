// SPDX-License-Identifier: GPL-3.0-or-later
#include "files/pendingattachments.h"

#include "core/clientlogging.h"
#include "files/attachmentview.h"
#include "files/imagedecode.h"
#include "files/pendingimageprovider.h"
#include "session/session.h"

#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QJSEngine>
#include <QLocale>
#include <QMimeData>
#include <QSet>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace confab::client {

PendingAttachments::PendingAttachments(const QString &copiesDir, QObject *parent)
    : QAbstractListModel(parent)
    , m_copiesDir(copiesDir)
    , m_paths(std::make_shared<PendingPaths>())
{ }

PendingAttachments::~PendingAttachments()
{
    forgetAll();
}

void PendingAttachments::setCopiesDir(const QString &dir, const QList<OutboxEntry> &keep)
{
    m_copiesDir = dir;
    QSet<QString> used;
    for (const OutboxEntry &e : keep) {
        for (const OutboxFile &f : e.files)
            used.insert(QFileInfo(f.source).absoluteFilePath());
    }
    const auto entries = QDir(dir).entryInfoList(QDir::Files);
    for (const QFileInfo &info : entries) {
        if (!used.contains(info.absoluteFilePath())) {
            qCInfo(lcClientSession) << "removing a pasted image nothing sends:" << info.fileName();
            QFile::remove(info.absoluteFilePath());
        }
    }
}

void PendingAttachments::forgetAll()
{
    // Pasted images nobody sent are the app's own files.
    beginResetModel();
    for (const auto &items : std::as_const(m_rooms)) {
        for (const Item &item : items)
            dropItem(item, true);
    }
    m_rooms.clear();
    endResetModel();
    Q_EMIT countChanged();
}

PendingAttachments *PendingAttachments::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->pendingAttachments(), QJSEngine::CppOwnership);
    return session->pendingAttachments();
}

int PendingAttachments::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.value(m_room).size());
}

QVariant PendingAttachments::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_rooms.value(m_room).at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return item.file.name;
    case SizeRole:
        return item.file.size;
    case SizeTextRole:
        return QLocale().formattedDataSize(item.file.size, 1, QLocale::DataSizeSIFormat);
    case IsImageRole:
        return item.isImage;
    case PreviewSourceRole:
        return item.isImage ? previewUrl(item.token) : QUrl();
    default:
        return {};
    }
}

QHash<int, QByteArray> PendingAttachments::roleNames() const
{
    return {
        {NameRole, "name"},
        {SizeRole, "size"},
        {SizeTextRole, "sizeText"},
        {IsImageRole, "isImage"},
        {PreviewSourceRole, "previewSource"},
    };
}

void PendingAttachments::setLimits(bool available, qint64 maxFileBytes)
{
    if (m_available == available && m_maxFileBytes == maxFileBytes)
        return;
    m_available = available;
    m_maxFileBytes = maxFileBytes;
    Q_EMIT limitsChanged();
}

QList<PendingAttachments::Item> &PendingAttachments::current()
{
    return m_rooms[m_room];
}

void PendingAttachments::setRoom(qint64 room)
{
    if (room == m_room)
        return;
    const int before = rowCount();
    beginResetModel();
    if (m_rooms.value(m_room).isEmpty())
        m_rooms.remove(m_room);
    m_room = room;
    endResetModel();
    if (rowCount() != before)
        Q_EMIT countChanged();
}

QUrl PendingAttachments::previewUrl(const QString &token)
{
    return QUrl(u"image://"_s + QLatin1String(PendingImageProvider::Name) + u'/' + token);
}

QString PendingAttachments::previewToken(const QString &path)
{
    QString token = QString::number(m_nextToken++);
    m_paths->insert(token, path);
    return token;
}

bool PendingAttachments::addUrls(const QList<QUrl> &urls)
{
    bool added = false;
    for (const QUrl &url : urls) {
        if (!url.isLocalFile()) {
            Q_EMIT rejected(tr("Only files on this computer can be attached."));
            continue;
        }
        const QString path = url.toLocalFile();
        added = addFile(path, QFileInfo(path).fileName(), false) || added;
    }
    return added;
}

bool PendingAttachments::addFile(const QString &path, const QString &name, bool owned)
{
    if (m_room == 0)
        return false;
    const QFileInfo info(path);
    if (info.isDir()) {
        Q_EMIT rejected(tr("%1 is a folder; only files can be attached.").arg(info.fileName()));
        return false;
    }
    if (!info.isFile() || !info.isReadable()) {
        Q_EMIT rejected(tr("%1 cannot be read.").arg(info.fileName()));
        return false;
    }
    if (info.size() > m_maxFileBytes) {
        Q_EMIT rejected(
            tr("%1 is larger than the server takes (%2).")
                .arg(info.fileName(),
                    QLocale().formattedDataSize(m_maxFileBytes, 1, QLocale::DataSizeSIFormat)));
        return false;
    }
    if (info.size() == 0) {
        Q_EMIT rejected(tr("%1 is empty.").arg(info.fileName()));
        return false;
    }
    Item item;
    item.file.source = info.absoluteFilePath();
    item.file.owned = owned;
    item.file.name = name;
    item.file.size = info.size();
    item.isImage = imagedecode::isRenderableImage(item.file.source);
    item.token = previewToken(item.file.source);
    QList<Item> &items = current();
    beginInsertRows({}, int(items.size()), int(items.size()));
    items.append(item);
    endInsertRows();
    Q_EMIT countChanged();
    return true;
}

bool PendingAttachments::addClipboard()
{
    return addMimeData(QGuiApplication::clipboard()->mimeData());
}

bool PendingAttachments::addMimeData(const QMimeData *mime)
{
    if (!mime || m_room == 0)
        return false;
    if (mime->hasUrls()) {
        QList<QUrl> local;
        const auto urls = mime->urls();
        for (const QUrl &url : urls) {
            if (url.isLocalFile())
                local.append(url);
        }
        if (!local.isEmpty())
            return addUrls(local) || true; // the paste was ours, even if refused
    }
    if (!mime->hasImage())
        return false;
    const QImage image = qvariant_cast<QImage>(mime->imageData());
    if (image.isNull())
        return false;
    // A copy in the app's folder: the outbox may need the bytes after a restart.
    if (!QDir().mkpath(m_copiesDir)) {
        Q_EMIT rejected(tr("The pasted image could not be saved for sending."));
        return true;
    }
    const QString path
        = QDir(m_copiesDir)
              .filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + u".png"_s);
    if (!image.save(path, "PNG")) {
        qCWarning(lcClientSession) << "cannot write the pasted image to" << path;
        Q_EMIT rejected(tr("The pasted image could not be saved for sending."));
        return true;
    }
    //: The name a pasted image is sent under.
    const QString name = tr("Pasted image %1.png")
                             .arg(QDateTime::currentDateTime().toString(u"yyyy-MM-dd HH.mm.ss"_s));
    if (!addFile(path, name, true))
        QFile::remove(path);
    return true;
}

void PendingAttachments::dropItem(const Item &item, bool deleteCopy)
{
    m_paths->remove(item.token);
    if (deleteCopy && item.file.owned)
        QFile::remove(item.file.source);
}

void PendingAttachments::remove(int row)
{
    QList<Item> &items = current();
    if (row < 0 || row >= items.size())
        return;
    beginRemoveRows({}, row, row);
    dropItem(items.takeAt(row), true);
    endRemoveRows();
    Q_EMIT countChanged();
}

void PendingAttachments::clear()
{
    QList<Item> &items = current();
    if (items.isEmpty())
        return;
    beginResetModel();
    for (const Item &item : std::as_const(items))
        dropItem(item, true);
    items.clear();
    endResetModel();
    Q_EMIT countChanged();
}

QList<OutboxFile> PendingAttachments::files() const
{
    QList<OutboxFile> out;
    const auto items = m_rooms.value(m_room);
    for (const Item &item : items)
        out.append(item.file);
    return out;
}

QVariantList PendingAttachments::uploadingView(const OutboxEntry &entry)
{
    QVariantList out;
    for (const OutboxFile &f : entry.files) {
        if (f.finished()) {
            if (const auto info = protocol::FileInfo::fromJson(f.file)) {
                out.append(attachmentview::fromFile(*info));
                continue;
            }
        }
        QString &token = m_uploadTokens[f.source];
        if (token.isEmpty())
            token = previewToken(f.source);
        out.append(attachmentview::fromUpload(
            f, previewUrl(token), imagedecode::isRenderableImage(f.source)));
    }
    return out;
}

QList<OutboxFile> PendingAttachments::takeForSend()
{
    QList<Item> &items = current();
    QList<OutboxFile> out;
    if (items.isEmpty())
        return out;
    beginResetModel();
    for (const Item &item : std::as_const(items)) {
        out.append(item.file);
        dropItem(item, false); // the outbox owns the copy now
    }
    items.clear();
    endResetModel();
    Q_EMIT countChanged();
    return out;
}

} // namespace confab::client
