// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The user's pending invitations at the top of the sidebar, each with Accept and Decline.
// Accepting joins the channel (and opens it); the invitation goes once the room is listed.
// A user may have up to 100 (§17.3): past maximumListHeight the cards scroll, and the room
// list below keeps its room.
ColumnLayout {
    id: root
    objectName: "invitationList"

    property real maximumListHeight: 240

    visible: Session.invitations.count > 0
    spacing: 2

    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 14
        Layout.topMargin: 4
        text: qsTr("Invitations")
        font.bold: true
        font.pixelSize: 12
        color: Theme.mutedText
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }
    ListView {
        id: cards
        objectName: "invitationCards"
        Layout.fillWidth: true
        Layout.preferredHeight: Math.min(cards.contentHeight, root.maximumListHeight)
        clip: true
        spacing: 2
        boundsBehavior: Flickable.StopAtBounds
        model: Session.invitations
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Invitations")
        ScrollBar.vertical: ScrollBar {}
        delegate: Rectangle {
            id: invitation

            required property real roomId
            required property string name
            required property string invitedBy
            required property bool isPrivate
            required property string accessibleText

            objectName: "invitation_" + invitation.name
            x: 8
            width: cards.width - 16
            implicitHeight: content.implicitHeight + 12
            radius: 6
            color: Theme.window
            border.color: Theme.divider
            Accessible.role: Accessible.ListItem
            Accessible.name: invitation.accessibleText

            ColumnLayout {
                id: content
                anchors.fill: parent
                anchors.margins: 6
                spacing: 2
                RowLayout {
                    spacing: 4
                    Icon {
                        visible: invitation.isPrivate
                        source: "qrc:/Confab/icons/lock.svg"
                        size: 12
                    }
                    Label {
                        Layout.fillWidth: true
                        text: "#" + invitation.name
                        font.bold: true
                        color: Theme.text
                        elide: Text.ElideRight
                    }
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Invited by %1").arg(invitation.invitedBy)
                    color: Theme.mutedText
                    font.pixelSize: 12
                    elide: Text.ElideRight
                }
                RowLayout {
                    spacing: 6
                    Button {
                        objectName: "acceptInvitation_" + invitation.name
                        text: qsTr("Accept")
                        highlighted: true
                        flat: false
                        Accessible.role: Accessible.Button
                        Accessible.name: qsTr("Accept the invitation to %1").arg(invitation.name)
                        onClicked: Moderation.acceptInvite(invitation.roomId)
                    }
                    Button {
                        objectName: "declineInvitation_" + invitation.name
                        text: qsTr("Decline")
                        flat: true
                        Accessible.role: Accessible.Button
                        Accessible.name: qsTr("Decline the invitation to %1").arg(invitation.name)
                        onClicked: Moderation.declineInvite(invitation.roomId)
                    }
                }
            }
        }
    }
}
