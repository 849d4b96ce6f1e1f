// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/fingerprint.h"

#include <QCryptographicHash>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace confab::lan {

namespace {
constexpr int CodeGroups = 5;
} // namespace

QString fingerprintOfPublicKey(const QByteArray &subjectPublicKeyInfoDer)
{
    if (subjectPublicKeyInfoDer.isEmpty())
        return {};
    return QString::fromLatin1(
        QCryptographicHash::hash(subjectPublicKeyInfoDer, QCryptographicHash::Sha256).toHex());
}

QString fingerprintOf(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    // Qt's OpenSSL backend writes a public key as a SubjectPublicKeyInfo (i2d_PUBKEY), the
    // same bytes `openssl x509 -pubkey | openssl pkey -pubin -outform der` gives; the
    // fingerprint test checks that against the openssl tool.
    return fingerprintOfPublicKey(certificate.publicKey().toDer());
}

bool isFingerprint(const QString &text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text) {
        if (!((c >= '0'_L1 && c <= '9'_L1) || (c >= 'a'_L1 && c <= 'f'_L1)))
            return false;
    }
    return true;
}

QString shortCode(const QString &fingerprint)
{
    if (!isFingerprint(fingerprint))
        return {};
    const QByteArray bytes = QByteArray::fromHex(fingerprint.toLatin1());
    QStringList groups;
    for (int i = 0; i < CodeGroups; ++i) {
        const unsigned value = (unsigned(quint8(bytes[2 * i])) << 8) | quint8(bytes[2 * i + 1]);
        groups << u"%1"_s.arg(value % 10000, 4, 10, '0'_L1);
    }
    return groups.join(' '_L1);
}

} // namespace confab::lan
