// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QSslCertificate;

namespace confab::lan {

/*!
 * \brief A server's fingerprint: the SHA-256 of its certificate's public key
 * (SubjectPublicKeyInfo, DER), as 64 lowercase hex digits (docs/protocol.md §2.3).
 *
 * Of the key, not of the certificate, so that renewing a certificate over the same key
 * keeps every pin valid.
 */
QString fingerprintOf(const QSslCertificate &certificate);
/*! \brief The same over a SubjectPublicKeyInfo in DER. */
QString fingerprintOfPublicKey(const QByteArray &subjectPublicKeyInfoDer);

/*! \brief Whether \a text is a fingerprint as fingerprintOf() writes it. */
bool isFingerprint(const QString &text);

/*!
 * \brief The code people read aloud and compare: the fingerprint's first ten bytes as
 * five groups of four digits, "4821 0937 5510 2264 8093" (docs/protocol.md §2.3).
 *
 * Each group is two bytes, big-endian, modulo 10000: about 66 bits, so making a key whose
 * code matches a given one takes ~2^66 key generations. Empty for a non-fingerprint.
 */
QString shortCode(const QString &fingerprint);

} // namespace confab::lan
