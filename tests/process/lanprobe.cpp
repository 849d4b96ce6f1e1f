// SPDX-License-Identifier: GPL-3.0-or-later
// What lan_beacon_netns.sh and lan_mdns_netns.sh run in the second network namespace: the
// app's side of the beacon and of mDNS, checked against what the script knows of the
// server in the first.
//
//   lanprobe query TIMEOUT_MS                         a query's unicast answer, printed
//   lanprobe watch ID NAME PORT FP SEE_MS GONE_MS     NearbyServers lists it, then drops it
//   lanprobe mdns-watch ID NAME PORT FP SEE_MS GONE_MS  the same with mDNS alone (no beacon)
//   lanprobe silent MS                                NearbyServers lists nothing for MS
//   lanprobe mdns-silent MS                           the same with mDNS alone
//
// Exit 0 when what was expected happened, 1 when not (with the reason on stderr), 2 on usage.
#include "lan/beaconmembership.h"
#include "lan/beaconpacket.h"
#include "lan/nearbyservers.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkDatagram>
#include <QTextStream>
#include <QTimer>
#include <QUdpSocket>

using namespace Qt::StringLiterals;
using confab::client::NearbyServers;
using confab::lan::BeaconPacket;

namespace {

QTextStream out(stdout);
QTextStream err(stderr);

// Waits, serving events, until \a done or \a ms pass; returns done().
template<typename Done> bool waitFor(int ms, Done done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    return done();
}

int query(int timeoutMs)
{
    // A socket of its own that joins nothing: only a unicast answer can reach it.
    QUdpSocket socket;
    socket.bind(QHostAddress::AnyIPv4, 0);
    const auto interfaces = confab::lan::BeaconMembership::interfaces();
    QElapsedTimer took;
    took.start();
    const int sent = confab::lan::BeaconMembership::sendToGroup(socket, interfaces,
        confab::lan::encodeBeacon(BeaconPacket::query()), confab::lan::beacon::Port);
    if (sent == 0) {
        err << "lanprobe: no interface to send the query on" << Qt::endl;
        return 1;
    }
    std::optional<BeaconPacket> answer;
    QHostAddress from;
    waitFor(timeoutMs, [&] {
        while (!answer && socket.hasPendingDatagrams()) {
            const QNetworkDatagram datagram = socket.receiveDatagram();
            answer = confab::lan::decodeBeacon(datagram.data());
            from = datagram.senderAddress();
        }
        return answer.has_value();
    });
    if (!answer || answer->kind != BeaconPacket::Kind::Announce) {
        err << "lanprobe: no answer to the query within " << timeoutMs << " ms" << Qt::endl;
        return 1;
    }
    out << "answer " << answer->id << ' ' << from.toString() << ' ' << answer->port << ' '
        << (answer->tls ? answer->fingerprint : u"-"_s) << ' ' << answer->usersOnline << ' '
        << took.elapsed() << "ms" << Qt::endl;
    return 0;
}

int watch(const QStringList &args, bool mdnsOnly)
{
    const QString id = args.at(0);
    const QString name = args.at(1);
    const int port = args.at(2).toInt();
    const QString fp = args.at(3) == "-"_L1 ? QString() : args.at(3);
    const int seeMs = args.at(4).toInt();
    const int goneMs = args.at(5).toInt();
    NearbyServers servers;
    servers.setUseBeacon(!mdnsOnly);
    servers.setUseMdns(mdnsOnly);
    const auto row = [&]() -> QModelIndex {
        for (int i = 0; i < servers.rowCount(); ++i) {
            if (servers.index(i).data(NearbyServers::ServerIdRole).toString() == id)
                return servers.index(i);
        }
        return {};
    };
    servers.setActive(true);
    QElapsedTimer took;
    took.start();
    if (!waitFor(seeMs, [&] { return row().isValid(); })) {
        err << "lanprobe: " << id << " not listed within " << seeMs << " ms" << Qt::endl;
        return 1;
    }
    const QModelIndex seen = row();
    const auto value = [&](int role) { return seen.data(role).toString(); };
    if (value(NearbyServers::NameRole) != name || seen.data(NearbyServers::PortRole).toInt() != port
        || value(NearbyServers::FingerprintRole) != fp
        || seen.data(NearbyServers::SecureRole).toBool() != !fp.isEmpty()
        // mDNS has no count of people; the beacon always has one.
        || (seen.data(NearbyServers::UsersOnlineRole).toInt() < 0) != mdnsOnly) {
        err << "lanprobe: listed as " << value(NearbyServers::NameRole) << " port "
            << value(NearbyServers::PortRole) << " fp " << value(NearbyServers::FingerprintRole)
            << " users " << value(NearbyServers::UsersOnlineRole) << Qt::endl;
        return 1;
    }
    // The script kills the server when it reads this line.
    out << "seen " << value(NearbyServers::UrlRole) << ' ' << value(NearbyServers::ShortCodeRole)
        << " users " << value(NearbyServers::UsersOnlineRole) << " after " << took.elapsed() << "ms"
        << Qt::endl;
    took.restart();
    if (!waitFor(goneMs, [&] { return !row().isValid(); })) {
        err << "lanprobe: still listed " << goneMs << " ms later" << Qt::endl;
        return 1;
    }
    out << "gone after " << took.elapsed() << "ms" << Qt::endl;
    return 0;
}

int silent(int ms, bool mdnsOnly)
{
    NearbyServers servers;
    servers.setUseBeacon(!mdnsOnly);
    servers.setUseMdns(mdnsOnly);
    servers.setActive(true);
    if (waitFor(ms, [&] { return servers.rowCount() > 0; })) {
        err << "lanprobe: listed " << servers.index(0).data(NearbyServers::UrlRole).toString()
            << Qt::endl;
        return 1;
    }
    out << "nothing heard in " << ms << "ms" << Qt::endl;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments().mid(1);
    const QString mode = args.value(0);
    if (mode == "query"_L1 && args.size() == 2)
        return query(args.at(1).toInt());
    if (mode == "watch"_L1 && args.size() == 7)
        return watch(args.mid(1), false);
    if (mode == "mdns-watch"_L1 && args.size() == 7)
        return watch(args.mid(1), true);
    if ((mode == "silent"_L1 || mode == "mdns-silent"_L1) && args.size() == 2)
        return silent(args.at(1).toInt(), mode == "mdns-silent"_L1);
    err << "usage: lanprobe query MS | watch|mdns-watch ID NAME PORT FP|- SEE_MS GONE_MS | "
           "silent|mdns-silent MS"
        << Qt::endl;
    return 2;
}
