// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// One category per area of the app: QT_LOGGING_RULES="confab.client.net.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcClientNet)
Q_DECLARE_LOGGING_CATEGORY(lcClientSession)
Q_DECLARE_LOGGING_CATEGORY(lcClientAccount)
Q_DECLARE_LOGGING_CATEGORY(lcClientStore)
Q_DECLARE_LOGGING_CATEGORY(lcClientKeychain)
Q_DECLARE_LOGGING_CATEGORY(lcClientNotify)
//! Servers found on the local network (the UDP beacon, protocol §19.3).
Q_DECLARE_LOGGING_CATEGORY(lcClientLan)
//! Hosting a server from the app (hosting/hostedserver.h).
Q_DECLARE_LOGGING_CATEGORY(lcClientHosting)
