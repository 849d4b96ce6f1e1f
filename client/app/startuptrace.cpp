// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/startuptrace.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QPointer>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <ctime>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace confab::client::startuptrace {

namespace {

qint64 monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/*! Milliseconds since the process was created (/proc/self/stat starttime, in clock ticks:
 * late by up to one tick), or -1. */
double msSinceProcessStart()
{
    timespec ts {};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    QFile f(u"/proc/self/stat"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    constexpr int StartTimeField = 22 - 3;
    if (fields.size() <= StartTimeField)
        return -1;
    const double startS = fields.at(StartTimeField).toDouble() / double(sysconf(_SC_CLK_TCK));
    return (double(ts.tv_sec) + double(ts.tv_nsec) / 1e9 - startS) * 1000.0;
}

qint64 statusKib(const QByteArray &status, const char *key)
{
    const qsizetype at = status.indexOf(key);
    if (at < 0)
        return -1;
    const qsizetype end = status.indexOf('\n', at);
    return status.mid(at + qsizetype(qstrlen(key)), end - at - qsizetype(qstrlen(key)))
        .trimmed()
        .split(' ')
        .value(0)
        .toLongLong();
}

bool visible(const QQuickItem *root, const QString &name)
{
    if (!root)
        return false;
    if (root->objectName() == name)
        return root->isVisible();
    const auto children = root->childItems();
    for (const QQuickItem *child : children) {
        if (visible(child, name))
            return true;
    }
    return false;
}

const QQuickItem *find(const QQuickItem *root, const QString &name)
{
    if (!root || root->objectName() == name)
        return root;
    const auto children = root->childItems();
    for (const QQuickItem *child : children) {
        if (const QQuickItem *found = find(child, name))
            return found;
    }
    return nullptr;
}

/*! Message rows of the timeline's ListView inside its viewport. */
int rowsOnScreen(const QQuickItem *root)
{
    const QQuickItem *view = find(root, u"timelineView"_s);
    if (!view || !view->isVisible())
        return 0;
    const auto *content = view->property("contentItem").value<QQuickItem *>();
    if (!content)
        return 0;
    const double top = view->property("contentY").toDouble();
    const double bottom = top + view->height();
    int n = 0;
    const auto children = content->childItems();
    for (const QQuickItem *child : children) {
        if (child->isVisible() && child->height() > 0 && child->property("index").isValid()
            && child->y() < bottom && child->y() + child->height() > top)
            ++n;
    }
    return n;
}

class Tracer : public QObject
{
public:
    QString file;
    qint64 mainNs = 0;
    double execToMainMs = -1;
    QPointer<QQuickWindow> window;
    QList<std::pair<const char *, qint64>> marks; //!< GUI thread

    qint64 loadedNs = 0;
    qint64 exposedNs = 0;
    qint64 firstFrameNs = 0;
    qint64 signInFrameNs = 0; //!< first frame that showed the sign-in page
    QString glRenderer;

    QMutex lock; // the render thread writes what follows
    bool sampledChat = false;
    bool sampledSignIn = false;
    int sampledRows = 0;
    bool done = false;

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Expose && watched == window && exposedNs == 0
            && window->isExposed())
            exposedNs = monotonicNs();
        return false;
    }

    void sample() // GUI thread blocked, or the GUI thread itself
    {
        const QQuickItem *root = window ? window->contentItem() : nullptr;
        const bool chat = visible(root, u"chatPage"_s);
        const bool signIn = visible(root, u"signInPage"_s);
        const int rows = chat ? rowsOnScreen(root) : 0;
        QMutexLocker locker(&lock);
        sampledChat = chat;
        sampledSignIn = signIn;
        sampledRows = rows;
    }

    void swapped() // render thread, or the GUI thread
    {
        const qint64 now = monotonicNs();
        QMutexLocker locker(&lock);
        if (done)
            return;
        if (firstFrameNs == 0)
            firstFrameNs = now;
        if (sampledSignIn && signInFrameNs == 0)
            signInFrameNs = now;
        if (!sampledChat || sampledRows == 0)
            return;
        done = true;
        QFile status(u"/proc/self/status"_s);
        const QByteArray s = status.open(QIODevice::ReadOnly) ? status.readAll() : QByteArray();
        QJsonObject out {{u"chat_frame_ns"_s, double(now)}, {u"rows_on_screen"_s, sampledRows},
            {u"vm_rss_kib"_s, double(statusKib(s, "VmRSS:"))},
            {u"vm_hwm_kib"_s, double(statusKib(s, "VmHWM:"))},
            {u"rss_anon_kib"_s, double(statusKib(s, "RssAnon:"))},
            {u"rss_file_kib"_s, double(statusKib(s, "RssFile:"))}};
        QMetaObject::invokeMethod(
            this, [this, out] { write(out); }, Qt::QueuedConnection);
    }

    void write(QJsonObject out)
    {
        const auto ns = [](qint64 v) { return v == 0 ? QJsonValue() : QJsonValue(double(v)); };
        out.insert(u"pid"_s, double(QCoreApplication::applicationPid()));
        for (const auto &[name, at] : std::as_const(marks))
            out.insert(QLatin1StringView(name) + u"_ns"_s, double(at));
        out.insert(u"main_ns"_s, double(mainNs));
        out.insert(u"exec_to_main_ms"_s, execToMainMs);
        out.insert(u"qml_loaded_ns"_s, ns(loadedNs));
        out.insert(u"exposed_ns"_s, ns(exposedNs));
        out.insert(u"first_frame_ns"_s, ns(firstFrameNs));
        out.insert(u"sign_in_frame_ns"_s, ns(signInFrameNs));
        const QSGRendererInterface *ri = window ? window->rendererInterface() : nullptr;
        out.insert(u"graphics_api"_s,
            !ri                                                       ? u"unknown"_s
                : ri->graphicsApi() == QSGRendererInterface::Software ? u"software"_s
                : ri->graphicsApi() == QSGRendererInterface::OpenGL   ? u"opengl"_s
                                                                      : u"other"_s);
        out.insert(u"gl_renderer"_s, glRenderer);
        QFile f(file);
        if (f.open(QIODevice::WriteOnly | QIODevice::Append))
            f.write(QJsonDocument(out).toJson(QJsonDocument::Compact) + '\n');
    }
};

Tracer *tracer = nullptr;

} // namespace

void markMain()
{
    const QString file = qEnvironmentVariable("CONFAB_STARTUP_TRACE");
    if (file.isEmpty())
        return;
    tracer = new Tracer; // lives as long as the process
    tracer->file = file;
    tracer->mainNs = monotonicNs();
    tracer->execToMainMs = msSinceProcessStart();
}

void mark(const char *name)
{
    if (tracer)
        tracer->marks.append({name, monotonicNs()});
}

void attach(QQmlApplicationEngine &engine)
{
    if (!tracer)
        return;
    tracer->loadedNs = monotonicNs();
    const auto roots = engine.rootObjects();
    tracer->window = roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.first());
    if (!tracer->window)
        return;
    tracer->window->installEventFilter(tracer);
    if (tracer->window->isExposed())
        tracer->exposedNs = tracer->loadedNs;
    QObject::connect(
        tracer->window, &QQuickWindow::beforeSynchronizing, tracer, [] { tracer->sample(); },
        Qt::DirectConnection);
    QObject::connect(
        tracer->window, &QQuickWindow::frameSwapped, tracer, [] { tracer->swapped(); },
        Qt::DirectConnection);
    QObject::connect(
        tracer->window, &QQuickWindow::sceneGraphInitialized, tracer,
        [] {
            if (QOpenGLContext *gl = QOpenGLContext::currentContext()) {
                const auto *name = gl->functions()->glGetString(GL_RENDERER);
                const QString renderer = QString::fromLatin1(reinterpret_cast<const char *>(name));
                QMetaObject::invokeMethod(
                    tracer, [renderer] { tracer->glRenderer = renderer; }, Qt::QueuedConnection);
            }
        },
        Qt::DirectConnection);
}

} // namespace confab::client::startuptrace
