// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>

namespace confab::server::frametap {

/*!
 * \brief Records \a utf8, one text frame about to be sent, when CONFAB_FRAME_LOG names a
 * folder: each process appends its frames, one per line, to
 * <folder>/frames-<program>-<pid>.jsonl.
 *
 * For the test suite, which validates every frame the server sent against
 * docs/protocol.schema.json (tools/validate-frames). The variable is read once; unset, this
 * is one test of a flag.
 */
void record(QByteArrayView utf8);

} // namespace confab::server::frametap
