// SPDX-License-Identifier: GPL-3.0-or-later
// Linked into confab_ingest_bench_noindex in place of storage/searchindex.cpp: the server
// exactly as built, but writing nothing to the search indexes, so that the cost of
// indexing each message shows as the difference between the two ingest benchmarks. The
// linker takes these definitions and never pulls searchindex.o from confabd_core.
#include "storage/searchindex.h"

namespace confab::server::searchindex {

bool add(WriteContext &, qint64, const QString &)
{
    return true;
}

bool remove(WriteContext &, qint64, const QString &)
{
    return true;
}

bool replace(WriteContext &, qint64, const QString &, const QString &)
{
    return true;
}

} // namespace confab::server::searchindex
