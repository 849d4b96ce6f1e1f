// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// Edits the current channel's topic; an empty topic clears it.
Dialog {
    id: root
    objectName: "topicDialog"

    title: qsTr("Edit topic of #%1").arg(CurrentRoom.name)
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(480, Overlay.overlay ? Overlay.overlay.width - 48 : 480)

    onAboutToShow: {
        topicField.text = CurrentRoom.topic;
        topicField.selectAll();
        topicField.forceActiveFocus();
    }
    onAccepted: RoomActions.setTopic(topicField.text.trim())

    TextField {
        id: topicField
        objectName: "topicField"
        anchors.left: parent.left
        anchors.right: parent.right
        placeholderText: qsTr("What is this room about?")
        Accessible.role: Accessible.EditableText
        Accessible.name: qsTr("Topic")
        onAccepted: root.accept()
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Save")
    }
}
