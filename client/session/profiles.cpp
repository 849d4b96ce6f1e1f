// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/profiles.h"

#include "core/clientlogging.h"
#include "session/session.h"

#include <QJSEngine>

namespace confab::client {

Profiles::Profiles(QObject *parent)
    : QObject(parent)
{ }

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
