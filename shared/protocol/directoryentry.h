// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <optional>

namespace confab::protocol {

/*!
 * \brief One channel as the directory shows it: a `list_rooms` entry and the body of a
 * `directory` push (protocol §5.6, §6.6). Not a room summary: no kind, log or unread state.
 */
struct DirectoryEntry
{
    qint64 id = 0;
    QString name;
    QString topic;
    int memberCount = 0;
    bool joined = false; //!< the recipient is a member
    bool isPrivate = false; //!< listed only to members and invited users (§17.2)

    QJsonObject toJson() const;
    /*! \brief nullopt without a positive integer id or a name. */
    static std::optional<DirectoryEntry> fromJson(const QJsonObject &o);

    friend bool operator==(const DirectoryEntry &, const DirectoryEntry &) = default;
};

} // namespace confab::protocol
