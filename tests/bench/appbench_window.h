// SPDX-License-Identifier: GPL-3.0-or-later
// confab_app_bench --real-window (appbench_window.cpp): the real executable in a real window.
#pragma once

#include <QString>

namespace confab::bench {

struct WindowOptions
{
    QString app; //!< the confab executable
    QString dir; //!< prepared (or to prepare) folder; kept
    qint64 messages = 100'000;
    int starts = 5; //!< measured starts per backend (+1 warm-up)
    int pageTimeoutS = 300;
    bool room = true; //!< also the large room's memory, per backend
    bool diskCache = true; //!< also the starts with QML_DISABLE_DISK_CACHE=1
};

/*! \brief 0, 1 on failure, 77 when there is no display or session bus. */
int realWindow(const WindowOptions &options);

} // namespace confab::bench
