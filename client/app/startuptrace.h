// SPDX-License-Identifier: GPL-3.0-or-later
// The start-up trace: with CONFAB_STARTUP_TRACE=<file> in the environment, the app appends
// one JSON line to <file> when it first presents a frame that shows the chat page with
// timeline rows (tests/bench's real-window mode reads it). Unset, it costs one getenv.
#pragma once

class QQmlApplicationEngine;

namespace confab::client::startuptrace {

/*! \brief The first thing main() does: notes the moment, if tracing. */
void markMain();

/*! \brief Notes a named moment of the start-up ("<name>_ns" in the line), if tracing. */
void mark(const char *name);

/*! \brief Once Main.qml is loaded: watches its window's exposure and presented frames. */
void attach(QQmlApplicationEngine &engine);

} // namespace confab::client::startuptrace
