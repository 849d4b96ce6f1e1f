// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Invites a user to the open channel by username. On a server that lists its users
// (§17.5) typing shows the accounts whose username or display name matches; choosing one
// fills in the username. The server checks the rest (already a member, banned, who may
// invite); a refusal comes back as Moderation.actionFailed.
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
        if (users.available)
            users.refresh();
    }
    onAccepted: Moderation.invite(root.roomId, userField.text.trim())

    function choose(user: string) {
        userField.text = user;
        userField.forceActiveFocus();
    }

    UserDirectoryModel {
        id: users
        query: userField.text
        excludeUser: Account.username
    }

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
            placeholderText: users.available ? qsTr("Search people") : qsTr("Username")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Username to invite")
            onAccepted: if (root.complete) root.accept()
            Keys.onDownPressed: if (userList.count > 0) {
                userList.currentIndex = 0;
                userList.forceActiveFocus();
            }
        }

        ListView {
            id: userList
            objectName: "inviteUserList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 200)
            visible: users.available && count > 0
                && !(count === 1 && users.userAt(0).toLowerCase() === users.query.trim().toLowerCase())
            clip: true
            model: users
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Matching people")
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: match
                required property string user
                required property string displayName
                required property bool online
                objectName: "inviteUser_" + user
                width: userList.width
                highlighted: ListView.isCurrentItem
                text: match.displayName
                Accessible.role: Accessible.ListItem
                // The display name goes in last: a "%1" typed in it stays text. The username
                // has no "%" (protocol.md: Username).
                //: %2 is a display name, %1 the username
                Accessible.name: match.displayName === match.user
                    ? match.user : qsTr("%2 (%1)").arg(match.user).arg(match.displayName)
                onClicked: root.choose(match.user)
                Keys.onReturnPressed: root.choose(match.user)
                Keys.onEnterPressed: root.choose(match.user)
                contentItem: RowLayout {
                    spacing: 10
                    Avatar {
                        name: match.user
                        size: 24
                        opacity: match.online ? 1 : 0.6
                    }
                    Label {
                        Layout.fillWidth: true
                        //: %2 is a display name, %1 the username
                        text: match.displayName === match.user
                            ? match.user : qsTr("%2 (%1)").arg(match.user).arg(match.displayName)
                        elide: Text.ElideRight
                    }
                }
            }
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Invite")
        acceptEnabled: root.complete
    }
}
