// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// One category per area, so operators can turn on exactly what they need:
// QT_LOGGING_RULES="confab.net.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
//! Plain HTTP on the WebSocket port: /healthz, /metrics and what is refused.
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcAdmin)
Q_DECLARE_LOGGING_CATEGORY(lcMedia)
Q_DECLARE_LOGGING_CATEGORY(lcFiles)
Q_DECLARE_LOGGING_CATEGORY(lcProfiles)
//! Discovery on the local network: the UDP beacon (protocol §19.3).
Q_DECLARE_LOGGING_CATEGORY(lcLan)
//! Several instances on one PostgreSQL: the doorbell between them.
Q_DECLARE_LOGGING_CATEGORY(lcCluster)
