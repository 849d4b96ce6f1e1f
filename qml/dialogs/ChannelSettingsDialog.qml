// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The open channel's settings, for its owners (§17.2): private or public, and who may
// invite. The settings event changes the header and the sidebar for every member.
Dialog {
    id: root
    objectName: "channelSettingsDialog"

    title: qsTr("Channel settings")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(440, Overlay.overlay ? Overlay.overlay.width - 48 : 440)

    // The room and its settings when the dialog opened: Save changes that room, and only
    // what the user changed, so another owner's change to the other field meanwhile stays.
    property real roomId: 0
    property bool wasPrivate: false
    property string wasInvitesBy: "members"

    onAboutToShow: {
        root.roomId = CurrentRoom.roomId; // qmllint disable type
        root.wasPrivate = Moderation.isPrivate;
        root.wasInvitesBy = Moderation.invitesBy;
        privateSwitch.checked = root.wasPrivate;
        moderatorsOnly.checked = root.wasInvitesBy === "moderators";
        anyMember.checked = !moderatorsOnly.checked;
    }
    onAccepted: {
        const invitesBy = moderatorsOnly.checked ? "moderators" : "members";
        Moderation.setRoom(root.roomId,
            privateSwitch.checked !== root.wasPrivate ? privateSwitch.checked : undefined,
            invitesBy !== root.wasInvitesBy ? invitesBy : "");
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Switch {
            id: privateSwitch
            objectName: "channelPrivateSwitch"
            text: qsTr("Private channel")
            Accessible.role: Accessible.CheckBox
            Accessible.name: text
        }
        Label {
            Layout.fillWidth: true
            text: privateSwitch.checked
                ? qsTr("Only members and invited people can see this channel.")
                : qsTr("Everyone on the server can find and join this channel.")
            wrapMode: Text.Wrap
            color: Theme.mutedText
        }
        Label {
            Layout.topMargin: 6
            text: qsTr("Who may invite")
            font.bold: true
            color: Theme.text
        }
        RadioButton {
            id: anyMember
            objectName: "invitesByMembers"
            text: qsTr("Any member")
            Accessible.role: Accessible.RadioButton
            Accessible.name: text
        }
        RadioButton {
            id: moderatorsOnly
            objectName: "invitesByModerators"
            text: qsTr("Moderators and owners only")
            Accessible.role: Accessible.RadioButton
            Accessible.name: text
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Save")
    }
}
