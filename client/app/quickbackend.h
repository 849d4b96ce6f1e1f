// SPDX-License-Identifier: GPL-3.0-or-later
// Which Qt Quick scene graph backend the app asks for. Where OpenGL exists only as a
// software rasteriser (Mesa's llvmpipe/softpipe: no GPU, Xvfb, VNC, some VMs), Qt Quick's
// own software renderer starts faster and takes far less memory (docs/performance.md,
// "The app in a real window"), so the app picks it there. QT_QUICK_BACKEND or
// QSG_RHI_BACKEND in the environment always win.
#pragma once

#include <QString>

class QQmlApplicationEngine;

namespace confab::client::quickbackend {

/*! \brief What the choice looks at; all of it cheap (no graphics context is created). */
struct Inputs
{
    QString quickBackend; //!< QT_QUICK_BACKEND (or its old name QMLSCENE_DEVICE)
    QString rhiBackend; //!< QSG_RHI_BACKEND
    QString platform; //!< QGuiApplication::platformName(): xcb, wayland, offscreen …
    QString libGlAlwaysSoftware; //!< LIBGL_ALWAYS_SOFTWARE (Mesa)
    QString galliumDriver; //!< GALLIUM_DRIVER (Mesa)
    bool gpuDeviceNodes = true; //!< /dev/dri/* or /dev/nvidia* exist (always true off Linux)
    /*! GL_RENDERER that an earlier OpenGL start saw under the same conditions (platform and
     * device nodes; see conditions()), or empty. */
    QString rememberedRenderer;
};

enum class Backend
{
    QtDefault, //!< leave it to Qt Quick (OpenGL through the RHI on Linux)
    Software, //!< QSGRendererInterface::Software
};

struct Decision
{
    Backend backend = Backend::QtDefault;
    QString reason; //!< for the log
};

/*! \brief The choice itself: pure, for tests. */
Decision decide(const Inputs &inputs);

/*! \brief A GL_RENDERER string of a software rasteriser (llvmpipe, softpipe, swrast, …). */
bool isSoftwareRenderer(const QString &glRenderer);

/*! \brief Gathers the inputs, decides, applies the decision (before any window exists) and
 * logs it under confab.client.graphics. Needs the application object and its names. */
Decision choose();

/*! \brief After Main.qml is loaded: when the window draws with OpenGL, remembers its
 * GL_RENDERER (read on the render thread once its context exists: no extra cost) for the
 * next start's choose(). */
void learn(QQmlApplicationEngine &engine);

} // namespace confab::client::quickbackend
