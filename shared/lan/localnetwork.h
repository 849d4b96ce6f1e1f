// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace confab::lan {

/*!
 * \brief Whether \a host, as an address is written in a URL, names a machine on the local
 * network: a loopback, private (RFC 1918), link-local or unique-local IP address, one in
 * the subnet of one of this machine's interfaces, or a name of the kind only a LAN
 * resolves (no dot, "localhost", or ending in .local, .lan, .internal, .home.arpa).
 *
 * Trust on first use (docs/lan.md) is offered only for these: a server on the internet has
 * a certificate a CA vouches for, and nobody there has a host's screen to compare a code
 * with, so an unvouched certificate from it is an attack, not a LAN server.
 */
bool isOnLocalNetwork(const QString &host);

} // namespace confab::lan
