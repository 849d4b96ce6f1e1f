// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// A one-line notice across the window with a close button (e.g. the keychain warning).
Rectangle {
    id: root

    property string text
    signal dismissed

    implicitHeight: row.implicitHeight + 12
    color: Theme.bannerConnecting
    Accessible.role: Accessible.AlertMessage
    Accessible.name: root.text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 4
        spacing: Theme.spacing

        Icon {
            source: "qrc:/Confab/icons/warning.svg"
            size: 18
            color: Theme.text
        }
        Label {
            Layout.fillWidth: true
            text: root.text
            color: Theme.text
            wrapMode: Text.Wrap
        }
        ToolButton {
            objectName: "noticeDismissButton"
            icon.source: "qrc:/Confab/icons/close.svg"
            icon.width: 16
            icon.height: 16
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Dismiss")
            ToolTip.text: qsTr("Dismiss")
            ToolTip.visible: hovered
            onClicked: root.dismissed()
        }
    }
}
