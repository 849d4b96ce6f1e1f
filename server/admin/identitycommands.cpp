// SPDX-License-Identifier: GPL-3.0-or-later
#include "admin/identitycommands.h"

#include "identity/serveridentity.h"
#include "lan/fingerprint.h"
#include "lan/invitelink.h"

#include <QFile>
#include <QNetworkInterface>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace confab::server::admin {

namespace {

enum Exit
{
    Ok = 0,
    Usage = 2,
    Identity = 5, // as serve's: the identity (or TLS files) cannot be read or made
};

// Where people on the LAN reach this server: the address it listens on, or, listening on
// every address, each IPv4 address of this machine's interfaces but loopback.
QList<QHostAddress> lanAddresses(const ServerConfig &config)
{
    const QHostAddress &listen = config.listenAddress;
    if (listen != QHostAddress::AnyIPv4 && listen != QHostAddress::Any
        && listen != QHostAddress::AnyIPv6)
        return listen.isLoopback() ? QList<QHostAddress>() : QList<QHostAddress> {listen};
    QList<QHostAddress> addresses;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (!address.isLoopback() && address.protocol() == QAbstractSocket::IPv4Protocol)
            addresses.append(address);
    }
    return addresses;
}

} // namespace

int identityCommand(
    const ServerConfig &config, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.value(0) != "identity"_L1)
        return -1;
    const bool rotate = args.size() == 2 && args.at(1) == "rotate"_L1;
    if (args.size() != 1 && !rotate) {
        err << "usage: identity [rotate]" << Qt::endl;
        return Usage;
    }
    QString error;
    const auto identity = rotate
        ? ServerIdentity::rotate(config.dataDir, config.displayName(), &error)
        : ServerIdentity::loadOrCreate(config.dataDir, config.displayName(), &error);
    if (!identity) {
        err << "confabd: " << error << Qt::endl;
        return Identity;
    }
    // What clients pin is the certificate the port serves: with tls_certificate that is the
    // operator's, not the identity's own.
    QString served = identity->fingerprint();
    if (!config.tlsCertificate.isEmpty()) {
        QFile file(config.tlsCertificate);
        const QList<QSslCertificate> chain = file.open(QIODevice::ReadOnly)
            ? QSslCertificate::fromDevice(&file, QSsl::Pem)
            : QList<QSslCertificate>();
        if (chain.isEmpty()) {
            err << "confabd: cannot read " << config.tlsCertificate << Qt::endl;
            return Identity;
        }
        served = lan::fingerprintOf(chain.first());
    }
    out << "id          " << identity->id() << '\n'
        << "name        " << config.displayName() << '\n'
        << "fingerprint " << served << '\n'
        << "code        " << lan::shortCode(served) << Qt::endl;
    if (config.tlsSelfSigned) {
        // The way to join with no code to compare, and the way back for apps that knew an
        // earlier identity at this address (docs/lan.md).
        for (const QHostAddress &address : lanAddresses(config)) {
            lan::InviteLink link;
            link.host = address.toString();
            link.port = config.port;
            link.fingerprint = served;
            link.serverId = identity->id();
            link.name = config.displayName();
            out << "link        " << link.toString() << '\n';
        }
        out.flush();
    }
    if (rotate) {
        out << "(the old key signed the new one: apps that pinned it accept the new key. "
               "Restart confabd to serve it."
            << (config.tlsCertificate.isEmpty()
                       ? ""
                       : " This server serves tls_certificate, not its own key, so the new key "
                         "is used only once tls_self_signed is.")
            << ")" << Qt::endl;
    }
    if (!config.secure())
        out << "(this server speaks plain ws://: set tls_self_signed = true so that clients "
               "can check the code)"
            << Qt::endl;
    return Ok;
}

QStringList identityCommandNames()
{
    return {u"identity"_s};
}

} // namespace confab::server::admin
