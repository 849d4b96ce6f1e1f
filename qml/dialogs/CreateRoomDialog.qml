// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// A new channel: name, optional topic, and whether it is private (only invited people
// see it, §17.2). The server checks the name; a refusal comes back as
// RoomActions.actionFailed.
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
        privateSwitch.checked = false;
        nameField.forceActiveFocus();
    }
    onAccepted: RoomActions.createRoom(nameField.text.trim(), topicField.text.trim(),
        privateSwitch.checked)

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
        Switch {
            id: privateSwitch
            objectName: "roomPrivateSwitch"
            text: qsTr("Private channel")
            Accessible.role: Accessible.CheckBox
            Accessible.name: text
        }
        Label {
            Layout.fillWidth: true
            visible: privateSwitch.checked
            text: qsTr("Only people you invite can see and join it.")
            wrapMode: Text.Wrap
            color: Theme.mutedText
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Create")
        acceptEnabled: root.complete
    }
}
