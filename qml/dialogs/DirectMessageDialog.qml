// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Opens (or creates) the direct conversation with one user. On a server that lists its
// users (§17.5) typing shows the matching accounts; choosing one opens the conversation.
// Elsewhere the name is typed in full.
Dialog {
    id: root
    objectName: "directMessageDialog"

    readonly property bool complete: userField.text.trim().length > 0

    function openWith(user: string) {
        RoomActions.openDirect(user);
        root.close();
    }

    title: qsTr("New direct message")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(420, Overlay.overlay ? Overlay.overlay.width - 48 : 420)

    onAboutToShow: {
        userField.clear();
        userField.forceActiveFocus();
        if (users.available)
            users.refresh();
    }
    onAccepted: RoomActions.openDirect(userField.text.trim())

    UserDirectoryModel {
        id: users
        query: userField.text
        excludeUser: Account.username
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 8

        TextField {
            id: userField
            objectName: "directUserField"
            Layout.fillWidth: true
            placeholderText: users.available ? qsTr("Search people") : qsTr("Username")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Username")
            onAccepted: if (root.complete) root.accept()
            Keys.onDownPressed: if (userList.count > 0) {
                userList.currentIndex = 0;
                userList.forceActiveFocus();
            }
        }

        ListView {
            id: userList
            objectName: "directUserList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 240)
            visible: users.available && count > 0
            clip: true
            model: users
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Matching people")
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: match
                required property string user
                required property bool online
                objectName: "directUser_" + user
                width: userList.width
                highlighted: ListView.isCurrentItem
                text: match.user
                Accessible.role: Accessible.ListItem
                Accessible.name: match.online ? qsTr("%1, online").arg(match.user) : match.user
                onClicked: root.openWith(match.user)
                Keys.onReturnPressed: root.openWith(match.user)
                Keys.onEnterPressed: root.openWith(match.user)
                contentItem: RowLayout {
                    spacing: 10
                    Avatar {
                        name: match.user
                        size: 24
                        opacity: match.online ? 1 : 0.6
                    }
                    Label {
                        Layout.fillWidth: true
                        text: match.user
                        elide: Text.ElideRight
                    }
                    Label {
                        visible: match.online
                        text: qsTr("online")
                        color: Theme.mutedText
                        font.pixelSize: 12
                    }
                }
            }
        }

        Label {
            Layout.fillWidth: true
            visible: users.available && !users.loading && users.count === 0
                && userField.text.trim().length > 0
            text: users.errorText.length > 0 ? users.errorText : qsTr("No one by that name.")
            color: Theme.mutedText
            wrapMode: Text.Wrap
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Open")
        acceptEnabled: root.complete
    }
}
