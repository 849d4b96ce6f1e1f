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

    onAboutToShow: {
        privateSwitch.checked = Moderation.isPrivate;
        moderatorsOnly.checked = Moderation.invitesBy === "moderators";
        anyMember.checked = !moderatorsOnly.checked;
    }
    onAccepted: Moderation.setRoom(privateSwitch.checked,
        moderatorsOnly.checked ? "moderators" : "members")

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
