// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <functional>
#include <optional>

namespace confab::server {

/*! \brief A new private key and the certificate it signed for itself, both PEM. */
struct SelfSignedCertificate
{
    QByteArray keyPem; //!< PKCS #8
    QByteArray certificatePem;
};

/*!
 * \brief Makes an ECDSA P-256 key and a self-signed X.509 certificate over it, named
 * \a commonName and valid for \a validDays from yesterday.
 *
 * Made with OpenSSL's libcrypto: Qt reads keys and certificates but cannot make them, and
 * libcrypto is already on every machine Qt's TLS runs on. P-256 rather than Ed25519
 * because every TLS stack a third-party client may use accepts it. Nobody relies on the
 * name or the dates: clients pin the key (docs/lan.md), so a long validity only avoids a
 * needless expiry on a LAN server nobody looks after.
 */
std::optional<SelfSignedCertificate> makeSelfSignedCertificate(
    const QString &commonName, int validDays, QString *error);

/*!
 * \brief The same, carrying in the certificate what \a rotationsFor returns for the new
 * key (its SubjectPublicKeyInfo, DER): lan::KeyRotations::toJson(), as the extension
 * lan::KeyRotations::ExtensionOid (protocol §19.7). nullopt from it fails the whole.
 */
std::optional<SelfSignedCertificate> makeSelfSignedCertificate(const QString &commonName,
    int validDays, QString *error,
    const std::function<std::optional<QByteArray>(const QByteArray &publicKeyDer)> &rotationsFor);

/*! \brief \a keyPem's (a PEM private key) signature with SHA-256 over \a data, DER;
 * nullopt with \a error if the key cannot be read or sign. */
std::optional<QByteArray> signWithKey(
    const QByteArray &keyPem, const QByteArray &data, QString *error);

/*! \brief Whether the PEM private key \a keyPem is the one \a certificatePem certifies:
 * TLS with a mismatched pair fails every handshake, so it is refused at start. */
bool keyMatchesCertificate(const QByteArray &keyPem, const QByteArray &certificatePem);

} // namespace confab::server
