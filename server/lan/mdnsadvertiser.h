// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lan/avahiqtpoll.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <avahi-client/client.h>
#include <avahi-client/publish.h>

namespace confab::server {

/*!
 * \brief Publishes this server as a `_confab._tcp` service (protocol §19.5) through
 * avahi-daemon, beside the UDP beacon: the machine's own mDNS responder, which answers
 * for every program on it and which browsers other than Confab's understand too.
 *
 * Waits for the daemon when it is not running and publishes when it starts; publishes
 * again when it restarts; takes another instance name (Avahi's "Name #2") when another
 * service on the link has this one. stop() withdraws the service, and avahi-daemon says
 * goodbye for it, so browsers drop it at once.
 */
class MdnsAdvertiser : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString id; //!< ServerIdentity::id()
        QString name; //!< ServerConfig::displayName()
        quint16 port = 0; //!< the WebSocket port
        QString fingerprint; //!< of the served certificate; empty on ws://
        QHostAddress listen; //!< publish only on the interface that carries it, unless "any"
    };

    explicit MdnsAdvertiser(Settings settings, QObject *parent = nullptr);
    /*! \brief Withdraws the service, if published. */
    ~MdnsAdvertiser() override;

    /*!
     * \brief Starts talking to avahi-daemon; false with \a error if this server cannot be
     * published at all (its name, a loopback listen address). The daemon being absent is
     * no error: it is waited for.
     */
    bool start(QString *error);
    /*! \brief Withdraws the service and lets go of the daemon. Safe to call twice. */
    void stop();

private:
    static void onClient(AvahiClient *client, AvahiClientState state, void *self);
    static void onGroup(AvahiEntryGroup *group, AvahiEntryGroupState state, void *self);
    void connectDaemon();
    void disconnectDaemon();
    void clientState(AvahiClient *client, AvahiClientState state);
    void groupState(AvahiEntryGroup *group, AvahiEntryGroupState state);
    void publish(AvahiClient *client);
    void takeAlternativeName();

    Settings m_settings;
    QList<QByteArray> m_txt;
    QByteArray m_instanceName;
    AvahiIfIndex m_interface = AVAHI_IF_UNSPEC;
    AvahiProtocol m_protocol = AVAHI_PROTO_UNSPEC;
    // Declared before the client: the client frees its watches through the poll.
    lan::AvahiQtPoll m_poll;
    AvahiClient *m_client = nullptr;
    AvahiEntryGroup *m_group = nullptr; //!< freed with m_client
    bool m_running = false;
    bool m_saidWaiting = false;
};

} // namespace confab::server
