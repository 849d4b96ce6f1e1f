// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lan/avahiqtpoll.h"
#include "lan/mdnsrecord.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <avahi-client/client.h>
#include <avahi-client/lookup.h>

namespace confab::client {

/*!
 * \brief `_confab._tcp` services (protocol §19.5) found through avahi-daemon: NearbyServers'
 * second source beside the beacon, for links where the host's responder is heard but our
 * beacon is not (a server with discovery on but the beacon's port blocked, say).
 *
 * Keeps a resolver open for each service, so that a changed TXT record or address is seen.
 * Reports each server by its id: one that several records describe (heard on two
 * interfaces, over IPv4 and IPv6) is removed when the last of them goes. Waits for the
 * daemon when it is not running, and starts over when it restarts.
 */
class MdnsBrowser : public QObject
{
    Q_OBJECT
public:
    explicit MdnsBrowser(QObject *parent = nullptr);
    ~MdnsBrowser() override;

    void start();

Q_SIGNALS:
    /*! \brief \a record's server is at \a host (IPv4), \a port; again when it changes. */
    void resolved(const confab::lan::MdnsRecord &record, const QHostAddress &host, quint16 port);
    /*! \brief No record describes the server with \a id any more. */
    void removed(const QString &id);

private:
    struct Entry
    {
        AvahiServiceResolver *resolver = nullptr;
        QString id; //!< empty until it resolves to a valid record
    };

    static void onClient(AvahiClient *client, AvahiClientState state, void *self);
    static void onBrowse(AvahiServiceBrowser *browser, AvahiIfIndex interface,
        AvahiProtocol protocol, AvahiBrowserEvent event, const char *name, const char *type,
        const char *domain, AvahiLookupResultFlags flags, void *self);
    static void onResolve(AvahiServiceResolver *resolver, AvahiIfIndex interface,
        AvahiProtocol protocol, AvahiResolverEvent event, const char *name, const char *type,
        const char *domain, const char *hostName, const AvahiAddress *address, uint16_t port,
        AvahiStringList *txt, AvahiLookupResultFlags flags, void *self);

    void connectDaemon();
    void disconnectDaemon();
    void clientState(AvahiClient *client, AvahiClientState state);
    void found(AvahiClient *client, AvahiIfIndex interface, AvahiProtocol protocol,
        const char *name, const char *type, const char *domain);
    void resolvedEntry(const QString &key, const char *name, const AvahiAddress *address,
        uint16_t port, AvahiStringList *txt);
    void setId(Entry &entry, const QString &id);
    void forget(const QString &key);
    void forgetAll();

    QHash<QString, Entry> m_entries; //!< by interface, protocol, name and domain
    // Declared before the client: the client frees its watches through the poll.
    lan::AvahiQtPoll m_poll;
    AvahiClient *m_client = nullptr;
    AvahiServiceBrowser *m_browser = nullptr; //!< freed with m_client
    bool m_saidWaiting = false;
};

} // namespace confab::client
