// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/passwordhasher.h"

#include <sodium.h>

namespace confab::server::passwords {

bool initialize()
{
    return sodium_init() >= 0;
}

QString hash(const QString &password)
{
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), quint64(utf8.size()), OpsLimit, MemLimit,
            crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return {};
    return QString::fromLatin1(out);
}

bool verify(const QString &encodedHash, const QString &password)
{
    const QByteArray stored = encodedHash.toLatin1();
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(stored.constData(), utf8.constData(), quint64(utf8.size()))
        == 0;
}

QString decoyHash()
{
    unsigned char random[32];
    randombytes_buf(random, sizeof random);
    return hash(QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(random), sizeof random).toHex()));
}

} // namespace confab::server::passwords
