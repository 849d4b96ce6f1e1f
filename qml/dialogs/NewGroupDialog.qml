// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Starts a group conversation (§18.4) with the people chosen, or, with addTo set to a
// group's id, adds them to it. People are found as in the direct-message dialog: on a
// server that lists its users, typing shows the matching accounts; elsewhere a name typed
// in full is taken with Enter. The dialog stays open until the server agreed, and says
// beside the list why it did not.
Dialog {
    id: root
    objectName: "newGroupDialog"

    // 0: a new group; else the group the chosen people are added to.
    property double addTo: 0
    // The usernames chosen so far, in the order they were picked.
    property var chosen: []
    property string errorText: ""
    property bool busy: false
    // add_to_group requests still out.
    property int pendingAdds: 0
    // Everyone in a group, its creator included, is at most 10 (protocol MaxGroupMembers).
    readonly property int maxChosen: root.addTo > 0 ? Math.max(0, 10 - Session.members.count) : 9

    function choose(user: string) {
        const name = user.trim();
        if (name.length === 0)
            return;
        if (name.toLowerCase() === Account.username.toLowerCase()) {
            root.errorText = qsTr("You are in the conversation already.");
            return;
        }
        for (const c of root.chosen) {
            if (c.toLowerCase() === name.toLowerCase())
                return;
        }
        if (root.chosen.length >= root.maxChosen) {
            root.errorText = qsTr("A group conversation has at most 10 people.");
            return;
        }
        root.chosen = root.chosen.concat([name]);
        root.errorText = "";
        userField.clear();
        userField.forceActiveFocus();
    }

    function unchoose(user: string) {
        root.chosen = root.chosen.filter(c => c !== user);
        userField.forceActiveFocus();
    }

    function submit() {
        if (root.chosen.length === 0 || root.busy)
            return;
        root.errorText = "";
        root.busy = true;
        if (root.addTo > 0) {
            root.pendingAdds = root.chosen.length;
            for (const user of root.chosen)
                RoomActions.addToGroup(root.addTo, user);
        } else {
            RoomActions.openGroup(root.chosen, nameField.text);
        }
    }

    title: root.addTo > 0 ? qsTr("Add people to %1").arg(CurrentRoom.name)
                          : qsTr("New group conversation")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, Overlay.overlay ? Overlay.overlay.width - 48 : 460)

    onAboutToShow: {
        root.chosen = [];
        root.errorText = "";
        root.busy = false;
        root.pendingAdds = 0;
        nameField.clear();
        userField.clear();
        userField.forceActiveFocus();
        if (users.available)
            users.refresh();
    }

    // While closed, a late failure goes to the window's toast instead (RoomActions).
    Binding {
        target: RoomActions
        property: "groupFormShown"
        value: root.opened
    }

    Connections {
        target: RoomActions
        enabled: root.opened
        // Not roomOpened: accepting an invitation meanwhile opens a room as well.
        function onGroupOpened() {
            if (root.busy && root.addTo === 0) {
                root.busy = false;
                root.close();
            }
        }
        function onAddedToGroup(roomId: double, user: string) {
            if (!root.busy || roomId !== root.addTo)
                return;
            root.chosen = root.chosen.filter(c => c.toLowerCase() !== user.toLowerCase());
            root.addFinished();
        }
        function onGroupFailed(message: string) {
            if (!root.busy)
                return;
            root.errorText = message;
            if (root.addTo > 0)
                root.addFinished();
            else
                root.busy = false;
        }
    }

    // One add_to_group answered: when all are, close if everyone was added.
    function addFinished() {
        root.pendingAdds = Math.max(0, root.pendingAdds - 1);
        if (root.pendingAdds > 0)
            return;
        root.busy = false;
        if (root.chosen.length === 0)
            root.close();
    }

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
            id: nameField
            objectName: "groupNameField"
            Layout.fillWidth: true
            visible: root.addTo === 0
            placeholderText: qsTr("Name (optional)")
            maximumLength: 100
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Group name, optional")
        }

        Flow {
            objectName: "chosenPeople"
            Layout.fillWidth: true
            spacing: 6
            visible: root.chosen.length > 0
            Accessible.role: Accessible.List
            Accessible.name: qsTr("People chosen")

            Repeater {
                model: root.chosen
                delegate: Button {
                    id: chip
                    required property string modelData
                    objectName: "chosen_" + chip.modelData
                    text: qsTr("%1  ✕").arg(chip.modelData)
                    flat: true
                    font.pixelSize: 13
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Remove %1").arg(chip.modelData)
                    ToolTip.text: qsTr("Remove %1").arg(chip.modelData)
                    ToolTip.visible: chip.hovered
                    onClicked: root.unchoose(chip.modelData)
                    background: Rectangle {
                        radius: height / 2
                        color: chip.hovered ? Theme.hover : Theme.window
                        border.color: chip.visualFocus ? Theme.accent : Theme.divider
                    }
                }
            }
        }

        TextField {
            id: userField
            objectName: "groupUserField"
            Layout.fillWidth: true
            enabled: root.chosen.length < root.maxChosen
            placeholderText: users.available ? qsTr("Search people") : qsTr("Username")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Add a person by username")
            // Enter takes the first match, or the name as typed where nothing is listed.
            // While a search is on its way the rows still answer the previous text, so
            // the first of them would be someone else: the typed name wins then, as it
            // does when it is exactly a listed username.
            onAccepted: {
                const typed = userField.text.trim();
                if (typed.length === 0)
                    root.submit();
                else if (users.available && !users.loading && users.query === userField.text
                         && users.rowOf(typed) < 0 && userList.count > 0)
                    root.choose(users.userAt(0));
                else
                    root.choose(typed);
            }
            Keys.onDownPressed: if (userList.count > 0) {
                userList.currentIndex = 0;
                userList.forceActiveFocus();
            }
        }

        ListView {
            id: userList
            objectName: "groupUserList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 200)
            visible: users.available && count > 0 && userField.text.trim().length > 0
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
                // The directory matches display names too, so a row shows why it matched.
                // Concatenated, not arg()ed: a display name may itself contain "%1".
                readonly property string label: match.displayName === match.user
                    ? match.user : match.displayName + " (" + match.user + ")"
                objectName: "groupUser_" + match.user
                width: userList.width
                highlighted: ListView.isCurrentItem
                text: match.label
                Accessible.role: Accessible.ListItem
                Accessible.name: match.online ? qsTr("%1, online").arg(match.label) : match.label
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
                        text: match.label
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

        Label {
            objectName: "groupErrorLabel"
            Layout.fillWidth: true
            visible: root.errorText.length > 0
            text: root.errorText
            color: Theme.error
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: root.errorText
        }
    }

    footer: Item {
        implicitHeight: buttons.implicitHeight + 16
        implicitWidth: buttons.implicitWidth + 32

        // Not DialogButtons: accepting must wait for the server, so the dialog stays open.
        RowLayout {
            id: buttons
            anchors.right: parent.right
            anchors.rightMargin: 16
            anchors.verticalCenter: parent.verticalCenter
            spacing: 8

            Button {
                objectName: "groupCancelButton"
                text: qsTr("Cancel")
                flat: true
                Accessible.role: Accessible.Button
                Accessible.name: text
                onClicked: root.reject()
            }
            PrimaryButton {
                objectName: "groupCreateButton"
                text: root.addTo > 0 ? qsTr("Add") : qsTr("Create")
                enabled: root.chosen.length > 0 && !root.busy
                onClicked: root.submit()
            }
        }
    }
}
