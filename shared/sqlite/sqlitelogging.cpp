// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlite/sqlitelogging.h"

Q_LOGGING_CATEGORY(lcSqlite, "confab.sqlite", QtInfoMsg)
