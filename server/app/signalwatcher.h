// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

namespace confab::server {

/*!
 * \brief Turns SIGINT/SIGTERM (Ctrl+C / console close on Windows) into a Qt
 * signal on the event loop, where a clean shutdown can run, and SIGHUP (Unix) into a
 * request to re-read the configuration.
 */
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested();
    void reloadRequested();
};

} // namespace confab::server
