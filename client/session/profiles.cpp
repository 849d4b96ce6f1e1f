// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/profiles.h"

#include "core/clientlogging.h"
#include "net/connection.h"
#include "protocol/accountrequests.h"
#include "session/errortext.h"
#include "session/session.h"
#include "session/uploads.h"
#include "store/localstore.h"

#include <QFileInfo>
#include <QJSEngine>
#include <QUuid>

using namespace Qt::StringLiterals;

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

void Profiles::setUploads(Uploads *uploads)
{
    m_uploads = uploads;
    connect(uploads, &Uploads::fileUpdated, this,
        [this](const QString &txn, int, const OutboxFile &file) {
            if (txn == m_avatarTxn && file.finished())
                m_avatarFile = file.fileId();
        });
    connect(uploads, &Uploads::finished, this, [this](const QString &txn) {
        if (txn != m_avatarTxn)
            return;
        const qint64 file = m_avatarFile;
        setUploadTxn({});
        // setAvatar(0) removes the avatar: without the uploaded file's id, report instead.
        if (file > 0) {
            setAvatar(file);
        } else {
            qCWarning(lcClientSession) << "avatar upload finished without a file id";
            Q_EMIT saveFailed(tr("The picture could not be uploaded."));
        }
    });
    connect(uploads, &Uploads::failed, this, [this](const QString &txn, const QString &reason) {
        if (txn != m_avatarTxn)
            return;
        // Uploads dropped the job already; what the server holds of it expires (§16.6).
        setUploadTxn({});
        Q_EMIT saveFailed(reason);
    });
}

void Profiles::uploadAvatar(const QUrl &file)
{
    const QFileInfo info(file.toLocalFile());
    if (!m_uploads || !info.isFile() || !info.isReadable()) {
        Q_EMIT saveFailed(tr("That file cannot be read."));
        return;
    }
    if (!m_avatarTxn.isEmpty())
        m_uploads->cancel(m_avatarTxn); // the newer choice wins
    OutboxFile upload;
    upload.source = info.absoluteFilePath();
    upload.name = info.fileName();
    upload.size = info.size();
    OutboxEntry entry;
    entry.txn = u"avatar:"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.files.append(upload);
    m_avatarFile = 0;
    setUploadTxn(entry.txn);
    qCInfo(lcClientSession) << "uploading avatar" << info.fileName();
    m_uploads->start(entry);
}

void Profiles::setUploadTxn(const QString &txn)
{
    if (txn == m_avatarTxn)
        return;
    m_avatarTxn = txn;
    Q_EMIT uploadingChanged();
}

void Profiles::send(const std::optional<QString> &displayName, const std::optional<QString> &status,
    std::optional<qint64> avatar)
{
    if (!m_connection)
        return;
    const quint64 generation = m_generation;
    const quint64 request = ++m_lastRequest;
    m_connection->send(protocol::requests::setProfile(displayName, status, avatar), this,
        [this, generation, request](const Reply &reply) {
            if (generation != m_generation) {
                qCDebug(lcClientSession) << "set_profile result for an ended sign-in dropped";
                return;
            }
            if (reply.outcome == Reply::Disconnected) {
                Q_EMIT saveFailed(tr("You are offline. The profile was not changed."));
                return;
            }
            if (!reply.ok()) {
                qCInfo(lcClientSession) << "set_profile refused:" << reply.message;
                Q_EMIT saveFailed(actionErrorText(reply.error));
                return;
            }
            // The push follows too; the result makes the change show at once. A newer
            // request's result (or push) carries a later profile: this one would undo it.
            if (const auto profile = protocol::Profile::fromJson(reply.data);
                profile && request == m_lastRequest)
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
    if (user.compare(m_ownUser, Qt::CaseInsensitive) != 0)
        ++m_generation;
    m_ownUser = user;
    m_available = profile.has_value();
    if (profile)
        apply(*profile);
    else
        Q_EMIT revisionChanged();
}

void Profiles::clear()
{
    m_profiles.clear();
    m_ownUser.clear();
    m_available = false;
    ++m_generation;
    if (m_uploads)
        m_uploads->clear();
    setUploadTxn({});
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
