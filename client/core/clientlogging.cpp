// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/clientlogging.h"

Q_LOGGING_CATEGORY(lcClientNet, "confab.client.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientSession, "confab.client.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientAccount, "confab.client.account", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientStore, "confab.client.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientKeychain, "confab.client.keychain", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientNotify, "confab.client.notify", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientLan, "confab.client.lan", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientHosting, "confab.client.hosting", QtInfoMsg)
