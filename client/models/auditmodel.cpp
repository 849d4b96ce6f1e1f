// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/auditmodel.h"

#include "net/connection.h"
#include "protocol/teamrequests.h"
#include "session/errortext.h"

#include <QDateTime>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcClientAudit, "confab.client.audit", QtInfoMsg)

namespace confab::client {

namespace {

QString actorName(const protocol::AuditEntry &entry)
{
    return entry.actor.isEmpty() ? AuditModel::tr("The server's operator") : entry.actor;
}

} // namespace

AuditModel::AuditModel(Connection *connection, QObject *parent)
    : QAbstractListModel(parent)
    , m_connection(connection)
{ }

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const protocol::AuditEntry &e = m_entries.at(index.row());
    switch (role) {
    case IdRole:
        return e.id;
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(e.timestamp).toLocalTime();
    case ActorRole:
        return actorName(e);
    case ActionRole:
        return e.action;
    case SubjectRole:
        return e.subject;
    case DetailRole:
        return e.detail;
    case Qt::DisplayRole:
    case DescriptionRole:
        return describe(e);
    default:
        return {};
    }
}

QHash<int, QByteArray> AuditModel::roleNames() const
{
    return {{IdRole, "entryId"}, {TimeRole, "time"}, {ActorRole, "actor"}, {ActionRole, "action"},
        {SubjectRole, "subject"}, {DetailRole, "detail"}, {DescriptionRole, "description"}};
}

QString AuditModel::describe(const protocol::AuditEntry &entry)
{
    const QString actor = actorName(entry);
    const QString &subject = entry.subject;
    if (entry.action == "disable_user"_L1)
        return tr("%1 disabled %2").arg(actor, subject);
    if (entry.action == "enable_user"_L1)
        return tr("%1 enabled %2").arg(actor, subject);
    if (entry.action == "grant_admin"_L1)
        return tr("%1 made %2 an admin").arg(actor, subject);
    if (entry.action == "revoke_admin"_L1)
        return tr("%1 removed %2 as admin").arg(actor, subject);
    if (entry.action == "set_registration"_L1) {
        if (subject == "open"_L1)
            return tr("%1 opened registration to everyone").arg(actor);
        if (subject == "invite"_L1)
            return tr("%1 limited registration to invite codes").arg(actor);
        if (subject == "closed"_L1)
            return tr("%1 closed registration").arg(actor);
        return tr("%1 set registration to %2").arg(actor, subject);
    }
    if (entry.action == "create_invite"_L1)
        return tr("%1 created an invite code").arg(actor);
    // An action this app does not know yet (a newer server): its wire name.
    return tr("%1: %2 %3").arg(actor, entry.action, subject).trimmed();
}

void AuditModel::refresh()
{
    ++m_generation;
    request(0);
}

void AuditModel::loadOlder()
{
    if (m_loading || !m_hasOlder || m_entries.isEmpty())
        return;
    request(m_entries.constLast().id);
}

void AuditModel::clear()
{
    ++m_generation;
    m_hasOlder = false;
    setLoading(false);
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
    Q_EMIT countChanged();
}

void AuditModel::request(qint64 before)
{
    if (!m_connection)
        return;
    const quint64 generation = m_generation;
    setLoading(true);
    m_connection->send(protocol::requests::audit(before, m_pageSize), this,
        [this, generation, before](const Reply &reply) {
            if (generation != m_generation)
                return;
            if (reply.outcome == Reply::Disconnected) {
                setLoading(false, tr("You are offline."));
                return;
            }
            const auto page = reply.ok() ? protocol::AuditPage::fromJson(reply.data) : std::nullopt;
            if (!page) {
                qCInfo(lcClientAudit) << "audit failed:" << reply.message;
                setLoading(false, adminErrorText(reply.error));
                return;
            }
            m_hasOlder = page->entries.size() >= m_pageSize;
            const int before_count = int(m_entries.size());
            if (before == 0) {
                beginResetModel();
                m_entries = page->entries;
                endResetModel();
            } else {
                // Only entries older than those shown: a page never repeats a row.
                QList<protocol::AuditEntry> older;
                for (const protocol::AuditEntry &e : page->entries) {
                    if (e.id < before)
                        older.append(e);
                }
                if (!older.isEmpty()) {
                    const int first = int(m_entries.size());
                    beginInsertRows({}, first, first + int(older.size()) - 1);
                    m_entries.append(older);
                    endInsertRows();
                }
            }
            if (before_count != m_entries.size())
                Q_EMIT countChanged();
            setLoading(false);
        });
}

void AuditModel::setLoading(bool loading, const QString &error)
{
    if (m_loading == loading && m_errorText == error)
        return;
    m_loading = loading;
    m_errorText = error;
    Q_EMIT loadingChanged();
}

} // namespace confab::client
