// SPDX-License-Identifier: GPL-3.0-or-later
#include "appbench_app.h"

#include "app/quickbackend.h"
#include "appbench.h"
#include "keychain/tokenstore.h"

#include <QApplication>
#include <QEventLoop>
#include <QFile>
#include <QIcon>
#include <QLocale>
#include <QMutexLocker>
#include <QQmlAbstractUrlInterceptor>
#include <QQuickStyle>
#include <QSGRendererInterface>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace confab::bench {

namespace {

QQuickItem *findItem(QQuickItem *item, const QString &name)
{
    if (!item)
        return nullptr;
    if (item->objectName() == name)
        return item;
    const auto children = item->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, name))
            return found;
    }
    return nullptr;
}

void dump(QQuickItem *item, int depth)
{
    if (!item || depth > 12)
        return;
    std::fprintf(stderr, "%*s%s \"%s\" visible %d\n", depth * 2, "",
        item->metaObject()->className(), qPrintable(item->objectName()), int(item->isVisible()));
    const auto children = item->childItems();
    for (QQuickItem *child : children)
        dump(child, depth + 1);
}

/*! Experiments: CONFAB_APPBENCH_QML_DIR=<a copy of qml/> loads the UI's QML files from
 * there instead of the compiled-in ones, so a change to them can be measured without a
 * rebuild (compare with an unmodified copy: files from disk are compiled at run time). */
class QmlOverride : public QQmlAbstractUrlInterceptor
{
public:
    explicit QmlOverride(const QString &dir)
        : m_dir(dir)
    { }
    QUrl intercept(const QUrl &url, DataType type) override
    {
        if (type == QmldirFile || url.scheme() != u"qrc"_s || !url.path().startsWith(u"/Confab/"_s)
            || url.path().startsWith(u"/Confab/Client/"_s))
            return url;
        const QString file = m_dir + url.path().mid(int(std::strlen("/Confab")));
        return QFile::exists(file) ? QUrl::fromLocalFile(file) : url;
    }

private:
    QString m_dir;
};

QString apiName(QSGRendererInterface::GraphicsApi api)
{
    switch (api) {
    case QSGRendererInterface::Software:
        return u"software"_s;
    case QSGRendererInterface::OpenGL:
        return u"opengl"_s;
    case QSGRendererInterface::Vulkan:
        return u"vulkan"_s;
    default:
        return u"other(%1)"_s.arg(int(api));
    }
}

} // namespace

// ---- the app --------------------------------------------------------------------------

AppUnderTest::AppUnderTest(const QString &dir, QObject *parent)
    : QObject(parent)
    , m_dir(dir)
{ }

AppUnderTest::~AppUnderTest()
{
    // As UiTestApp: the window and its bindings go before the objects they bind to.
    m_engine.reset();
    m_notifier.reset();
    m_session.reset();
    m_settings.reset();
    QCoreApplication::removeTranslator(&m_translator);
}

bool AppUnderTest::start(const std::function<void(client::AppSettings &)> &beforeSession)
{
    // client/app/main.cpp, step by step, with the settings, the cache folder and the
    // keychain pointed at the prepared folder.
    appCreatedNs = applicationCreatedNs;
    QApplication::setOrganizationName(u"Confab"_s);
    QApplication::setApplicationName(u"confab"_s);
    QApplication::setApplicationDisplayName(u"Confab"_s);
    QApplication::setDesktopFileName(u"org.confab.Confab"_s);
    QApplication::setWindowIcon(QIcon(u":/Confab/icons/confab.svg"_s));
    if (m_translator.load(QLocale(), u"confab"_s, u"_"_s, u":/i18n"_s)
        || m_translator.load(u"confab_en"_s, u":/i18n"_s))
        QApplication::installTranslator(&m_translator);
    client::quickbackend::choose();
    QQuickStyle::setStyle(u"Material"_s);

    const QJsonObject info = readInfo(m_dir);
    if (info.isEmpty())
        return false;
    m_ini
        = std::make_unique<QSettings>(clientDir(m_dir) + u"/settings.ini"_s, QSettings::IniFormat);
    m_settings = std::make_unique<client::AppSettings>(m_ini.get());
    client::AppSettings::setInstance(m_settings.get());
    if (beforeSession)
        beforeSession(*m_settings);
    // The token as the platform keychain would hand it over (a D-Bus round trip there).
    auto keychain = std::make_shared<QHash<QString, QString>>();
    keychain->insert(
        client::TokenStore::keyFor(m_settings->lastServerUrl(), m_settings->lastUsername()),
        info.value(KeyToken).toString());
    client::SessionOptions options;
    options.dataDir = clientDir(m_dir);
    options.memoryKeychain = keychain;
    m_session = std::make_unique<client::Session>(options, m_settings.get());
    client::Session::setInstance(m_session.get());
    m_notifier = std::make_unique<client::Notifier>(m_settings.get());
    m_session->setNotifier(m_notifier.get());
    connect(m_session->currentRoom(), &client::CurrentRoom::roomChanged, this, [this] {
        if (cacheRowsNs == 0 && m_session->currentRoom()->roomId() != 0
            && m_session->currentRoom()->timeline()->rowCount() > 0)
            cacheRowsNs = monotonicNs();
    });
    if (!m_session->account()->restore())
        return false;
    sessionRestoredNs = monotonicNs();

    m_engine = std::make_unique<QQmlApplicationEngine>();
    if (const QString dir = qEnvironmentVariable("CONFAB_APPBENCH_QML_DIR"); !dir.isEmpty()) {
        static QmlOverride override(dir);
        m_engine->addUrlInterceptor(&override);
    }
    m_engine->addImportPath(u"qrc:/"_s);
    m_engine->load(QUrl(u"qrc:/Confab/Main.qml"_s));
    if (m_engine->rootObjects().isEmpty())
        return false;
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    if (!m_window)
        return false;
    qmlLoadedNs = monotonicNs();
    m_window->resize(1200, 800);
    connect(m_window, &QQuickWindow::beforeSynchronizing, this, &AppUnderTest::sample,
        Qt::DirectConnection);
    connect(
        m_window, &QQuickWindow::frameSwapped, this, &AppUnderTest::swapped, Qt::DirectConnection);
    return true;
}

QQuickItem *AppUnderTest::timelineView() const
{
    if (!m_view && m_window)
        m_view = findItem(m_window->contentItem(), u"timelineView"_s);
    return m_view;
}

QQuickItem *AppUnderTest::timelineRoot() const
{
    QQuickItem *view = timelineView();
    return view ? view->parentItem() : nullptr;
}

QString AppUnderTest::backend() const
{
    if (!m_window || !m_window->rendererInterface())
        return u"unknown"_s;
    return apiName(m_window->rendererInterface()->graphicsApi()) + u" ("_s
        + (QQuickWindow::sceneGraphBackend().isEmpty() ? u"rhi"_s
                                                       : QQuickWindow::sceneGraphBackend())
        + u')';
}

void AppUnderTest::sample()
{
    // The GUI thread is blocked (threaded loop) or is this thread (basic loop): the items
    // are as this frame will show them.
    Frame f;
    f.room = m_session->currentRoom()->roomId();
    QQuickItem *view = timelineView();
    if (view) {
        f.viewCount = view->property("count").toInt();
        const auto *content = view->property("contentItem").value<QQuickItem *>();
        const double top = view->property("contentY").toDouble();
        const double bottom = top + view->height();
        if (content) {
            const auto children = content->childItems();
            f.delegatesCreated = int(children.size());
            for (const QQuickItem *child : children) {
                // Delegates have an index; the header (TimelineStart) has none.
                if (child->isVisible() && child->height() > 0 && child->property("index").isValid()
                    && child->y() < bottom && child->y() + child->height() > top)
                    ++f.delegatesOnScreen;
            }
        }
        if (const QQuickItem *root = view->parentItem())
            f.placed = !root->property("initialPlacementPending").toBool()
                && root->property("timeline").value<QObject *>()
                    == m_session->currentRoom()->timeline();
    }
    QMutexLocker lock(&m_lock);
    m_sampled = f;
}

void AppUnderTest::swapped()
{
    const qint64 now = monotonicNs();
    {
        QMutexLocker lock(&m_lock);
        Frame f = m_sampled;
        f.swappedNs = now;
        m_presented.append(f);
    }
    QMetaObject::invokeMethod(this, &AppUnderTest::deliver, Qt::QueuedConnection);
}

void AppUnderTest::deliver()
{
    QList<Frame> frames;
    {
        QMutexLocker lock(&m_lock);
        frames.swap(m_presented);
    }
    static const bool debug = qEnvironmentVariableIsSet("CONFAB_APPBENCH_DEBUG");
    for (const Frame &f : std::as_const(frames)) {
        if (debug)
            std::fprintf(stderr,
                "frame %.1f ms: room %lld, %d rows, %d items in the view, %d on screen, placed "
                "%d\n",
                double(f.swappedNs - appCreatedNs) / 1e6, f.room, f.viewCount, f.delegatesCreated,
                f.delegatesOnScreen, int(f.placed));
        if (onFrame)
            onFrame(f);
    }
}

// ---- probe ----------------------------------------------------------------------------

Probe::Probe(QObject *parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(16);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = monotonicNs();
        m_lateMs.append(std::max(0.0, double(now - m_last) / 1e6 - 16.0));
        m_last = now;
    });
}

void Probe::start()
{
    m_lateMs.clear();
    m_frames.clear();
    m_running = true;
    m_last = monotonicNs();
    m_timer.start();
}

void Probe::stop()
{
    m_timer.stop();
    m_running = false;
}

void Probe::addFrame(qint64 swappedNs)
{
    if (m_running)
        m_frames.append(swappedNs);
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[qsizetype(std::lround(p * double(values.size() - 1)))];
}

double Probe::maxLateMs() const
{
    return m_lateMs.isEmpty() ? 0 : *std::max_element(m_lateMs.cbegin(), m_lateMs.cend());
}

double Probe::maxFrameGapMs() const
{
    double gap = 0;
    for (qsizetype i = 1; i < m_frames.size(); ++i)
        gap = std::max(gap, double(m_frames[i] - m_frames[i - 1]) / 1e6);
    return gap;
}

QJsonObject Probe::result(const QString &prefix) const
{
    QList<double> gaps;
    for (qsizetype i = 1; i < m_frames.size(); ++i)
        gaps.append(double(m_frames[i] - m_frames[i - 1]) / 1e6);
    return {{prefix + u"timer_ticks"_s, double(m_lateMs.size())},
        {prefix + u"timer_late_ms_p50"_s, percentile(m_lateMs, 0.5)},
        {prefix + u"timer_late_ms_p99"_s, percentile(m_lateMs, 0.99)},
        {prefix + u"timer_late_ms_max"_s, maxLateMs()},
        {prefix + u"frames"_s, double(m_frames.size())},
        {prefix + u"frame_gap_ms_p50"_s, percentile(gaps, 0.5)},
        {prefix + u"frame_gap_ms_p99"_s, percentile(gaps, 0.99)},
        {prefix + u"frame_gap_ms_max"_s, maxFrameGapMs()}};
}

bool waitFor(const std::function<bool()> &done, int timeoutMs, int pollMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(pollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return done();
}

// ---- start-up -------------------------------------------------------------------------

int measureStart(const QString &dir, qint64 entryNs, double execToMainMs)
{
    AppUnderTest app(dir);
    qint64 firstFrameNs = 0;
    qint64 rowsFrameNs = 0;
    qint64 placedFrameNs = 0;
    int rowsShown = 0;
    int itemsAtPlaced = 0;
    int itemsMax = 0;
    app.onFrame = [&](const Frame &f) {
        if (firstFrameNs == 0)
            firstFrameNs = f.swappedNs;
        itemsMax = std::max(itemsMax, f.delegatesCreated);
        if (rowsFrameNs == 0 && f.room != 0 && f.viewCount > 0 && f.delegatesOnScreen > 0)
            rowsFrameNs = f.swappedNs;
        if (placedFrameNs == 0 && f.room != 0 && f.placed && f.delegatesOnScreen > 0) {
            placedFrameNs = f.swappedNs;
            rowsShown = f.viewCount;
            itemsAtPlaced = f.delegatesCreated;
        }
    };
    if (!app.start()) {
        std::fprintf(stderr, "measure-start: the app did not start (not prepared?)\n");
        return 1;
    }
    if (!waitFor([&] { return placedFrameNs != 0; }, 60000, 1)) {
        std::fprintf(stderr, "status %d connection %d error %s\n",
            int(app.session()->account()->status()), int(app.session()->connectionState()),
            qPrintable(app.session()->account()->errorText()));
        std::fprintf(stderr, "measure-start: no timeline was painted within 60 s\n");
        return 1;
    }
    const MemoryStatus memory = readMemory();
    const auto ms = [entryNs](qint64 ns) { return ns == 0 ? -1.0 : double(ns - entryNs) / 1e6; };
    QJsonObject out {{u"mode"_s, u"start"_s}, {u"exec_to_main_ms"_s, execToMainMs},
        {u"main_ns"_s, double(entryNs)}, {u"placed_frame_ns"_s, double(placedFrameNs)},
        {u"main_to_app_ms"_s, ms(app.appCreatedNs)},
        {u"main_to_restore_ms"_s, ms(app.sessionRestoredNs)},
        {u"main_to_qml_loaded_ms"_s, ms(app.qmlLoadedNs)},
        {u"main_to_cache_rows_ms"_s, ms(app.cacheRowsNs)},
        {u"main_to_first_frame_ms"_s, ms(firstFrameNs)},
        {u"main_to_rows_frame_ms"_s, ms(rowsFrameNs)},
        {u"main_to_placed_frame_ms"_s, ms(placedFrameNs)},
        {u"exec_to_placed_frame_ms"_s, execToMainMs + ms(placedFrameNs)}, {u"rows"_s, rowsShown},
        {u"view_items_max"_s, itemsMax}, {u"view_items_placed"_s, itemsAtPlaced},
        {u"backend"_s, app.backend()},
        {u"online"_s, app.session()->connectionState() == client::ConnectionState::Live}};
    const QJsonObject mem = toJson(memory, u""_s);
    for (auto it = mem.constBegin(); it != mem.constEnd(); ++it)
        out.insert(it.key(), it.value());
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return 0;
}

} // namespace confab::bench
