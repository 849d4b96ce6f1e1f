// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace confab::server {

// The MIME type of the file at path from its bytes (libmagic), never from its name.
// "application/octet-stream" when libmagic cannot tell. Thread-safe: each thread has its
// own libmagic handle, since one handle must not be used by two threads at once.
QString detectFileType(const QString &path);

} // namespace confab::server
