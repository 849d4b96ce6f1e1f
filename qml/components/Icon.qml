// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.impl as ControlsImpl
import Confab

// A decorative monochrome icon from qrc:/Confab/icons/, tinted to the theme (the SVGs are
// drawn in black). Buttons use their own icon property instead.
ControlsImpl.ColorImage {
    id: root

    property int size: 16

    sourceSize.width: root.size
    sourceSize.height: root.size
    color: Theme.mutedText
    Accessible.ignored: true
}
