// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/mdnsadvertiser.h"

#include "core/logging.h"
#include "lan/beaconmembership.h"
#include "lan/beaconpacket.h"
#include "lan/mdnsrecord.h"
#include "protocol/protocolversion.h"

#include <QMetaObject>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

bool isAny(const QHostAddress &address)
{
    return address.isNull() || address == QHostAddress::Any || address == QHostAddress::AnyIPv4
        || address == QHostAddress::AnyIPv6;
}

QString errorText(int error)
{
    return QString::fromUtf8(avahi_strerror(error));
}

} // namespace

MdnsAdvertiser::MdnsAdvertiser(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{ }

MdnsAdvertiser::~MdnsAdvertiser()
{
    stop();
}

bool MdnsAdvertiser::start(QString *error)
{
    if (m_running)
        return true;
    lan::MdnsRecord record;
    record.version = protocol::Version;
    record.id = m_settings.id;
    record.name = m_settings.name;
    record.fingerprint = m_settings.fingerprint;
    m_txt = lan::encodeMdnsTxt(record);
    if (m_txt.isEmpty() || m_settings.port == 0) {
        *error = u"discovery (mDNS): cannot publish this server (name '%1' must be 1-%2 "
                 "characters without control characters)"_s.arg(m_settings.name)
                     .arg(lan::beacon::MaxNameLength);
        return false;
    }
    if (m_settings.listen.isLoopback()) {
        *error = u"discovery (mDNS): confabd listens on %1, which nobody nearby can reach"_s.arg(
            m_settings.listen.toString());
        return false;
    }
    // On a given address: only on the interface that carries it, so that browsers resolve
    // the address confabd listens on, not another of this machine's.
    if (!isAny(m_settings.listen)) {
        const QList<QNetworkInterface> carrying
            = lan::BeaconMembership::interfaces(m_settings.listen);
        if (carrying.size() == 1)
            m_interface = carrying.first().index();
    }
    if (m_settings.listen.protocol() == QAbstractSocket::IPv4Protocol)
        m_protocol = AVAHI_PROTO_INET;
    m_instanceName = lan::mdnsInstanceName(m_settings.name);
    m_running = true;
    connectDaemon();
    return true;
}

void MdnsAdvertiser::stop()
{
    if (!m_running)
        return;
    m_running = false;
    const bool published = m_group && !avahi_entry_group_is_empty(m_group);
    // Freeing the group is a blocking D-Bus call: when it returns, avahi-daemon has
    // withdrawn the records and sent their goodbye (TTL 0), even if confabd exits next.
    disconnectDaemon();
    if (published)
        qCInfo(lcLan) << "mDNS: withdrew" << m_instanceName;
}

void MdnsAdvertiser::connectDaemon()
{
    int error = 0;
    // NO_FAIL: an absent daemon is waited for (CONNECTING) rather than an error, and a
    // restarted one reported as a failure with AVAHI_ERR_DISCONNECTED, handled below.
    AvahiClient *client
        = avahi_client_new(m_poll.poll(), AVAHI_CLIENT_NO_FAIL, &onClient, this, &error);
    if (!client) {
        // No system D-Bus at all (a container, a minimal install): nothing to wait for.
        qCInfo(lcLan).noquote() << u"mDNS: not published (%1); the beacon still announces"_s.arg(
            errorText(error));
        m_running = false;
        return;
    }
    m_client = client;
}

void MdnsAdvertiser::disconnectDaemon()
{
    if (m_group)
        avahi_entry_group_free(m_group);
    m_group = nullptr;
    if (m_client)
        avahi_client_free(m_client);
    m_client = nullptr;
}

void MdnsAdvertiser::onClient(AvahiClient *client, AvahiClientState state, void *self)
{
    static_cast<MdnsAdvertiser *>(self)->clientState(client, state);
}

void MdnsAdvertiser::onGroup(AvahiEntryGroup *group, AvahiEntryGroupState state, void *self)
{
    static_cast<MdnsAdvertiser *>(self)->groupState(group, state);
}

void MdnsAdvertiser::clientState(AvahiClient *client, AvahiClientState state)
{
    // The client, not m_client: avahi_client_new() calls this before it returns.
    switch (state) {
    case AVAHI_CLIENT_S_RUNNING:
        m_saidWaiting = false;
        publish(client);
        return;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
        // The daemon is renaming this host: records already published are withdrawn until
        // it is RUNNING again, and then published anew.
        if (m_group)
            avahi_entry_group_reset(m_group);
        return;
    case AVAHI_CLIENT_CONNECTING:
        if (!m_saidWaiting) {
            m_saidWaiting = true;
            qCInfo(lcLan) << "mDNS: avahi-daemon is not running; publishing when it starts"
                             " (the beacon announces meanwhile)";
        }
        return;
    case AVAHI_CLIENT_FAILURE:
        break;
    }
    const int error = avahi_client_errno(client);
    if (error == AVAHI_ERR_DISCONNECTED) {
        // The daemon stopped or restarted. A new client waits for it (NO_FAIL); made after
        // this callback returns, not while the old one is still calling it.
        qCInfo(lcLan) << "mDNS: avahi-daemon went away; publishing again when it is back";
        QMetaObject::invokeMethod(
            this,
            [this] {
                disconnectDaemon();
                if (m_running)
                    connectDaemon();
            },
            Qt::QueuedConnection);
        return;
    }
    qCWarning(lcLan).noquote() << "mDNS: avahi-daemon failed:" << errorText(error)
                               << "(the beacon still announces)";
}

void MdnsAdvertiser::publish(AvahiClient *client)
{
    if (!m_group) {
        m_group = avahi_entry_group_new(client, &onGroup, this);
        if (!m_group) {
            qCWarning(lcLan).noquote()
                << "mDNS: cannot publish:" << errorText(avahi_client_errno(client));
            return;
        }
    }
    if (!avahi_entry_group_is_empty(m_group))
        return;
    // avahi_string_list_add() prepends: add the strings last to first to keep their order.
    AvahiStringList *txt = nullptr;
    for (auto it = m_txt.crbegin(); it != m_txt.crend(); ++it)
        txt = avahi_string_list_add_arbitrary(
            txt, reinterpret_cast<const uint8_t *>(it->constData()), size_t(it->size()));
    for (int attempt = 0; attempt < 10; ++attempt) {
        const int result = avahi_entry_group_add_service_strlst(m_group, m_interface, m_protocol,
            AvahiPublishFlags(0), m_instanceName.constData(), lan::mdns::ServiceType, nullptr,
            nullptr, m_settings.port, txt);
        if (result == AVAHI_ERR_COLLISION) {
            // A service of this machine has the name already (another confabd here).
            takeAlternativeName();
            continue;
        }
        if (result == AVAHI_OK && (avahi_entry_group_commit(m_group)) == AVAHI_OK) {
            qCDebug(lcLan) << "mDNS: publishing" << m_instanceName;
        } else {
            qCWarning(lcLan).noquote()
                << "mDNS: cannot publish:"
                << errorText(result != AVAHI_OK ? result : avahi_client_errno(client));
        }
        break;
    }
    avahi_string_list_free(txt);
}

void MdnsAdvertiser::groupState(AvahiEntryGroup *group, AvahiEntryGroupState state)
{
    switch (state) {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
        qCInfo(lcLan) << "mDNS: published" << m_instanceName << "as" << lan::mdns::ServiceType
                      << "on port" << m_settings.port;
        return;
    case AVAHI_ENTRY_GROUP_COLLISION:
        // Another machine on the link publishes a service by this name: pick the next one
        // ("Workshop #2") and try again, as RFC 6762 §9 asks.
        takeAlternativeName();
        avahi_entry_group_reset(group);
        publish(avahi_entry_group_get_client(group));
        return;
    case AVAHI_ENTRY_GROUP_FAILURE:
        qCWarning(lcLan).noquote()
            << "mDNS: publishing failed:"
            << errorText(avahi_client_errno(avahi_entry_group_get_client(group)));
        return;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
        return;
    }
}

void MdnsAdvertiser::takeAlternativeName()
{
    char *next = avahi_alternative_service_name(m_instanceName.constData());
    qCInfo(lcLan) << "mDNS: the name" << m_instanceName << "is taken; trying" << next;
    m_instanceName = next;
    avahi_free(next);
}

} // namespace confab::server
