// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/enumnames.h"
#include "protocol/limits.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QStringList>
#include <optional>

namespace confab::protocol {

/*!
 * \brief Optional capabilities a server announces in hello (protocol §2.1, §15).
 *
 * A feature names something a version 1 client can do without: a client adapts to
 * the list, never to the server's version string. New ones are appended, never renamed.
 */
namespace features {
/*! \brief `directory` pushes: signed-in connections hear of new channels and topic changes. */
inline constexpr QLatin1StringView DirectoryPush {"directory_push"};
/*! \brief edit, redact, react, unreact, replies and context (§5.19–5.22, §5.24, §7.4). */
inline constexpr QLatin1StringView Conversations {"conversations"};
/*! \brief The `search` request (§5.23). */
inline constexpr QLatin1StringView Search {"search"};
/*! \brief Uploads, downloads and attachments (§16); hello then carries the file limits. */
inline constexpr QLatin1StringView Files {"files"};
inline constexpr QLatin1StringView Teams {"teams"};
/*! \brief Account self-service (§18.1): change_password, sessions, revoke_session,
 *  delete_account, and the `device` field of login and register. */
inline constexpr QLatin1StringView Accounts {"accounts"};
/*! \brief Profiles (§18.2): set_profile, `profile` pushes, display names in lists. */
inline constexpr QLatin1StringView Profiles {"profiles"};
/*! \brief Notification levels and do-not-disturb (§18.3): set_notify, set_dnd. */
inline constexpr QLatin1StringView Notify {"notify"};
/*! \brief Group conversations (§18.4): open_group, add_to_group, rooms of kind "group". */
inline constexpr QLatin1StringView Groups {"groups"};
} // namespace features

/*! \brief Who may `register` (hello's `registration`, §2.1). */
enum class RegistrationMode
{
    Open, //!< anyone
    Invite, //!< with an invite code
    Closed, //!< nobody
};

inline constexpr auto RegistrationModeNames = enumNames<RegistrationMode>({
    {RegistrationMode::Open, "open"},
    {RegistrationMode::Invite, "invite"},
    {RegistrationMode::Closed, "closed"},
});

/*!
 * \brief The server's first frame on every connection: who it is and what it enforces.
 */
struct Hello
{
    int protocol = 0; //!< wire protocol version (protocol/protocolversion.h)
    QString server; //!< "confabd/<version>", informational
    QString registration; //!< a RegistrationModeNames name: "open", "invite" or "closed"
    Limits limits;
    QStringList features; //!< empty for a server that predates capabilities
    QString serverId; //!< a UUID without braces (§19.1); empty from a server that predates it
    QString name; //!< the server's name (§19.1); may be empty
    //! On wss:// only: the fingerprint of the certificate this port serves (§19.2). Says
    //! what the server believes it serves; the client checks the handshake's own.
    QString fingerprint;
    //! Where the server moved to (§19.6), as protocol/moveaddress.h reads it; empty: it did
    //! not move, or said something a client must not follow.
    QString movedTo;

    bool has(QLatin1StringView feature) const { return features.contains(feature); }

    /*! \brief The frame's UTF-8 text, with \c protocol set to this build's version. */
    QByteArray encode() const;
    /*!
     * \brief Reads a hello frame object leniently (§15): a missing or invalid limit keeps
     * its default, unknown members are ignored. nullopt if it is not a hello.
     */
    static std::optional<Hello> fromJson(const QJsonObject &frame);
};

} // namespace confab::protocol
