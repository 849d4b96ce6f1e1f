// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>
#include <optional>

namespace confab::lan {

/*!
 * \brief What an invite link or its QR code carries (docs/protocol.md §19.4): where the
 * server is and the fingerprint its handshake must show, so that joining needs no code to
 * compare; optionally its id, its name and a one-time invite code for `register`.
 *
 * "confab://192.168.1.20:8747/join?fp=<64 hex>&id=<uuid>&name=Workshop&invite=<code>"
 */
struct InviteLink
{
    QString host; //!< an IP address or a host name
    quint16 port = 8747;
    QString fingerprint;
    QString serverId; //!< may be empty
    QString name; //!< may be empty
    QString invite; //!< may be empty

    /*! \brief Where to connect: always wss://, since the fingerprint is what it is for. */
    QUrl serverUrl() const;
    QString toString() const;
    /*! \brief Whether \a text is meant as an invite link (a confab:// link to /join),
     * valid or not: message links are confab:// too. */
    static bool looksLikeOne(const QString &text);
    /*! \brief Reads a link strictly: nullopt for another scheme, a missing or malformed
     * fingerprint, a bad port, or a member out of its range (§19.4). Surrounding spaces
     * are ignored, since links are pasted. */
    static std::optional<InviteLink> parse(const QString &text);
};

} // namespace confab::lan
