// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/serveridentity.h"

#include "core/logging.h"
#include "identity/selfsignedcertificate.h"
#include "lan/fingerprint.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

constexpr int CertificateDays = 20 * 365;
constexpr QFile::Permissions OwnerReadWrite
    = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;

// The folder first, owner-only, so that no file in it is readable by others even for the
// moment before its own mode is set.
bool makeFolder(const QString &folder, QString *error)
{
    if (!QDir().mkpath(folder)) {
        *error = u"cannot create %1"_s.arg(folder);
        return false;
    }
#ifdef Q_OS_UNIX
    if (!QFile::setPermissions(folder, OwnerReadWrite | QFile::ExeOwner | QFile::ExeUser)) {
        *error = u"cannot make %1 private to its owner"_s.arg(folder);
        return false;
    }
#endif
    return true;
}

bool writePrivate(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()
        || !file.setPermissions(OwnerReadWrite) || !file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<QByteArray> readAll(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

} // namespace

QString ServerIdentity::folder(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"identity"_s);
}

std::optional<ServerIdentity> ServerIdentity::loadOrCreate(
    const QString &dataDir, const QString &name, QString *error)
{
    const QDir dir(folder(dataDir));
    if (!makeFolder(dir.path(), error))
        return std::nullopt;
    const QString idPath = dir.filePath(u"server-id"_s);
    const QString keyPath = dir.filePath(u"key.pem"_s);
    const QString certificatePath = dir.filePath(u"certificate.pem"_s);

    ServerIdentity identity;
    const bool firstStart = !QFileInfo::exists(idPath);
    if (firstStart) {
        identity.m_id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (!writePrivate(idPath, identity.m_id.toLatin1() + '\n', error))
            return std::nullopt;
        qCInfo(lcServer) << "made the server id" << identity.m_id;
    } else {
        const auto text = readAll(idPath, error);
        if (!text)
            return std::nullopt;
        const QUuid id = QUuid::fromString(QString::fromLatin1(text->trimmed()));
        if (id.isNull()) {
            *error = u"%1 does not hold a server id"_s.arg(idPath);
            return std::nullopt;
        }
        identity.m_id = id.toString(QUuid::WithoutBraces);
    }

    const bool haveKey = QFileInfo::exists(keyPath);
    if (haveKey != QFileInfo::exists(certificatePath)) {
        // One without the other: making a new pair would silently change the fingerprint.
        *error = u"%1 holds only one of key.pem and certificate.pem; restore the other "
                 "(see docs/lan.md)"_s.arg(dir.path());
        return std::nullopt;
    }
    if (!haveKey && !firstStart) {
        // An id without its key: a key made now would look like an impostor to every
        // client that pinned the old one, under the very same id.
        *error = u"%1 has the server id but not its key.pem and certificate.pem; restore "
                 "them from a backup (see docs/lan.md)"_s.arg(dir.path());
        return std::nullopt;
    }
    if (!haveKey) {
        const auto made = makeSelfSignedCertificate(name, CertificateDays, error);
        if (!made || !writePrivate(keyPath, made->keyPem, error)
            || !writePrivate(certificatePath, made->certificatePem, error))
            return std::nullopt;
        qCInfo(lcServer) << "made the server's key and self-signed certificate in" << dir.path();
    }
    const auto keyPem = readAll(keyPath, error);
    const auto certificatePem = readAll(certificatePath, error);
    if (!keyPem || !certificatePem)
        return std::nullopt;
    identity.m_key = QSslKey(*keyPem, QSsl::Ec, QSsl::Pem);
    identity.m_certificate = QSslCertificate(*certificatePem, QSsl::Pem);
    if (identity.m_key.isNull() || identity.m_certificate.isNull()
        || !keyMatchesCertificate(*keyPem, *certificatePem)) {
        *error = u"%1: key.pem or certificate.pem is damaged, or they do not belong together"_s.arg(
            dir.path());
        return std::nullopt;
    }
    identity.m_fingerprint = lan::fingerprintOf(identity.m_certificate);
    return identity;
}

} // namespace confab::server
