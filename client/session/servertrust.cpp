// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/servertrust.h"

#include "core/clientlogging.h"
#include "lan/fingerprint.h"
#include "net/pinstore.h"
#include "session/session.h"

#include <QJSEngine>

namespace confab::client {

ServerTrust::ServerTrust(PinStore *pins, QObject *parent)
    : QObject(parent)
    , m_pins(pins)
{ }

ServerTrust *ServerTrust::create(QQmlEngine *, QJSEngine *)
{
    Session *session = Session::instance();
    Q_ASSERT(session);
    QJSEngine::setObjectOwnership(session->serverTrust(), QJSEngine::CppOwnership);
    return session->serverTrust();
}

QString ServerTrust::shortCode() const
{
    return lan::shortCode(m_fingerprint);
}

void ServerTrust::confirm()
{
    if (m_prompt != CompareCode)
        return;
    qCInfo(lcClientAccount) << "pinning" << m_url << "server" << m_serverId << "key"
                            << m_fingerprint << "(codes compared by the user)";
    m_pins->pin(m_url, m_serverId, m_fingerprint);
    setPrompt(None, {}, {}, {});
    Q_EMIT confirmed();
}

void ServerTrust::reject()
{
    if (m_prompt != CompareCode)
        return;
    qCInfo(lcClientAccount) << "the user did not confirm the code of" << m_url;
    setPrompt(None, {}, {}, {});
    Q_EMIT rejected();
}

void ServerTrust::dismiss()
{
    if (m_prompt == KeyChanged)
        setPrompt(None, {}, {}, {});
}

void ServerTrust::withdraw()
{
    if (m_prompt == CompareCode)
        setPrompt(None, {}, {}, {});
}

void ServerTrust::expect(const QUrl &url, const QString &fingerprint, const QString &serverId)
{
    if (!lan::isFingerprint(fingerprint.toLower()))
        return;
    m_invited.insert(PinStore::addressOf(url), fingerprint.toLower());
    m_invitedIds.insert(PinStore::addressOf(url), serverId);
}

QString ServerTrust::invitedServerId(const QUrl &url) const
{
    return m_invitedIds.value(PinStore::addressOf(url));
}

QString ServerTrust::invitedFingerprint(const QUrl &url) const
{
    return m_invited.value(PinStore::addressOf(url));
}

void ServerTrust::askFirstUse(const QUrl &url, const protocol::Hello &hello, const TlsTrust &tls)
{
    m_serverId = hello.serverId;
    setPrompt(CompareCode, url, hello.name, tls.fingerprint);
}

void ServerTrust::showKeyChanged(const QUrl &url, const CloseInfo &info)
{
    m_serverId.clear();
    setPrompt(KeyChanged, url, {}, info.presentedFingerprint);
}

void ServerTrust::noteTrusted(const QUrl &url, const protocol::Hello &hello, const TlsTrust &tls)
{
    if (tls.kind != TlsTrust::Pinned)
        return;
    const QString address = PinStore::addressOf(url);
    const QString id = hello.serverId.isEmpty() ? address : hello.serverId;
    if (m_pins->serverIdFor(url) != id || m_pins->fingerprintOf(id) != tls.fingerprint) {
        qCInfo(lcClientAccount) << "pinning" << url << "server" << id << "key" << tls.fingerprint
                                << (tls.rotatedFrom.isEmpty() ? "" : "handed over by the pinned")
                                << tls.rotatedFrom;
        m_pins->pin(url, hello.serverId, tls.fingerprint);
    }
    m_invited.remove(address);
    m_invitedIds.remove(address);
}

void ServerTrust::setPrompt(
    Prompt prompt, const QUrl &url, const QString &name, const QString &fingerprint)
{
    m_prompt = prompt;
    m_url = url;
    m_name = name;
    m_fingerprint = fingerprint;
    Q_EMIT changed();
}

} // namespace confab::client
