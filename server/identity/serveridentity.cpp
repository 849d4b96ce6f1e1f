// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/serveridentity.h"

#include "core/logging.h"
#include "identity/selfsignedcertificate.h"
#include "lan/fingerprint.h"
#include "lan/keyrotation.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QUuid>
#include <filesystem>

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

// A rotation's new pair is written whole into Writing, which is then renamed Ready (one
// atomic step), and only then moved over the old pair file by file. So a crash leaves
// either the old pair and a Writing folder to throw away, or a Ready folder whose files
// are the ones to use.
constexpr auto Writing = "rotating.tmp";
constexpr auto Ready = "rotating";
const QStringList PairFiles = {u"key.pem"_s, u"certificate.pem"_s};

bool finishRotation(const QDir &dir, QString *error)
{
    QDir(dir.filePath(QLatin1StringView(Writing))).removeRecursively();
    const QDir ready(dir.filePath(QLatin1StringView(Ready)));
    if (!ready.exists())
        return true;
    for (const QString &name : PairFiles) {
        if (!QFileInfo::exists(ready.filePath(name)))
            continue; // moved before the crash
        std::error_code failed;
        std::filesystem::rename(
            ready.filePath(name).toStdU16String(), dir.filePath(name).toStdU16String(), failed);
        if (failed) {
            *error = u"cannot move %1 into place: %2"_s.arg(
                ready.filePath(name), QString::fromStdString(failed.message()));
            return false;
        }
    }
    if (!QDir().rmdir(ready.path())) {
        *error = u"cannot remove %1"_s.arg(ready.path());
        return false;
    }
    qCInfo(lcServer) << "finished the key rotation in" << dir.path();
    return true;
}

} // namespace

std::optional<ServerIdentity> ServerIdentity::rotate(
    const QString &dataDir, const QString &name, QString *error)
{
    const QDir dir(folder(dataDir));
    if (!QFileInfo::exists(dir.filePath(u"server-id"_s))) {
        *error = u"%1 holds no server identity to rotate"_s.arg(dir.path());
        return std::nullopt;
    }
    const auto old = loadOrCreate(dataDir, name, error);
    const auto oldKeyPem = old ? readAll(dir.filePath(u"key.pem"_s), error) : std::nullopt;
    if (!oldKeyPem)
        return std::nullopt;
    // What the old certificate carried goes on: a client that pinned a key before the old
    // one needs those steps too.
    lan::KeyRotations rotations = lan::KeyRotations::ofCertificate(old->certificate().toDer())
                                      .value_or(lan::KeyRotations {old->id(), {}});
    const auto made = makeSelfSignedCertificate(
        name, CertificateDays, error, [&](const QByteArray &newKey) -> std::optional<QByteArray> {
            lan::KeyRotation step;
            step.oldKey = old->certificate().publicKey().toDer();
            step.newFingerprint = lan::fingerprintOfPublicKey(newKey);
            step.atMs = QDateTime::currentMSecsSinceEpoch();
            QString signError;
            const auto signature = signWithKey(*oldKeyPem,
                lan::KeyRotations::statement(
                    old->id(), old->fingerprint(), step.newFingerprint, step.atMs),
                &signError);
            if (!signature)
                return std::nullopt;
            step.signature = *signature;
            rotations.chain.append(step);
            while (rotations.chain.size() > lan::KeyRotations::MaxChain)
                rotations.chain.removeFirst();
            return rotations.toJson();
        });
    if (!made)
        return std::nullopt;
    const QDir writing(dir.filePath(QLatin1StringView(Writing)));
    if (!makeFolder(writing.path(), error)
        || !writePrivate(writing.filePath(u"key.pem"_s), made->keyPem, error)
        || !writePrivate(writing.filePath(u"certificate.pem"_s), made->certificatePem, error))
        return std::nullopt;
    if (!QDir().rename(writing.path(), dir.filePath(QLatin1StringView(Ready)))) {
        *error = u"cannot rename %1"_s.arg(writing.path());
        return std::nullopt;
    }
    qCInfo(lcServer) << "rotating the server's key" << old->fingerprint() << "to"
                     << rotations.chain.constLast().newFingerprint;
    return loadOrCreate(dataDir, name, error);
}

QString ServerIdentity::folder(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"identity"_s);
}

std::optional<ServerIdentity> ServerIdentity::loadOrCreate(
    const QString &dataDir, const QString &name, QString *error)
{
    const QDir dir(folder(dataDir));
    if (!makeFolder(dir.path(), error) || !finishRotation(dir, error))
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
