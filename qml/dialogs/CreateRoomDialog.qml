// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// A new channel: name and optional topic. The server checks the name; a refusal comes
// back as RoomActions.actionFailed.
Dialog {
    id: root
    objectName: "createRoomDialog"

    readonly property bool complete: nameField.text.trim().length > 0

    title: qsTr("Create a room")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(420, Overlay.overlay ? Overlay.overlay.width - 48 : 420)

    onAboutToShow: {
        nameField.clear();
        topicField.clear();
        nameField.forceActiveFocus();
    }
    onAccepted: RoomActions.createRoom(nameField.text.trim(), topicField.text.trim())

    ColumnLayout {
        anchors.fill: parent
        spacing: 10
        TextField {
            id: nameField
            objectName: "roomNameField"
            Layout.fillWidth: true
            placeholderText: qsTr("Name, e.g. general")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Room name")
            onAccepted: if (root.complete) root.accept()
        }
        TextField {
            id: topicField
            objectName: "roomTopicField"
            Layout.fillWidth: true
            placeholderText: qsTr("Topic (optional)")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Topic")
            onAccepted: if (root.complete) root.accept()
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Create")
        acceptEnabled: root.complete
    }
}
