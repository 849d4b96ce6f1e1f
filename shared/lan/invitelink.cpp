// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/invitelink.h"

#include "lan/fingerprint.h"

#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace confab::lan {

namespace {
constexpr auto Scheme = "confab"_L1;
// Message links are confab://host/room/...: the path tells the two kinds apart.
constexpr auto Path = "/join"_L1;
constexpr qsizetype MaxName = 64;
constexpr qsizetype MaxInvite = 64;
// Pasted text from anywhere: refuse anything long before QUrl parses it.
constexpr qsizetype MaxLink = 2048;
} // namespace

QUrl InviteLink::serverUrl() const
{
    QUrl url;
    url.setScheme(u"wss"_s);
    url.setHost(host);
    url.setPort(port);
    return url;
}

QString InviteLink::toString() const
{
    QUrl url;
    url.setScheme(Scheme);
    url.setHost(host);
    url.setPort(port);
    url.setPath(Path);
    QUrlQuery query;
    query.addQueryItem(u"fp"_s, fingerprint);
    for (const auto &[key, value] :
        {std::pair {u"id"_s, serverId}, {u"name"_s, name}, {u"invite"_s, invite}}) {
        if (!value.isEmpty())
            query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

bool InviteLink::looksLikeOne(const QString &text)
{
    const QUrl url(text.trimmed());
    return url.scheme() == Scheme && url.path() == Path;
}

std::optional<InviteLink> InviteLink::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.size() > MaxLink)
        return std::nullopt;
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != Scheme || url.host().isEmpty()
        || !url.userInfo().isEmpty() || url.path() != Path)
        return std::nullopt;
    const int port = url.port(8747);
    if (port < 1 || port > 65535)
        return std::nullopt;
    const QUrlQuery query(url);
    InviteLink link;
    link.host = url.host();
    link.port = quint16(port);
    const auto value
        = [&query](const QString &key) { return query.queryItemValue(key, QUrl::FullyDecoded); };
    link.fingerprint = value(u"fp"_s);
    link.serverId = value(u"id"_s);
    link.name = value(u"name"_s);
    link.invite = value(u"invite"_s);
    for (const auto &item : query.queryItems()) {
        if (query.allQueryItemValues(item.first).size() > 1)
            return std::nullopt; // which one would count is anybody's guess
    }
    if (!isFingerprint(link.fingerprint) || link.name.size() > MaxName
        || link.invite.size() > MaxInvite)
        return std::nullopt;
    if (!link.serverId.isEmpty()
        && (link.serverId.size() != 36 || QUuid::fromString(link.serverId).isNull()))
        return std::nullopt;
    return link;
}

} // namespace confab::lan
