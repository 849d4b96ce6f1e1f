// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

/*!
 * \file
 * \brief The `data` of the self-service replies and the objects of their pushes (§18),
 * one value type per shape of selfserviceshapes.h.
 */
namespace confab::protocol {

/*! \brief How a user presents themself (§18.2). */
struct Profile
{
    QString user;
    QString displayName; //!< empty: none; show the username
    QString status;
    qint64 avatar = 0; //!< a file id; 0: none

    QJsonObject toJson() const;
    /*! \brief nullopt without a user. */
    static std::optional<Profile> fromJson(const QJsonObject &object);
    /*! \brief Adds displayName, status and avatar to \a object (Member, UserEntry...). */
    void insertInto(QJsonObject &object) const;
    /*! \brief Reads those members of \a object, which names the user under \a user. */
    static Profile readFrom(const QJsonObject &object, const QString &user);

    friend bool operator==(const Profile &, const Profile &) = default;
};

/*! \brief One signed-in device (§18.1). */
struct SessionEntry
{
    qint64 id = 0;
    QString device;
    QString address;
    qint64 createdAt = 0;
    qint64 lastSeen = 0;
    bool current = false;
    bool online = false;

    QJsonObject toJson() const;
    static std::optional<SessionEntry> fromJson(const QJsonObject &object);

    friend bool operator==(const SessionEntry &, const SessionEntry &) = default;
};

/*! \brief `sessions` (§18.1). */
struct SessionList
{
    QList<SessionEntry> sessions;

    QJsonObject toJson() const;
    static std::optional<SessionList> fromJson(const QJsonObject &data);
};

/*! \brief `change_password` (§18.1). */
struct PasswordChanged
{
    qint64 revoked = 0;

    QJsonObject toJson() const;
    static std::optional<PasswordChanged> fromJson(const QJsonObject &data);
};

} // namespace confab::protocol
