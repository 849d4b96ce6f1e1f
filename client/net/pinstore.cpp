// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/pinstore.h"

#include "lan/fingerprint.h"

#include <QSettings>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

// QSettings splits keys at '/': an address is kept percent-encoded, so it has none.
QString addressKey(const QString &address)
{
    return u"pins/addresses/"_s + QString::fromLatin1(QUrl::toPercentEncoding(address));
}

QString serverKey(const QString &serverId)
{
    return u"pins/servers/"_s + QString::fromLatin1(QUrl::toPercentEncoding(serverId));
}

} // namespace

PinStore::PinStore(QSettings *settings)
    : m_settings(settings)
{ }

QString PinStore::addressOf(const QUrl &url)
{
    return url.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments).toString();
}

QString PinStore::serverIdFor(const QUrl &url) const
{
    return value(addressKey(addressOf(url)));
}

QString PinStore::fingerprintOf(const QString &serverId) const
{
    if (serverId.isEmpty())
        return {};
    return value(serverKey(serverId));
}

bool PinStore::pin(const QUrl &url, const QString &serverId, const QString &fingerprint)
{
    if (!lan::isFingerprint(fingerprint))
        return false;
    const QString address = addressOf(url);
    const QString id = serverId.isEmpty() ? address : serverId;
    setValue(serverKey(id), fingerprint);
    setValue(addressKey(address), id);
    if (m_settings)
        m_settings->sync();
    return true;
}

QString PinStore::value(const QString &key) const
{
    if (m_settings)
        return m_settings->value(key).toString();
    return m_memory.value(key);
}

void PinStore::setValue(const QString &key, const QString &value)
{
    if (m_settings)
        m_settings->setValue(key, value);
    else
        m_memory.insert(key, value);
}

} // namespace confab::client
