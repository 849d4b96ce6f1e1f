// SPDX-License-Identifier: GPL-3.0-or-later
// What the user sees in the timeline, checked against the model: the invariant the UI
// tests assert after every step. A room switch once left another room's rows on screen
// (in a direct conversation, a privacy failure); unit tests of the models could not see it.
#pragma once

#include <QList>
#include <QMetaObject>
#include <QString>
#include <QWheelEvent>

class QQuickItem;
class QQuickWindow;

namespace confab::client {
class Session;
}

namespace confab::test {

/*!
 * \brief Checks the timeline view ("timelineView") of \a window against the current room's
 * model in \a session. Returns an empty string when everything holds, else what broke.
 *
 * - the view shows the current room's model, with as many rows;
 * - every delegate that is shown (visible, inside the view) belongs to that model: its
 *   index is a row, and its seq, sender and text are that row's;
 * - it is the view's item for that index (no stale copy of a row);
 * - shown delegates are laid out top to bottom in row order, without holes or overlaps;
 * - the rows the view says are at its top and bottom are the ones shown there.
 */
QString checkTimeline(QQuickWindow *window, client::Session *session);

/*!
 * \brief Runs checkTimeline() on every frame \a window renders, after the polish that lays
 * it out and before it is drawn: what the user saw, frame by frame. Keeps the first failure.
 */
class TimelineFrameCheck
{
public:
    TimelineFrameCheck(QQuickWindow *window, client::Session *session);
    ~TimelineFrameCheck();
    QString failure() const { return m_failure; }
    int frames() const { return m_frames; }

private:
    QQuickWindow *m_window;
    QMetaObject::Connection m_connection;
    QString m_failure;
    int m_frames = 0;
};

/*! \brief Lets \a window lay out what changed, then checks the timeline (empty: fine). */
QString checkTimelineSettled(QQuickWindow *window, client::Session *session);

/*! \brief The timeline's ListView, or null. */
QQuickItem *timelineView(QQuickWindow *window);

/*! \brief Turns the mouse wheel over \a item by \a notches (positive: up, towards older). */
void wheel(QQuickItem *item, int notches);

/*! \brief The seqs of the delegates shown, top to bottom. */
QList<qint64> shownSeqs(QQuickWindow *window);

} // namespace confab::test
