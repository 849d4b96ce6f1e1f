// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/administration.h"

#include "models/auditmodel.h"
#include "models/userdirectorymodel.h"
#include "net/connection.h"
#include "protocol/teamrequests.h"
#include "protocol/teamresults.h"
#include "session/errortext.h"
#include "session/session.h"

#include <QJSEngine>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcClientAdmin, "confab.client.admin", QtInfoMsg)

namespace confab::client {

Administration::Administration(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_users(new UserDirectoryModel(connection, this))
    , m_audit(new AuditModel(connection, this))
{ }

Administration *Administration::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->administration(), QJSEngine::CppOwnership);
    return session->administration();
}

void Administration::applySignIn(const protocol::SignedIn &result)
{
    const bool admin = result.hasTeams && result.admin;
    if (m_admin == admin)
        return;
    m_admin = admin;
    qCInfo(lcClientAdmin) << "admin:" << admin;
    Q_EMIT isAdminChanged();
}

void Administration::reset()
{
    ++m_generation;
    m_users->clear();
    m_audit->clear();
    setRegistrationValue({});
    clearInviteCode();
    if (m_busy != 0) {
        m_busy = 0;
        Q_EMIT busyChanged();
    }
    if (m_admin) {
        m_admin = false;
        Q_EMIT isAdminChanged();
    }
}

void Administration::refresh()
{
    m_users->refresh();
    m_audit->refresh();
    loadSettings();
}

void Administration::loadSettings()
{
    const quint64 generation = m_generation;
    m_connection->send(
        protocol::requests::serverSettings(), this, [this, generation](const Reply &reply) {
            if (generation != m_generation || reply.outcome == Reply::Disconnected)
                return;
            const auto settings
                = reply.ok() ? protocol::ServerSettings::fromJson(reply.data) : std::nullopt;
            if (!settings) {
                Q_EMIT actionFailed(adminErrorText(reply.error));
                return;
            }
            setRegistrationValue(settings->registration);
        });
}

void Administration::setDisabled(const QString &user, bool disabled)
{
    setUser(user, disabled, std::nullopt);
}

void Administration::setAdmin(const QString &user, bool admin)
{
    setUser(user, std::nullopt, admin);
}

void Administration::setUser(
    const QString &user, std::optional<bool> disabled, std::optional<bool> admin)
{
    change(protocol::requests::setUser(user, disabled, admin),
        [this, disabled, admin](const QJsonObject &data) {
            const auto result = protocol::UserResult::fromJson(data);
            if (!result)
                return;
            m_users->applyUser(result->user);
            const QString &name = result->user.user;
            if (disabled)
                Q_EMIT changed(*disabled ? tr("%1 is disabled and signed out.").arg(name)
                                         : tr("%1 can sign in again.").arg(name));
            else if (admin)
                Q_EMIT changed(*admin ? tr("%1 is now an admin.").arg(name)
                                      : tr("%1 is no longer an admin.").arg(name));
        });
}

void Administration::setRegistration(const QString &mode)
{
    const auto value = protocol::RegistrationModeNames.fromName(mode);
    if (!value)
        return;
    change(protocol::requests::setServerSettings(*value), [this](const QJsonObject &data) {
        const auto settings = protocol::ServerSettings::fromJson(data);
        if (!settings)
            return;
        setRegistrationValue(settings->registration);
        Q_EMIT changed(tr("Registration changed."));
    });
}

void Administration::createInvite(int uses)
{
    change(protocol::requests::createInvite(std::max(1, uses)), [this](const QJsonObject &data) {
        const auto invite = protocol::InviteCode::fromJson(data);
        if (!invite)
            return;
        m_inviteCode = invite->code;
        m_inviteUses = invite->uses;
        Q_EMIT inviteCodeChanged();
    });
}

void Administration::clearInviteCode()
{
    if (m_inviteCode.isEmpty())
        return;
    m_inviteCode.clear();
    m_inviteUses = 0;
    Q_EMIT inviteCodeChanged();
}

void Administration::setRegistrationValue(const QString &mode)
{
    if (m_registration == mode)
        return;
    m_registration = mode;
    Q_EMIT registrationChanged();
}

void Administration::change(
    const protocol::OutgoingRequest &request, std::function<void(const QJsonObject &)> onOk)
{
    const quint64 generation = m_generation;
    ++m_busy;
    Q_EMIT busyChanged();
    qCInfo(lcClientAdmin) << "sending" << protocol::RequestTypeNames.toName(request.type);
    m_connection->send(
        request, this, [this, generation, onOk = std::move(onOk)](const Reply &reply) {
            if (generation != m_generation)
                return;
            --m_busy;
            Q_EMIT busyChanged();
            if (reply.outcome == Reply::Disconnected) {
                Q_EMIT actionFailed(tr("You are offline. The change was not made."));
                return;
            }
            if (!reply.ok()) {
                qCInfo(lcClientAdmin) << "refused:" << reply.message;
                Q_EMIT actionFailed(adminErrorText(reply.error));
                return;
            }
            onOk(reply.data);
            // The change is in the log now: the audit tab shows it.
            m_audit->refresh();
        });
}

} // namespace confab::client
