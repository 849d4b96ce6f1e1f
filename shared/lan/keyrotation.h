// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace confab::lan {

/*!
 * \brief One deliberate key change, signed by the key it replaces (docs/protocol.md
 * §19.7): "server \a serverId's key \a oldKey hands over to the key \a newFingerprint".
 */
struct KeyRotation
{
    QByteArray oldKey; //!< the replaced key's SubjectPublicKeyInfo, DER
    QString newFingerprint; //!< lan::fingerprintOf() of the key that replaces it
    qint64 atMs = 0; //!< when, in ms since the epoch (informational)
    QByteArray signature; //!< ECDSA with SHA-256 over statement(), DER, by oldKey

    bool operator==(const KeyRotation &) const = default;
};

/*!
 * \brief What a server's certificate carries so that clients which pinned an earlier key
 * accept this one: the server id and every rotation up to the certificate's own key,
 * oldest first (§19.7).
 *
 * A certificate extension, not a field of hello, so that the pin can still be checked in
 * the TLS handshake: a client learns that the key it sees was handed over before it
 * finishes the handshake, and refuses everything else there as before.
 */
struct KeyRotations
{
    QString serverId;
    QList<KeyRotation> chain;

    bool operator==(const KeyRotations &) const = default;

    /*! \brief How many rotations a certificate keeps: the oldest go first, and a client
     * offline through more than this many must compare the code again. */
    static constexpr int MaxChain = 8;
    /*! \brief The extension's OID: a UUID OID (ITU-T X.667), needing no registration. */
    static constexpr char ExtensionOid[] = "2.25.135195617654451705951130983405861947676";

    /*! \brief The bytes \a oldFingerprint's key signs for one rotation. */
    static QByteArray statement(const QString &serverId, const QString &oldFingerprint,
        const QString &newFingerprint, qint64 atMs);

    /*! \brief The extension's content: compact JSON (§19.7). */
    QByteArray toJson() const;
    /*! \brief Parses toJson()'s form strictly; nullopt for anything else. */
    static std::optional<KeyRotations> fromJson(const QByteArray &json);
    /*! \brief What the certificate \a certificateDer carries; nullopt if it has no such
     * extension or it is malformed. */
    static std::optional<KeyRotations> ofCertificate(const QByteArray &certificateDer);

    /*!
     * \brief Whether this chain hands \a pinnedFingerprint's key over, one signed step at
     * a time, to the key whose fingerprint is \a presentedFingerprint, for \a serverId.
     *
     * Every step from the pinned key on must be signed by the key before it and name the
     * next; the last must name the presented key. Steps before the pinned key are not
     * looked at: a client that pinned a later key needs only the rest.
     */
    bool handsOver(const QString &serverId, const QString &pinnedFingerprint,
        const QString &presentedFingerprint) const;
};

/*! \brief Whether \a signature (DER) is \a publicKey's (SubjectPublicKeyInfo, DER) ECDSA
 * or RSA signature with SHA-256 over \a data. */
bool verifySignature(
    const QByteArray &publicKey, const QByteArray &data, const QByteArray &signature);

} // namespace confab::lan
