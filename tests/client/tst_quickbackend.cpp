// SPDX-License-Identifier: GPL-3.0-or-later
// The app's choice of Qt Quick backend (client/app/quickbackend.cpp): software where
// OpenGL could only be a software rasteriser, the user's variables always first.
#include "app/quickbackend.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace confab::client::quickbackend;

Q_DECLARE_METATYPE(confab::client::quickbackend::Backend)
Q_DECLARE_METATYPE(confab::client::quickbackend::Inputs)

class TestQuickBackend : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decide_data()
    {
        QTest::addColumn<Inputs>("inputs");
        QTest::addColumn<Backend>("expected");
        const auto x11 = [](const std::function<void(Inputs &)> &change) {
            Inputs in;
            in.platform = u"xcb"_s;
            in.gpuDeviceNodes = true;
            change(in);
            return in;
        };
        QTest::newRow("GPU nodes, nothing known") << x11([](Inputs &) {}) << Backend::QtDefault;
        QTest::newRow("no GPU nodes")
            << x11([](Inputs &in) { in.gpuDeviceNodes = false; }) << Backend::Software;
        QTest::newRow("no GPU nodes, wayland") << x11([](Inputs &in) {
            in.platform = u"wayland"_s;
            in.gpuDeviceNodes = false;
        }) << Backend::Software;
        QTest::newRow("LIBGL_ALWAYS_SOFTWARE=1")
            << x11([](Inputs &in) { in.libGlAlwaysSoftware = u"1"_s; }) << Backend::Software;
        QTest::newRow("LIBGL_ALWAYS_SOFTWARE=0")
            << x11([](Inputs &in) { in.libGlAlwaysSoftware = u"0"_s; }) << Backend::QtDefault;
        QTest::newRow("GALLIUM_DRIVER=llvmpipe")
            << x11([](Inputs &in) { in.galliumDriver = u"llvmpipe"_s; }) << Backend::Software;
        QTest::newRow("GALLIUM_DRIVER=radeonsi")
            << x11([](Inputs &in) { in.galliumDriver = u"radeonsi"_s; }) << Backend::QtDefault;
        QTest::newRow("remembered llvmpipe") << x11([](Inputs &in) {
            in.rememberedRenderer = u"llvmpipe (LLVM 15.0.6, 256 bits)"_s;
        }) << Backend::Software;
        QTest::newRow("remembered hardware") << x11([](Inputs &in) {
            in.rememberedRenderer = u"AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6)"_s;
        }) << Backend::QtDefault;
        // The user's variables win over every sign of a software GL.
        QTest::newRow("QT_QUICK_BACKEND set") << x11([](Inputs &in) {
            in.quickBackend = u"software"_s;
            in.gpuDeviceNodes = false;
        }) << Backend::QtDefault;
        QTest::newRow("QSG_RHI_BACKEND=opengl, no GPU") << x11([](Inputs &in) {
            in.rhiBackend = u"opengl"_s;
            in.gpuDeviceNodes = false;
            in.libGlAlwaysSoftware = u"1"_s;
        }) << Backend::QtDefault;
        // Platforms without a window system's OpenGL are left to Qt.
        QTest::newRow("offscreen") << x11([](Inputs &in) {
            in.platform = u"offscreen"_s;
            in.gpuDeviceNodes = false;
        }) << Backend::QtDefault;
    }
    void decide()
    {
        QFETCH(Inputs, inputs);
        QFETCH(Backend, expected);
        const Decision d = confab::client::quickbackend::decide(inputs);
        QCOMPARE(d.backend, expected);
        QVERIFY(!d.reason.isEmpty());
    }

    void softwareRenderers()
    {
        for (const char *name : {"llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe",
                 "Software Rasterizer", "Mesa X11 swrast", "Google SwiftShader"})
            QVERIFY2(isSoftwareRenderer(QString::fromLatin1(name)), name);
        for (const char *name : {"", "Mesa Intel(R) UHD Graphics 620 (KBL GT2)",
                 "NVIDIA GeForce RTX 3060/PCIe/SSE2", "virgl (LLVM)"})
            QVERIFY2(!isSoftwareRenderer(QString::fromLatin1(name)), name);
    }
};

QTEST_GUILESS_MAIN(TestQuickBackend)
#include "tst_quickbackend.moc"
