// SPDX-License-Identifier: GPL-3.0-or-later
#include "residentmemory.h"

#include <QFile>
#include <QList>

#if defined(__SANITIZE_ADDRESS__)
#define CONFAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFAB_ASAN 1
#endif
#endif
#ifdef CONFAB_ASAN
// From the ASan runtime; GCC ships no header for it.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace confab::test {

qint64 residentKiB()
{
#ifdef CONFAB_ASAN
    return qint64(__sanitizer_get_current_allocated_bytes() / 1024);
#else
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
#endif
}

} // namespace confab::test
