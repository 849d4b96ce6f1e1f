// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logging.h"

Q_LOGGING_CATEGORY(lcServer, "confab.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "confab.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "confab.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "confab.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "confab.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAdmin, "confab.admin", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMedia, "confab.media", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFiles, "confab.files", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProfiles, "confab.profiles", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCluster, "confab.cluster", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLan, "confab.lan", QtInfoMsg)
