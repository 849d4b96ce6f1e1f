// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/joinlinks.h"

#include "core/clientlogging.h"
#include "lan/invitelink.h"
#include "session/servertrust.h"
#include "session/session.h"

#include <QJSEngine>

using namespace Qt::StringLiterals;

namespace confab::client {

JoinLinks::JoinLinks(ServerTrust *trust, QObject *parent)
    : QObject(parent)
    , m_trust(trust)
{ }

JoinLinks *JoinLinks::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    return new JoinLinks(session->serverTrust());
}

bool JoinLinks::isJoinLink(const QString &text)
{
    return lan::InviteLink::looksLikeOne(text);
}

QVariantMap JoinLinks::use(const QString &text)
{
    const auto link = lan::InviteLink::parse(text);
    if (!link)
        return {};
    const QUrl url = link->serverUrl();
    qCInfo(lcClientAccount) << "invite link to" << url << "server" << link->serverId;
    m_trust->expect(url, link->fingerprint, link->serverId);
    return {{u"url"_s, url.toString()}, {u"invite"_s, link->invite}, {u"name"_s, link->name}};
}

} // namespace confab::client
