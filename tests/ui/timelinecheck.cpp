// SPDX-License-Identifier: GPL-3.0-or-later
#include "timelinecheck.h"

#include "models/timelinemodel.h"
#include "session/session.h"
#include "uitestapp.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QQmlProperty>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtQuick/private/qquickitem_p.h>
#include <QtQuickTest/quicktest.h>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace confab::test {

namespace {

struct Shown
{
    QQuickItem *item = nullptr;
    int index = -1;
    qreal top = 0; //!< in the view's coordinates
    qreal bottom = 0;
};

QVariant read(QObject *object, const char *name)
{
    return QQmlProperty::read(object, QString::fromLatin1(name));
}

// Delegates are the content item's children that carry a row's roles; the header does not.
bool isDelegate(QQuickItem *item)
{
    return QQmlProperty(item, u"seq"_s).isValid()
        && QQmlProperty(item, u"accessibleText"_s).isValid();
}

QList<Shown> shownDelegates(QQuickItem *view)
{
    QList<Shown> shown;
    auto *content = read(view, "contentItem").value<QQuickItem *>();
    if (!content)
        return shown;
    for (QQuickItem *child : content->childItems()) {
        // A view culls the delegates it pools or lets go of: those are not drawn.
        if (!isDelegate(child) || !child->isVisible() || child->height() <= 0
            || QQuickItemPrivate::get(child)->culled)
            continue;
        const QRectF r = child->mapRectToItem(view, QRectF(0, 0, child->width(), child->height()));
        if (r.bottom() <= 0 || r.top() >= view->height())
            continue; // laid out outside the viewport (cache buffer): not seen
        shown.append({child, read(child, "index").toInt(), r.top(), r.bottom()});
    }
    std::sort(
        shown.begin(), shown.end(), [](const Shown &a, const Shown &b) { return a.top < b.top; });
    return shown;
}

QString describe(const Shown &s)
{
    return u"[index %1, seq %2, y %3, text \"%4\"]"_s.arg(s.index)
        .arg(read(s.item, "seq").toLongLong())
        .arg(s.top)
        .arg(read(s.item, "text").toString().left(40));
}

int indexAt(QQuickItem *view, qreal yInView)
{
    int row = -1;
    const qreal contentX = read(view, "contentX").toReal();
    const qreal contentY = read(view, "contentY").toReal();
    QMetaObject::invokeMethod(view, "indexAt", Qt::DirectConnection, Q_RETURN_ARG(int, row),
        Q_ARG(qreal, contentX + 10), Q_ARG(qreal, contentY + yInView));
    return row;
}

} // namespace

QQuickItem *timelineView(QQuickWindow *window)
{
    for (QQuickItem *item : findItems(window, u"timelineView"_s)) {
        if (reallyVisible(item))
            return item;
    }
    return nullptr;
}

QString checkTimeline(QQuickWindow *window, client::Session *session)
{
    QQuickItem *view = timelineView(window);
    client::TimelineModel *model = session->currentRoom()->timeline();
    if (!view)
        return session->currentRoom()->roomId() > 0
            ? u"no timeline is shown for room %1"_s.arg(session->currentRoom()->roomId())
            : QString();
    if (!model)
        return u"a timeline is shown but no room is selected"_s;
    // The view creates its delegates only once it has a size; until then it has no model.
    auto *viewModel = read(view, "model").value<QObject *>();
    if (viewModel && viewModel != model)
        return u"the view shows the model of room %1, the current room is %2"_s
            .arg(read(viewModel, "roomId").toLongLong())
            .arg(model->roomId());
    if (!viewModel)
        return view->width() > 0 && view->height() > 0 ? u"the view has a size but no model"_s
                                                       : QString();
    const int count = read(view, "count").toInt();
    if (count != model->rowCount())
        return u"the view counts %1 rows, the model holds %2"_s.arg(count).arg(model->rowCount());

    const QList<Shown> shown = shownDelegates(view);
    for (const Shown &s : shown) {
        if (s.index < 0 || s.index >= count)
            return u"a delegate outside the model is shown: %1"_s.arg(describe(s));
        const QModelIndex mi = model->index(s.index);
        const qint64 seq = read(s.item, "seq").toLongLong();
        const qint64 modelSeq = model->data(mi, client::TimelineModel::SeqRole).toLongLong();
        const QString text = read(s.item, "text").toString();
        const QString modelText = model->data(mi, client::TimelineModel::TextRole).toString();
        const QString sender = read(s.item, "sender").toString();
        const QString modelSender = model->data(mi, client::TimelineModel::SenderRole).toString();
        if (seq != modelSeq || text != modelText || sender != modelSender)
            return u"a delegate shows another row than its index's: %1, row %2 is seq %3 \"%4\" by %5"_s
                .arg(describe(s))
                .arg(s.index)
                .arg(modelSeq)
                .arg(modelText.left(40), modelSender);
        QQuickItem *forIndex = nullptr;
        QMetaObject::invokeMethod(view, "itemAtIndex", Qt::DirectConnection,
            Q_RETURN_ARG(QQuickItem *, forIndex), Q_ARG(int, s.index));
        if (forIndex != s.item)
            return u"a stale delegate is shown: %1 is not the view's item for its index"_s.arg(
                describe(s));
    }
    for (qsizetype i = 1; i < shown.size(); ++i) {
        const Shown &a = shown.at(i - 1);
        const Shown &b = shown.at(i);
        if (b.index != a.index + 1)
            return u"rows out of order or missing on screen: %1 above %2"_s.arg(
                describe(a), describe(b));
        if (b.top < a.bottom - 0.5)
            return u"rows overlap on screen: %1 and %2"_s.arg(describe(a), describe(b));
    }
    if (!shown.isEmpty()) {
        // The middle of each one's visible part.
        const auto middle = [view](const Shown &s) {
            return (std::max<qreal>(0, s.top) + std::min(view->height(), s.bottom)) / 2;
        };
        const int top = indexAt(view, middle(shown.constFirst()));
        const int bottom = indexAt(view, middle(shown.constLast()));
        if (top != shown.constFirst().index || bottom != shown.constLast().index)
            return u"the view places rows %1..%2 where %3..%4 are shown"_s.arg(top)
                .arg(bottom)
                .arg(shown.constFirst().index)
                .arg(shown.constLast().index);
    }
    return {};
}

TimelineFrameCheck::TimelineFrameCheck(QQuickWindow *window, client::Session *session)
    : m_window(window)
{
    m_connection = QObject::connect(
        window, &QQuickWindow::beforeSynchronizing, window,
        [this, window, session] {
            ++m_frames;
            if (m_failure.isEmpty())
                m_failure = checkTimeline(window, session);
        },
        Qt::DirectConnection);
}

TimelineFrameCheck::~TimelineFrameCheck()
{
    QObject::disconnect(m_connection);
}

QString checkTimelineSettled(QQuickWindow *window, client::Session *session)
{
    if (QQuickItem *view = timelineView(window))
        QQuickTest::qWaitForPolish(view);
    return checkTimeline(window, session);
}

QList<qint64> shownSeqs(QQuickWindow *window)
{
    QList<qint64> seqs;
    if (QQuickItem *view = timelineView(window)) {
        for (const Shown &s : shownDelegates(view))
            seqs.append(read(s.item, "seq").toLongLong());
    }
    return seqs;
}

void wheel(QQuickItem *item, int notches)
{
    const QPointF local(item->width() / 2, item->height() / 2);
    const QPointF scene = item->mapToScene(local);
    const QPointF global = item->window()->mapToGlobal(scene.toPoint());
    const int step = notches > 0 ? 1 : -1;
    for (int i = 0; i < std::abs(notches); ++i) {
        QWheelEvent event(scene, global, QPoint(), QPoint(0, 120 * step), Qt::NoButton,
            Qt::NoModifier, Qt::NoScrollPhase, false);
        // Flickable derives the wheel's speed from the time between events, as a real
        // wheel's are spaced.
        static QElapsedTimer clock;
        if (!clock.isValid())
            clock.start();
        event.setTimestamp(quint64(clock.elapsed()) + 1000);
        QCoreApplication::sendEvent(item->window(), &event);
        QCoreApplication::processEvents();
    }
}

} // namespace confab::test
