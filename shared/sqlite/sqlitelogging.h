// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// Schema creation, adoption and migration of every SQLite file Confab owns, server and client.
Q_DECLARE_LOGGING_CATEGORY(lcSqlite)
