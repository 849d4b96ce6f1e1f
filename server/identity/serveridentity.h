// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <optional>

namespace confab::server {

/*!
 * \brief Who this server is, whatever its address: an id made once, and a key with a
 * self-signed certificate over it (docs/lan.md, protocol §19).
 *
 * Kept in the data folder's \c identity folder (0700; files 0600), so a backup, an
 * export or a move to another machine takes it along and clients keep their pins.
 */
class ServerIdentity
{
public:
    /*!
     * \brief Reads the identity in \a dataDir, or makes it on the first start: the id, and
     * the key and certificate (named \a name). nullopt with \a error if a file cannot be
     * read or written, is damaged, or is missing beside the others.
     *
     * A damaged key or certificate is an error, never replaced: a new key would break
     * every client's pin, and that must be the operator's deliberate act.
     */
    static std::optional<ServerIdentity> loadOrCreate(
        const QString &dataDir, const QString &name, QString *error);

    /*!
     * \brief Replaces the key and certificate in \a dataDir by new ones whose certificate
     * carries the old key's signature over the new (protocol §19.7), and returns the new
     * identity; the id stays. nullopt with \a error, and nothing changed, if there is no
     * identity yet or it cannot be read, signed or written.
     *
     * Crash-safe: the new pair is written whole beside the old one first, and the next
     * loadOrCreate() finishes a swap a crash interrupted.
     */
    static std::optional<ServerIdentity> rotate(
        const QString &dataDir, const QString &name, QString *error);

    /*! \brief The folder loadOrCreate() keeps the identity in. */
    static QString folder(const QString &dataDir);

    QString id() const { return m_id; }
    const QSslCertificate &certificate() const { return m_certificate; }
    const QSslKey &key() const { return m_key; }
    /*! \brief lan::fingerprintOf(certificate()). */
    QString fingerprint() const { return m_fingerprint; }

private:
    QString m_id;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QString m_fingerprint;
};

} // namespace confab::server
