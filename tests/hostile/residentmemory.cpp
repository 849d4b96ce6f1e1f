// SPDX-License-Identifier: GPL-3.0-or-later
#include "residentmemory.h"

#include <QFile>
#include <QList>

// ASan's quarantine and TSan's shadow memory (several bytes for each byte the program
// touches) keep the resident set far above what the program holds: use the live heap.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CONFAB_SANITIZER_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CONFAB_SANITIZER_HEAP 1
#endif
#endif
#ifdef CONFAB_SANITIZER_HEAP
// From the sanitizer runtime; GCC ships no header for it.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace confab::test {

qint64 residentKiB()
{
#ifdef CONFAB_SANITIZER_HEAP
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
