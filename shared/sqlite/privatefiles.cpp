// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/privatefiles.h"

#include "sqlite/sqlitelogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace confab::sqlite {

namespace {

constexpr QFile::Permissions OwnerReadWrite
    = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;
constexpr QFile::Permissions OwnerOnlyFolder = OwnerReadWrite | QFile::ExeOwner | QFile::ExeUser;
constexpr QFile::Permissions GroupOrOther = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
    | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;

// Tightens \a path to \a wanted if it grants anything to the group or others.
bool restrict(const QString &path, QFile::Permissions wanted, QString *error)
{
    const QFile::Permissions now = QFile::permissions(path);
    if (!(now & GroupOrOther) && (now & wanted) == wanted)
        return true;
    if (!QFile::setPermissions(path, wanted)) {
        *error = u"cannot make %1 private to its owner"_s.arg(path);
        return false;
    }
    qCInfo(lcSqlite).noquote() << "made" << path << "private to its owner";
    return true;
}

} // namespace

bool makePrivate(const QString &path, QString *error)
{
#ifdef Q_OS_UNIX
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder)) {
        *error = u"cannot create folder %1"_s.arg(folder);
        return false;
    }
    if (!restrict(folder, OwnerOnlyFolder, error))
        return false;
    if (!QFileInfo::exists(path)) {
        QFile file(path);
        // NewOnly: if another process created it meanwhile, its mode is tightened below.
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly, OwnerReadWrite))
            file.close();
    }
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s}) {
        if (QFileInfo::exists(path + suffix) && !restrict(path + suffix, OwnerReadWrite, error))
            return false;
    }
    return true;
#else
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = u"cannot create folder %1"_s.arg(QFileInfo(path).absolutePath());
        return false;
    }
    return true;
#endif
}

} // namespace confab::sqlite
