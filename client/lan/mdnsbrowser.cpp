// SPDX-License-Identifier: GPL-3.0-or-later
#include "lan/mdnsbrowser.h"

#include "core/clientlogging.h"

#include <QMetaObject>
#include <QSet>
#include <avahi-common/address.h>
#include <avahi-common/error.h>
#include <avahi-common/strlst.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace confab::client {

namespace {

// Anyone on the link can publish services of our type; each costs a resolver (and a query
// on the network). No real LAN has this many Confab servers.
constexpr qsizetype MaxEntries = 256;

QString keyOf(AvahiIfIndex interface, AvahiProtocol protocol, const char *name, const char *domain)
{
    return u"%1/%2/%3/%4"_s.arg(interface).arg(protocol).arg(
        QString::fromUtf8(name), QString::fromUtf8(domain));
}

QList<QByteArray> stringsOf(AvahiStringList *txt)
{
    QList<QByteArray> strings;
    // More than decodeMdnsTxt() accepts is reason enough to stop copying.
    for (AvahiStringList *s = txt; s && strings.size() <= lan::mdns::MaxStrings;
         s = avahi_string_list_get_next(s))
        strings << QByteArray(reinterpret_cast<const char *>(avahi_string_list_get_text(s)),
            qsizetype(avahi_string_list_get_size(s)));
    return strings;
}

} // namespace

MdnsBrowser::MdnsBrowser(QObject *parent)
    : QObject(parent)
{ }

MdnsBrowser::~MdnsBrowser()
{
    disconnectDaemon();
}

void MdnsBrowser::start()
{
    if (!m_client)
        connectDaemon();
}

void MdnsBrowser::connectDaemon()
{
    int error = 0;
    // NO_FAIL: an absent daemon is waited for; a restart shows as AVAHI_ERR_DISCONNECTED.
    AvahiClient *client
        = avahi_client_new(m_poll.poll(), AVAHI_CLIENT_NO_FAIL, &onClient, this, &error);
    if (!client) {
        qCInfo(lcClientLan).noquote()
            << u"mDNS: not browsing (%1); servers nearby are found by their beacon only"_s.arg(
                   QString::fromUtf8(avahi_strerror(error)));
        return;
    }
    m_client = client;
}

void MdnsBrowser::disconnectDaemon()
{
    // Freeing the client frees its browser and resolvers.
    if (m_client)
        avahi_client_free(m_client);
    m_client = nullptr;
    m_browser = nullptr;
    m_entries.clear();
}

void MdnsBrowser::onClient(AvahiClient *client, AvahiClientState state, void *self)
{
    static_cast<MdnsBrowser *>(self)->clientState(client, state);
}

void MdnsBrowser::clientState(AvahiClient *client, AvahiClientState state)
{
    switch (state) {
    case AVAHI_CLIENT_S_RUNNING:
        m_saidWaiting = false;
        // The client, not m_client: avahi_client_new() calls this before it returns.
        if (!m_browser) {
            m_browser = avahi_service_browser_new(client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                lan::mdns::ServiceType, nullptr, AvahiLookupFlags(0), &onBrowse, this);
            if (!m_browser)
                qCWarning(lcClientLan).noquote()
                    << "mDNS: cannot browse:" << avahi_strerror(avahi_client_errno(client));
        }
        return;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
        return; // this host's own name; browsing goes on
    case AVAHI_CLIENT_CONNECTING:
        if (!m_saidWaiting) {
            m_saidWaiting = true;
            qCInfo(lcClientLan) << "mDNS: avahi-daemon is not running; servers nearby are found"
                                   " by their beacon until it starts";
        }
        return;
    case AVAHI_CLIENT_FAILURE:
        break;
    }
    const int error = avahi_client_errno(client);
    // What the daemon told us it no longer vouches for.
    forgetAll();
    if (error != AVAHI_ERR_DISCONNECTED) {
        qCWarning(lcClientLan) << "mDNS: avahi-daemon failed:" << avahi_strerror(error);
        return;
    }
    qCInfo(lcClientLan) << "mDNS: avahi-daemon went away; browsing again when it is back";
    // A new client, made after this callback returns rather than under the old one.
    QMetaObject::invokeMethod(
        this,
        [this] {
            disconnectDaemon();
            connectDaemon();
        },
        Qt::QueuedConnection);
}

void MdnsBrowser::onBrowse(AvahiServiceBrowser *browser, AvahiIfIndex interface,
    AvahiProtocol protocol, AvahiBrowserEvent event, const char *name, const char *type,
    const char *domain, AvahiLookupResultFlags, void *self)
{
    auto *that = static_cast<MdnsBrowser *>(self);
    switch (event) {
    case AVAHI_BROWSER_NEW:
        that->found(
            avahi_service_browser_get_client(browser), interface, protocol, name, type, domain);
        return;
    case AVAHI_BROWSER_REMOVE:
        that->forget(keyOf(interface, protocol, name, domain));
        return;
    case AVAHI_BROWSER_FAILURE:
        qCWarning(lcClientLan) << "mDNS: browsing failed:"
                               << avahi_strerror(avahi_client_errno(
                                      avahi_service_browser_get_client(browser)));
        that->forgetAll();
        return;
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    case AVAHI_BROWSER_ALL_FOR_NOW:
        return;
    }
}

void MdnsBrowser::found(AvahiClient *client, AvahiIfIndex interface, AvahiProtocol protocol,
    const char *name, const char *type, const char *domain)
{
    const QString key = keyOf(interface, protocol, name, domain);
    if (m_entries.contains(key))
        return;
    if (m_entries.size() >= MaxEntries) {
        qCDebug(lcClientLan) << "mDNS: ignored" << name << "(too many services)";
        return;
    }
    // IPv4 addresses only, as the beacon: an IPv6 link-local address needs its scope (the
    // interface) in every URL, and a server the app hosts listens on IPv4.
    AvahiServiceResolver *resolver = avahi_service_resolver_new(client, interface, protocol, name,
        type, domain, AVAHI_PROTO_INET, AvahiLookupFlags(0), &onResolve, this);
    if (!resolver) {
        qCDebug(lcClientLan) << "mDNS: cannot resolve" << name
                             << avahi_strerror(avahi_client_errno(client));
        return;
    }
    m_entries.insert(key, Entry {resolver, {}});
}

void MdnsBrowser::onResolve(AvahiServiceResolver *, AvahiIfIndex interface, AvahiProtocol protocol,
    AvahiResolverEvent event, const char *name, const char *, const char *domain, const char *,
    const AvahiAddress *address, uint16_t port, AvahiStringList *txt, AvahiLookupResultFlags,
    void *self)
{
    auto *that = static_cast<MdnsBrowser *>(self);
    const QString key = keyOf(interface, protocol, name, domain);
    if (event == AVAHI_RESOLVER_FOUND) {
        that->resolvedEntry(key, name, address, port, txt);
        return;
    }
    // Not resolved in time (no IPv4 address, its host gone): nothing to list for it, but
    // the resolver stays open and reports it if it comes back.
    qCDebug(lcClientLan) << "mDNS: cannot resolve" << name;
    const auto it = that->m_entries.find(key);
    if (it != that->m_entries.end())
        that->setId(*it, {});
}

void MdnsBrowser::resolvedEntry(const QString &key, const char *name, const AvahiAddress *address,
    uint16_t port, AvahiStringList *txt)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    const std::optional<lan::MdnsRecord> record = lan::decodeMdnsTxt(stringsOf(txt));
    char text[AVAHI_ADDRESS_STR_MAX] = {};
    if (address && address->proto == AVAHI_PROTO_INET)
        avahi_address_snprint(text, sizeof text, address);
    const QHostAddress host(QString::fromLatin1(text));
    // A TXT record is anyone's: one that breaks a rule of §19.5 lists nothing.
    if (!record || port == 0 || host.protocol() != QAbstractSocket::IPv4Protocol) {
        qCDebug(lcClientLan) << "mDNS: ignored" << name << "(not a valid Confab record)";
        setId(*it, {});
        return;
    }
    setId(*it, record->id);
    Q_EMIT resolved(*record, host, port);
}

void MdnsBrowser::setId(Entry &entry, const QString &id)
{
    if (entry.id == id)
        return;
    const QString was = std::exchange(entry.id, id);
    if (was.isEmpty())
        return;
    // The id it described until now, unless another record still describes it.
    for (const Entry &other : std::as_const(m_entries)) {
        if (other.id == was)
            return;
    }
    Q_EMIT removed(was);
}

void MdnsBrowser::forget(const QString &key)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    setId(*it, {});
    if (it->resolver)
        avahi_service_resolver_free(it->resolver);
    m_entries.erase(it);
}

void MdnsBrowser::forgetAll()
{
    // Their resolvers go with the client, which is failing or gone: no calls to it now.
    const QHash<QString, Entry> entries = std::exchange(m_entries, {});
    QSet<QString> ids;
    for (const Entry &entry : entries) {
        if (!entry.id.isEmpty())
            ids.insert(entry.id);
    }
    for (const QString &id : std::as_const(ids))
        Q_EMIT removed(id);
}

} // namespace confab::client
