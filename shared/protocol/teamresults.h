// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/selfserviceresults.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

/*!
 * \file
 * \brief The `data` of the team requests' replies and the objects of their pushes (§17),
 * one value type per shape of teamshapes.h.
 */
namespace confab::protocol {

/*! \brief A pending invitation to a channel (§17.3): in sign-in results and `invited`. */
struct Invitation
{
    qint64 room = 0;
    QString name;
    QString topic;
    bool isPrivate = false;
    QString by; //!< who invited
    qint64 timestamp = 0; //!< ms since the epoch

    QJsonObject toJson() const;
    /*! \brief nullopt without a positive room or a name. */
    static std::optional<Invitation> fromJson(const QJsonObject &object);

    friend bool operator==(const Invitation &, const Invitation &) = default;
};

/*! \brief An account as `users` lists it (§17.5); the admin members only for admins. */
struct UserEntry
{
    QString user;
    bool online = false;
    bool adminView = false; //!< admin, disabled and createdAt are sent
    bool admin = false;
    bool disabled = false;
    qint64 createdAt = 0;
    std::optional<Profile> profile = std::nullopt; //!< a server with profiles (§18.2)

    QJsonObject toJson() const;
    static std::optional<UserEntry> fromJson(const QJsonObject &object);

    friend bool operator==(const UserEntry &, const UserEntry &) = default;
};

/*! \brief `users` (§17.5). */
struct UserList
{
    QList<UserEntry> users;

    QJsonObject toJson() const;
    static std::optional<UserList> fromJson(const QJsonObject &data);
};

/*! \brief `set_user` (§17.5): the account after the change. */
struct UserResult
{
    UserEntry user;

    QJsonObject toJson() const;
    static std::optional<UserResult> fromJson(const QJsonObject &data);
};

/*! \brief `server_settings` and `set_server_settings` (§17.5). */
struct ServerSettings
{
    QString registration; //!< a RegistrationModeNames name

    QJsonObject toJson() const;
    static std::optional<ServerSettings> fromJson(const QJsonObject &data);
};

/*! \brief `create_invite` (§17.5). */
struct InviteCode
{
    QString code;
    int uses = 1;

    QJsonObject toJson() const;
    static std::optional<InviteCode> fromJson(const QJsonObject &data);
};

/*! \brief One entry of the audit log (§17.5). */
struct AuditEntry
{
    qint64 id = 0;
    qint64 timestamp = 0;
    QString actor; //!< empty: the operator's shell
    QString action;
    QString subject;
    QString detail;

    QJsonObject toJson() const;
    static std::optional<AuditEntry> fromJson(const QJsonObject &object);

    friend bool operator==(const AuditEntry &, const AuditEntry &) = default;
};

/*! \brief `audit` (§17.5): newest first. */
struct AuditPage
{
    QList<AuditEntry> entries;

    QJsonObject toJson() const;
    static std::optional<AuditPage> fromJson(const QJsonObject &data);
};

} // namespace confab::protocol
