// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/quickbackend.h"

#include <QDir>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QSettings>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcClientGraphics, "confab.client.graphics", QtInfoMsg)

namespace confab::client::quickbackend {

namespace {

const auto RendererKey = "graphics/openGlRenderer"_L1;
const auto ConditionsKey = "graphics/openGlConditions"_L1;

bool truthy(const QString &value)
{
    return !value.isEmpty() && value != u"0"_s && value.compare(u"false"_s, Qt::CaseInsensitive);
}

/*! The GPU device nodes: a hardware OpenGL driver needs one of them. */
QStringList deviceNodes()
{
#ifdef Q_OS_LINUX
    QStringList nodes = QDir(u"/dev/dri"_s).entryList(QDir::System | QDir::NoDotAndDotDot);
    nodes += QDir(u"/dev"_s).entryList({u"nvidia*"_s}, QDir::System);
    nodes.sort();
    return nodes;
#else
    return {u"(not Linux)"_s};
#endif
}

/*! What a remembered renderer is only valid under: the same platform and device nodes (a
 * new GPU driver adds nodes, so the next start tries OpenGL again). */
QString conditions(const QString &platform, const QStringList &nodes)
{
    return platform + u'|' + nodes.join(u',');
}

} // namespace

bool isSoftwareRenderer(const QString &glRenderer)
{
    static const char *const Names[] = {"llvmpipe", "softpipe", "swrast", "software rasterizer",
        "swiftshader", "microsoft basic render driver", "gdi generic"};
    for (const char *name : Names) {
        if (glRenderer.contains(QLatin1StringView(name), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

Decision decide(const Inputs &in)
{
    if (!in.quickBackend.isEmpty())
        return {
            Backend::QtDefault, u"QT_QUICK_BACKEND=%1 (the user's choice)"_s.arg(in.quickBackend)};
    if (!in.rhiBackend.isEmpty())
        return {Backend::QtDefault, u"QSG_RHI_BACKEND=%1 (the user's choice)"_s.arg(in.rhiBackend)};
    // Only where a window system's OpenGL is in play; offscreen and the like decide for
    // themselves.
    if (in.platform != u"xcb"_s && !in.platform.startsWith(u"wayland"_s))
        return {Backend::QtDefault, u"platform %1: Qt's default"_s.arg(in.platform)};
    if (truthy(in.libGlAlwaysSoftware))
        return {Backend::Software, u"LIBGL_ALWAYS_SOFTWARE is set: OpenGL would be software"_s};
    const QString driver = in.galliumDriver.toLower();
    if (driver == u"llvmpipe"_s || driver == u"softpipe"_s || driver == u"swr"_s)
        return {Backend::Software,
            u"GALLIUM_DRIVER=%1: OpenGL would be software"_s.arg(in.galliumDriver)};
    if (!in.gpuDeviceNodes)
        return {Backend::Software,
            u"no GPU device node (/dev/dri, /dev/nvidia*): OpenGL would be Mesa's software "
            "rasteriser"_s};
    if (isSoftwareRenderer(in.rememberedRenderer))
        return {Backend::Software,
            u"OpenGL here is a software rasteriser (%1, seen at an earlier start)"_s.arg(
                in.rememberedRenderer)};
    return {Backend::QtDefault, u"a GPU may be present: Qt's default (OpenGL)"_s};
}

Decision choose()
{
    const QStringList nodes = deviceNodes();
    Inputs in;
    in.quickBackend = qEnvironmentVariable("QT_QUICK_BACKEND");
    if (in.quickBackend.isEmpty())
        in.quickBackend = qEnvironmentVariable("QMLSCENE_DEVICE");
    in.rhiBackend = qEnvironmentVariable("QSG_RHI_BACKEND");
    in.platform = QGuiApplication::platformName();
    in.libGlAlwaysSoftware = qEnvironmentVariable("LIBGL_ALWAYS_SOFTWARE");
    in.galliumDriver = qEnvironmentVariable("GALLIUM_DRIVER");
    in.gpuDeviceNodes = !nodes.isEmpty();
    const QSettings settings;
    if (settings.value(ConditionsKey).toString() == conditions(in.platform, nodes))
        in.rememberedRenderer = settings.value(RendererKey).toString();
    Decision d = decide(in);
    if (d.backend == Backend::Software)
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    qCInfo(lcClientGraphics).noquote()
        << (d.backend == Backend::Software ? "Qt Quick's software renderer:"
                                           : "Qt Quick's default renderer:")
        << d.reason;
    return d;
}

void learn(QQmlApplicationEngine &engine)
{
    const auto roots = engine.rootObjects();
    auto *window = roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.first());
    if (!window || QQuickWindow::graphicsApi() == QSGRendererInterface::Software)
        return;
    const QString where = conditions(QGuiApplication::platformName(), deviceNodes());
    QObject::connect(
        window, &QQuickWindow::sceneGraphInitialized, qApp,
        [where] {
            // The render thread, its context current.
            QOpenGLContext *gl = QOpenGLContext::currentContext();
            if (!gl)
                return;
            const QString renderer = QString::fromLatin1(
                reinterpret_cast<const char *>(gl->functions()->glGetString(GL_RENDERER)));
            QMetaObject::invokeMethod(
                qApp,
                [renderer, where] {
                    QSettings settings;
                    if (settings.value(RendererKey).toString() == renderer
                        && settings.value(ConditionsKey).toString() == where)
                        return;
                    settings.setValue(RendererKey, renderer);
                    settings.setValue(ConditionsKey, where);
                    qCInfo(lcClientGraphics).noquote()
                        << "OpenGL renderer:" << renderer
                        << (isSoftwareRenderer(renderer)
                                   ? "(a software rasteriser: the next start uses Qt Quick's "
                                     "software renderer)"
                                   : "");
                },
                Qt::QueuedConnection);
        },
        Qt::DirectConnection);
}

} // namespace confab::client::quickbackend
