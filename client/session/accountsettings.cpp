// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/accountsettings.h"

#include "models/sessionlistmodel.h"
#include "net/connection.h"
#include "protocol/accountrequests.h"
#include "protocol/selfserviceresults.h"
#include "session/errortext.h"
#include "session/session.h"

#include <QJSEngine>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcClientSelfService, "confab.client.selfservice", QtInfoMsg)

namespace confab::client {

AccountSettings::AccountSettings(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_sessions(new SessionListModel(this))
{
    connect(m_connection, &Connection::ready, this, &AccountSettings::reconnected);
    m_refreshTimer.setInterval(RefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        // A list on its way already will do.
        if (m_listing == 0 && m_connection->state() == Connection::Ready)
            refresh();
    });
}

void AccountSettings::reconnected()
{
    updateAvailable();
    // Sessions may have ended (or a revoke cut off by the drop gone through) meanwhile.
    if (m_sessionsShown && m_available)
        refresh();
}

void AccountSettings::setSessionsShown(bool shown)
{
    if (shown == m_sessionsShown)
        return;
    m_sessionsShown = shown;
    Q_EMIT sessionsShownChanged();
    if (shown) {
        m_refreshTimer.start();
        refresh();
    } else {
        m_refreshTimer.stop();
    }
}

AccountSettings *AccountSettings::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->accountSettings(), QJSEngine::CppOwnership);
    return session->accountSettings();
}

void AccountSettings::updateAvailable()
{
    const bool available = m_connection->hello().has(protocol::features::Accounts);
    if (available == m_available)
        return;
    m_available = available;
    Q_EMIT availableChanged();
}

void AccountSettings::reset()
{
    ++m_generation;
    m_ownRevoked = false;
    m_sessions->clear();
    if (m_sessionsShown) {
        m_sessionsShown = false;
        m_refreshTimer.stop();
        Q_EMIT sessionsShownChanged();
    }
    m_listing = 0;
    if (m_busy != 0) {
        m_busy = 0;
        Q_EMIT busyChanged();
    }
}

void AccountSettings::changePassword(
    const QString &current, const QString &newPassword, bool revokeOthers)
{
    send(protocol::requests::changePassword(current, newPassword, revokeOthers),
        [this](const QJsonObject &data) {
            const auto result = protocol::PasswordChanged::fromJson(data);
            const qint64 revoked = result ? result->revoked : 0;
            Q_EMIT passwordChanged();
            Q_EMIT changed(revoked > 0
                    ? tr("Password changed. %n other device(s) signed out.", nullptr, int(revoked))
                    : tr("Password changed."));
            refresh();
        });
}

void AccountSettings::refresh()
{
    send(protocol::requests::sessions(), [this](const QJsonObject &data) {
        const auto list = protocol::SessionList::fromJson(data);
        if (list)
            m_sessions->reset(list->sessions);
    });
}

void AccountSettings::revoke(qint64 id)
{
    const bool own = m_sessions->isCurrent(id);
    send(protocol::requests::revokeSession(id), [this, id, own](const QJsonObject &) {
        m_sessions->remove(id);
        Q_EMIT changed(tr("The device was signed out."));
        if (own) {
            // The server closes this connection next: lists still on their way fail with
            // it, and saying so would hide the sentence above.
            m_ownRevoked = true;
            return;
        }
        // The server's list, not ours: others may have ended meanwhile.
        refresh();
    });
}

void AccountSettings::deleteAccount(const QString &password)
{
    // Success closes every connection with 4001 "account deleted": Account signs out.
    send(protocol::requests::deleteAccount(password), [](const QJsonObject &) {});
}

void AccountSettings::send(
    const protocol::OutgoingRequest &request, std::function<void(const QJsonObject &)> onOk)
{
    const quint64 generation = m_generation;
    // Sent while offline, it never left. Sent and then cut off, the server may have made
    // the change before the drop: saying it was not made could be false.
    const bool wasSent = m_connection->state() == Connection::Ready;
    // Loading the list changes nothing: the buttons stay usable meanwhile (it reloads
    // every RefreshMs while shown).
    const bool listOnly = request.type == protocol::RequestType::Sessions;
    if (listOnly) {
        ++m_listing;
    } else {
        ++m_busy;
        Q_EMIT busyChanged();
    }
    qCInfo(lcClientSelfService) << "sending" << protocol::RequestTypeNames.toName(request.type);
    m_connection->send(request, this,
        [this, generation, wasSent, listOnly, onOk = std::move(onOk)](const Reply &reply) {
            if (generation != m_generation)
                return;
            if (listOnly) {
                --m_listing;
            } else {
                --m_busy;
                Q_EMIT busyChanged();
            }
            if (reply.outcome == Reply::Disconnected) {
                if (listOnly && m_ownRevoked)
                    return; // cut off by our own sign-out, which was reported
                if (!wasSent)
                    Q_EMIT actionFailed(listOnly
                            ? tr("You are offline. The list of devices could not be loaded.")
                            : tr("You are offline. The change was not made."));
                else
                    Q_EMIT actionFailed(listOnly
                            ? tr("The connection was lost while loading the devices. They "
                                 "load again when it is back.")
                            : tr("The connection was lost before the server answered: the "
                                 "request could not be completed. Check and try again when "
                                 "the connection is back."));
                return;
            }
            if (!reply.ok()) {
                qCInfo(lcClientSelfService) << "refused:" << reply.message;
                Q_EMIT actionFailed(accountErrorText(reply.error));
                return;
            }
            onOk(reply.data);
        });
}

} // namespace confab::client
