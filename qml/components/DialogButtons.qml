// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// A dialog's footer: Cancel and a named primary action that can be disabled until the
// form is complete (DialogButtonBox's standard "OK" cannot say what it does).
Item {
    id: root

    required property Dialog dialog
    property string acceptText: qsTr("OK")
    property bool acceptEnabled: true
    // For tests that must tell this dialog's primary button from others'.
    property string acceptObjectName: "acceptButton"

    implicitHeight: row.implicitHeight + 16
    implicitWidth: row.implicitWidth + 32

    RowLayout {
        id: row
        anchors.right: parent.right
        anchors.rightMargin: 16
        anchors.verticalCenter: parent.verticalCenter
        spacing: 8

        Button {
            objectName: "cancelButton"
            text: qsTr("Cancel")
            flat: true
            Accessible.role: Accessible.Button
            Accessible.name: text
            onClicked: root.dialog.reject()
        }
        PrimaryButton {
            objectName: root.acceptObjectName
            text: root.acceptText
            enabled: root.acceptEnabled
            onClicked: root.dialog.accept()
        }
    }
}
