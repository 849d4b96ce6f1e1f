// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Invites a user to the open channel by username. The server checks the rest (already a
// member, banned, who may invite); a refusal comes back as Moderation.actionFailed.
Dialog {
    id: root
    objectName: "inviteDialog"

    readonly property bool complete: userField.text.trim().length > 0
    // The room open when the dialog opened, even if another is open by the time of Invite.
    property real roomId: 0
    property string roomName

    title: qsTr("Invite people to #%1").arg(root.roomName)
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(420, Overlay.overlay ? Overlay.overlay.width - 48 : 420)

    onAboutToShow: {
        root.roomId = CurrentRoom.roomId; // qmllint disable type
        root.roomName = CurrentRoom.name;
        userField.clear();
        userField.forceActiveFocus();
    }
    onAccepted: Moderation.invite(root.roomId, userField.text.trim())

    ColumnLayout {
        anchors.fill: parent
        spacing: 10
        Label {
            Layout.fillWidth: true
            text: qsTr("They will see the invitation in their sidebar and can accept or decline it.")
            wrapMode: Text.Wrap
            color: Theme.mutedText
        }
        TextField {
            id: userField
            objectName: "inviteUserField"
            Layout.fillWidth: true
            placeholderText: qsTr("Username")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Username to invite")
            onAccepted: if (root.complete) root.accept()
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Invite")
        acceptEnabled: root.complete
    }
}
