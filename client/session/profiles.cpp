// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/profiles.h"

#include "core/clientlogging.h"
#include "net/connection.h"
#include "protocol/accountrequests.h"
#include "session/errortext.h"
#include "session/session.h"

#include <QJSEngine>

namespace confab::client {

Profiles::Profiles(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{ }

void Profiles::save(const QString &displayName, const QString &status)
{
    send(displayName, status, std::nullopt);
}

void Profiles::setAvatar(qint64 fileId)
{
    send(std::nullopt, std::nullopt, std::max<qint64>(0, fileId));
}

void Profiles::send(const std::optional<QString> &displayName, const std::optional<QString> &status,
    std::optional<qint64> avatar)
{
    if (!m_connection)
        return;
    m_connection->send(protocol::requests::setProfile(displayName, status, avatar), this,
        [this](const Reply &reply) {
            if (reply.outcome == Reply::Disconnected) {
                Q_EMIT saveFailed(tr("You are offline. The profile was not changed."));
                return;
            }
            if (!reply.ok()) {
                qCInfo(lcClientSession) << "set_profile refused:" << reply.message;
                Q_EMIT saveFailed(actionErrorText(reply.error));
                return;
            }
            // The push follows too; the result makes the change show at once.
            if (const auto profile = protocol::Profile::fromJson(reply.data))
                apply(*profile);
            Q_EMIT saved();
        });
}

Profiles *Profiles::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->profiles(), QJSEngine::CppOwnership);
    return session->profiles();
}

void Profiles::apply(const protocol::Profile &profile)
{
    if (profile.user.isEmpty())
        return;
    const QString key = profile.user.toLower();
    const auto known = m_profiles.constFind(key);
    if (known != m_profiles.cend() && *known == profile)
        return;
    m_profiles.insert(key, profile);
    qCDebug(lcClientSession) << "profile of" << profile.user << "is now" << profile.displayName;
    ++m_revision;
    Q_EMIT changed(profile.user);
    Q_EMIT revisionChanged();
}

void Profiles::setOwn(const QString &user, const std::optional<protocol::Profile> &profile)
{
    m_ownUser = user;
    if (profile)
        apply(*profile);
    else
        Q_EMIT revisionChanged();
}

void Profiles::clear()
{
    m_profiles.clear();
    m_ownUser.clear();
    ++m_revision;
    Q_EMIT revisionChanged();
}

const protocol::Profile *Profiles::find(const QString &user) const
{
    const auto it = m_profiles.constFind(user.toLower());
    return it == m_profiles.cend() ? nullptr : &*it;
}

QString Profiles::displayName(const QString &user) const
{
    const protocol::Profile *profile = find(user);
    return profile && !profile->displayName.isEmpty() ? profile->displayName : user;
}

QString Profiles::status(const QString &user) const
{
    const protocol::Profile *profile = find(user);
    return profile ? profile->status : QString();
}

qint64 Profiles::avatar(const QString &user) const
{
    const protocol::Profile *profile = find(user);
    return profile ? profile->avatar : 0;
}

bool Profiles::matches(const QString &user, const QString &prefix) const
{
    if (user.startsWith(prefix, Qt::CaseInsensitive))
        return true;
    const protocol::Profile *profile = find(user);
    return profile && profile->displayName.startsWith(prefix, Qt::CaseInsensitive);
}

QStringList Profiles::knownUsers() const
{
    QStringList users;
    users.reserve(m_profiles.size());
    for (const auto &profile : m_profiles)
        users.append(profile.user);
    return users;
}

QString Profiles::ownDisplayName() const
{
    return displayName(m_ownUser);
}

} // namespace confab::client
