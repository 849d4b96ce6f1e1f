// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/accountrequests.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace confab::protocol::requests {

OutgoingRequest changePassword(
    const QString &password, const QString &newPassword, bool revokeOthers)
{
    OutgoingRequest r {
        RequestType::ChangePassword, {{"password"_L1, password}, {"newPassword"_L1, newPassword}}};
    if (revokeOthers)
        r.fields.insert("revokeOthers"_L1, true);
    return r;
}

OutgoingRequest sessions()
{
    return {RequestType::Sessions, {}};
}

OutgoingRequest revokeSession(qint64 session)
{
    return {RequestType::RevokeSession, {{"session"_L1, double(session)}}};
}

OutgoingRequest deleteAccount(const QString &password)
{
    return {RequestType::DeleteAccount, {{"password"_L1, password}}};
}

OutgoingRequest setProfile(const std::optional<QString> &displayName,
    const std::optional<QString> &status, std::optional<qint64> avatar)
{
    OutgoingRequest r {RequestType::SetProfile, {}};
    if (displayName)
        r.fields.insert("displayName"_L1, *displayName);
    if (status)
        r.fields.insert("status"_L1, *status);
    if (avatar)
        r.fields.insert("avatar"_L1, double(*avatar));
    return r;
}

OutgoingRequest setNotify(qint64 room, NotifyLevel level)
{
    return {RequestType::SetNotify,
        {{"room"_L1, double(room)}, {"level"_L1, NotifyLevelNames.toName(level)}}};
}

OutgoingRequest setDnd(qint64 until)
{
    return {RequestType::SetDnd, {{"until"_L1, double(until)}}};
}

OutgoingRequest openGroup(const QStringList &users, const QString &name)
{
    OutgoingRequest r {RequestType::OpenGroup, {{"users"_L1, QJsonArray::fromStringList(users)}}};
    if (!name.isEmpty())
        r.fields.insert("name"_L1, name);
    return r;
}

OutgoingRequest addToGroup(qint64 room, const QString &user)
{
    return {RequestType::AddToGroup, {{"room"_L1, double(room)}, {"user"_L1, user}}};
}

} // namespace confab::protocol::requests
