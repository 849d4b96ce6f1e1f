// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace confab::test {

/*!
 * \brief Memory this process uses, in KiB: VmRSS from /proc/self/status, or
 * under AddressSanitizer the live heap (its quarantine keeps freed memory
 * resident, up to 256 MiB, which would swamp any bound on VmRSS), and so under
 * ThreadSanitizer (its shadow memory grows with every byte touched).
 */
qint64 residentKiB();

} // namespace confab::test
