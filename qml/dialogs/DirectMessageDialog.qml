// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// Opens (or creates) the direct conversation with one user.
Dialog {
    id: root
    objectName: "directMessageDialog"

    readonly property bool complete: userField.text.trim().length > 0

    title: qsTr("New direct message")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(420, Overlay.overlay ? Overlay.overlay.width - 48 : 420)

    onAboutToShow: {
        userField.clear();
        userField.forceActiveFocus();
    }
    onAccepted: RoomActions.openDirect(userField.text.trim())

    TextField {
        id: userField
        objectName: "directUserField"
        anchors.left: parent.left
        anchors.right: parent.right
        placeholderText: qsTr("Username")
        inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        Accessible.role: Accessible.EditableText
        Accessible.name: qsTr("Username")
        onAccepted: if (root.complete) root.accept()
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Open")
        acceptEnabled: root.complete
    }
}
