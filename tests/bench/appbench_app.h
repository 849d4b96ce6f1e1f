// SPDX-License-Identifier: GPL-3.0-or-later
// The app under measurement: what client/app/main.cpp builds (QApplication, Material style,
// translator, AppSettings, Session, Notifier, Main.qml), pointed at a prepared folder, plus
// a watcher that timestamps every frame the window presents and what it showed.
#pragma once

#include "models/timelinemodel.h"
#include "notify/notifier.h"
#include "session/session.h"
#include "settings/appsettings.h"

#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTimer>
#include <QTranslator>
#include <functional>
#include <memory>

namespace confab::bench {

/*! \brief What one presented frame showed, sampled while the scene was synchronised. */
struct Frame
{
    qint64 swappedNs = 0; //!< CLOCK_MONOTONIC when frameSwapped was emitted
    qint64 room = 0; //!< Session.currentRoomId
    int viewCount = 0; //!< rows the timeline's ListView has
    int delegatesOnScreen = 0; //!< message rows inside the viewport
    int delegatesCreated = 0; //!< items in the view's content (delegates, header)
    bool placed = false; //!< Timeline.qml placed the view (at the end) for this room
};

class AppUnderTest : public QObject
{
    Q_OBJECT
public:
    explicit AppUnderTest(const QString &dir, QObject *parent = nullptr);
    ~AppUnderTest() override;

    /*! \brief Builds the app as main.cpp does and loads Main.qml at 1200×800. \a
     * beforeSession runs on the settings first (the cache is not open yet). */
    bool start(const std::function<void(client::AppSettings &)> &beforeSession = {});

    client::Session *session() const { return m_session.get(); }
    QQuickWindow *window() const { return m_window; }
    QQmlApplicationEngine *engine() const { return m_engine.get(); }
    QQuickItem *timelineView() const; //!< the ListView "timelineView", or null
    QQuickItem *timelineRoot() const; //!< Timeline.qml's root item, or null
    QString backend() const; //!< the scene graph's backend and graphics API

    /*! \brief Called on the GUI thread for every presented frame, in order. */
    std::function<void(const Frame &)> onFrame;

    /*! \brief Nanosecond marks of the start-up, relative to nothing (CLOCK_MONOTONIC). */
    qint64 appCreatedNs = 0;
    qint64 sessionRestoredNs = 0;
    qint64 qmlLoadedNs = 0;
    qint64 cacheRowsNs = 0; //!< the current room's timeline first had rows

private:
    void sample(); //!< render side, GUI thread blocked (or the GUI thread itself)
    void swapped(); //!< render side
    void deliver(); //!< GUI thread

    QString m_dir;
    QTranslator m_translator;
    std::unique_ptr<QSettings> m_ini;
    std::unique_ptr<client::AppSettings> m_settings;
    std::unique_ptr<client::Session> m_session;
    std::unique_ptr<client::Notifier> m_notifier;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QPointer<QQuickWindow> m_window;
    mutable QPointer<QQuickItem> m_view;

    QMutex m_lock; //!< guards the two below (the render thread writes them)
    Frame m_sampled;
    QList<Frame> m_presented;
};

/*! \brief The event-loop latency of a 16 ms timer and the gaps between presented frames,
 * over a window of time. */
class Probe : public QObject
{
    Q_OBJECT
public:
    explicit Probe(QObject *parent = nullptr);
    void start();
    void stop();
    void addFrame(qint64 swappedNs);
    /*! \brief timer lateness p50/p99/max, frames and the longest gap between them. */
    QJsonObject result(const QString &prefix) const;
    double maxLateMs() const;
    double maxFrameGapMs() const;

private:
    QTimer m_timer;
    bool m_running = false;
    qint64 m_last = 0;
    QList<double> m_lateMs;
    QList<qint64> m_frames;
};

/*! \brief Runs the event loop until \a done (checked after every event batch and on
 * \a poll), or \a timeoutMs; true if done. */
bool waitFor(const std::function<bool()> &done, int timeoutMs, int pollMs = 5);

double percentile(QList<double> values, double p);

/*! \brief CLOCK_MONOTONIC right after the QApplication was constructed (set by main). */
extern qint64 applicationCreatedNs;

int measureStart(const QString &dir, qint64 entryNs, double execToMainMs);
int measureRoom(const QString &dir, int append, int pageTimeoutS, qint64 entryNs);

} // namespace confab::bench
