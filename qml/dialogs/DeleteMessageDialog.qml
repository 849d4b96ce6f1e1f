// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// Whether to really delete a message: it goes for everyone, for good. Created on first use
// (TimelineActions' LazyPopup), which fills the timeline.
Dialog {
    id: root
    objectName: "deleteMessageDialog"

    // The message to delete.
    property real seq: 0

    anchors.centerIn: parent
    // A width of its own and the app's button row: with its width taken from the content
    // and Material's standard button box, Qt 6.4 reported binding loops on the dialog's
    // implicit height.
    width: Math.min(360, Math.max((parent ? parent.width : 360) - 32, 200))
    modal: true
    title: qsTr("Delete message?")
    background: PopupBackground {}
    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Delete")
        acceptObjectName: "confirmDeleteButton"
    }
    Label {
        width: root.availableWidth
        text: qsTr("It is deleted for everyone in the room. This cannot be undone.")
        wrapMode: Text.Wrap
        Accessible.role: Accessible.StaticText
        Accessible.name: text
    }
    onAccepted: MessageActions.redact(root.seq)
}
