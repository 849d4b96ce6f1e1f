// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import Confab

// The keyboard's mark on a tool button. Material marks focus with a ripple only, which
// does not show (the software renderer drops it); this frame does. Declared inside the
// button: `FocusRing { shown: button.visualFocus }`.
Rectangle {
    id: root

    property bool shown: false

    objectName: "focusRing"
    anchors.fill: parent
    anchors.margins: 4
    visible: root.shown
    radius: 6
    color: "transparent"
    border.width: 2
    border.color: Theme.accent
}
