// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// A transient message at the bottom of the window (a failed room action): it never
// blocks input and goes away on its own.
Popup {
    id: root

    property string text

    function show(message: string) {
        root.text = message;
        root.open();
        hideTimer.restart();
    }

    x: (parent ? parent.width - width : 0) / 2
    y: (parent ? parent.height - height : 0) - 72
    width: Math.min(implicitContentWidth + leftPadding + rightPadding, parent ? parent.width - 48 : 400)
    padding: 12
    leftPadding: 18
    rightPadding: 18
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    modal: false
    focus: false
    background: Rectangle {
        color: Theme.dark ? "#e6e7ea" : "#2b2f36"
        radius: 8
    }
    contentItem: Label {
        objectName: "toastLabel"
        text: root.text
        color: Theme.dark ? "#1d1f24" : "#ffffff"
        wrapMode: Text.Wrap
        Accessible.role: Accessible.AlertMessage
        Accessible.name: root.text
    }

    Timer {
        id: hideTimer
        interval: 5000
        onTriggered: root.close()
    }
}
