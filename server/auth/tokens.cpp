// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/tokens.h"

#include <QCryptographicHash>
#include <sodium.h>

namespace confab::server::tokens {

QString generate()
{
    QByteArray raw(32, Qt::Uninitialized);
    randombytes_buf(raw.data(), std::size_t(raw.size()));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString inviteCode()
{
    return generate().left(22);
}

QByteArray hash(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace confab::server::tokens
