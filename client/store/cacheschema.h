// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sqlite/schema.h"

namespace confab::client {

/*!
 * \brief The local cache's schema. Version 1 is the schema caches had before it was
 * versioned (user_version 0), which is why an unversioned cache is adopted without a copy.
 */
const sqlite::Schema &cacheSchema();

} // namespace confab::client
