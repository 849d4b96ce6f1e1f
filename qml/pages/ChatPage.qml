// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The signed-in window: rooms on the left, the current room on the right.
Page {
    id: root
    objectName: "chatPage"

    property bool membersShown: false
    // Qt 6.4's qmllint knows no qint64 (qlonglong): reading currentRoomId is not a type error.
    readonly property bool hasRoom: CurrentRoom.roomId > 0 // qmllint disable type
    // In no room at all (and the server said so): the page says how to get into one.
    readonly property bool noRooms: Session.rooms.count === 0
                                    && Account.connectionState === ConnectionState.Live

    function selectRelative(step: int) {
        const rows = Session.rooms.count;
        if (rows === 0)
            return;
        const row = Session.rooms.rowOf(CurrentRoom.roomId); // qmllint disable type
        const next = row < 0 ? 0 : Math.max(0, Math.min(rows - 1, row + step));
        if (next !== row)
            CurrentRoom.select(Session.rooms.roomIdAt(next));
    }

    // The group dialog makes a new group (addTo 0) or adds people to the group addTo.
    function openGroupDialog(addTo: double) {
        const dialog = groupDialog.create();
        if (!dialog)
            return;
        dialog.addTo = addTo;
        dialog.open();
    }

    background: Rectangle {
        color: Theme.window
    }

    // Each room keeps its own draft (Session keeps it as it is typed): what was half
    // written here must never be sent to the next room.
    function showDraft() {
        composer.text = CurrentRoom.draft;
        composer.input.cursorPosition = composer.text.length;
    }

    // Typing goes to the composer as soon as a room is picked, however it was picked.
    Connections {
        target: CurrentRoom
        function onRoomChanged() {
            root.showDraft();
            focusTimer.restart();
        }
    }
    Component.onCompleted: {
        root.showDraft();
        focusTimer.restart();
    }
    // After the room's items exist, so nothing created later takes the focus away.
    Timer {
        id: focusTimer
        interval: 0
        onTriggered: composer.focusInput()
    }

    Shortcut {
        sequence: "Ctrl+K"
        onActivated: switcher.open()
    }
    Shortcut {
        sequence: "Alt+Up"
        onActivated: root.selectRelative(-1)
    }
    Shortcut {
        sequence: "Alt+Down"
        onActivated: root.selectRelative(1)
    }
    // As between browser tabs. Shift+Tab arrives as Backtab.
    Shortcut {
        sequence: "Ctrl+Tab"
        onActivated: root.selectRelative(1)
    }
    Shortcut {
        sequences: ["Ctrl+Shift+Tab", "Ctrl+Shift+Backtab"]
        onActivated: root.selectRelative(-1)
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        RoomSidebar {
            Layout.preferredWidth: Theme.sidebarWidth
            Layout.fillHeight: true
            onCreateRoomRequested: createRoomDialog.open()
            onJoinRoomRequested: joinRoomDialog.open()
            onDirectMessageRequested: directMessageDialog.open()
            onGroupRequested: root.openGroupDialog(0)
            onSwitcherRequested: switcher.open()
            onSettingsRequested: settingsDialog.open()
            onAdministrationRequested: administrationDialog.open()
            onAccountRequested: accountDialog.open()
            onProfileRequested: profileDialog.open()
        }
        Rectangle {
            Layout.fillHeight: true
            implicitWidth: 1
            color: Theme.divider
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ConnectionBanner {
                objectName: "connectionBanner"
                Layout.fillWidth: true
            }
            RoomHeader {
                Layout.fillWidth: true
                visible: root.hasRoom
                membersShown: root.membersShown
                onMembersToggled: root.membersShown = !root.membersShown
                onEditTopicRequested: topicDialog.open()
                onLeaveRequested: leaveDialog.open()
                searchAvailable: search.available
                onSearchRequested: search.open()
                onInviteRequested: inviteDialog.open()
                onChannelSettingsRequested: channelSettingsDialog.open()
                onAddPeopleRequested: root.openGroupDialog(CurrentRoom.roomId) // qmllint disable type
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: 0

                // The room's timeline and composer, and files dropped anywhere on them.
                Item {
                    Layout.fillWidth: true
                    Layout.fillHeight: true

                    ColumnLayout {
                        anchors.fill: parent
                        spacing: 0

                        Timeline {
                            id: timeline
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            visible: root.hasRoom
                            onTextTyped: (text) => {
                                composer.focusInput();
                                composer.input.insert(composer.input.cursorPosition, text);
                            }
                        }
                        Composer {
                            id: composer
                            objectName: "composer"
                            Layout.fillWidth: true
                            visible: root.hasRoom
                            // Muted in this channel (§17.4): nothing to write until it ends.
                            enabled: !Session.members.selfMuted
                            placeholderText: Session.members.selfMuted
                                ? Session.members.selfMutedText
                                : CurrentRoom.direct && !CurrentRoom.group
                                ? qsTr("Message %1").arg(
                                    (Profiles.revision, Profiles.displayName(CurrentRoom.name)))
                                : CurrentRoom.direct
                                ? qsTr("Message %1").arg(CurrentRoom.name)
                                : qsTr("Message #%1").arg(CurrentRoom.name)
                            onSendRequested: (text) => MessageActions.send(text)
                            onRoomStepRequested: (step) => root.selectRelative(step)
                        }
                        Label {
                            objectName: "noRoomHint"
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            visible: !root.hasRoom && Session.rooms.count > 0
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                            wrapMode: Text.Wrap
                            text: qsTr("Pick a room on the left, or press Ctrl+K to jump to one.")
                            color: Theme.mutedText
                        }
                        Item {
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            visible: !root.hasRoom && root.noRooms

                            ColumnLayout {
                                anchors.centerIn: parent
                                width: Math.min(parent.width - 48, 440)
                                spacing: 12

                                Label {
                                    Layout.fillWidth: true
                                    horizontalAlignment: Text.AlignHCenter
                                    text: qsTr("You are not in any room yet")
                                    font.bold: true
                                    font.pixelSize: 18
                                    color: Theme.text
                                    wrapMode: Text.Wrap
                                    Accessible.role: Accessible.Heading
                                    Accessible.name: text
                                }
                                Label {
                                    Layout.fillWidth: true
                                    horizontalAlignment: Text.AlignHCenter
                                    text: qsTr("Join one of the channels on this server, or start your own.")
                                    color: Theme.mutedText
                                    wrapMode: Text.Wrap
                                }
                                RowLayout {
                                    Layout.alignment: Qt.AlignHCenter
                                    spacing: Theme.spacing
                                    PrimaryButton {
                                        objectName: "emptyBrowseButton"
                                        text: qsTr("Browse channels")
                                        onClicked: joinRoomDialog.open()
                                    }
                                    Button {
                                        objectName: "emptyCreateButton"
                                        flat: true
                                        text: qsTr("Create a channel")
                                        Accessible.role: Accessible.Button
                                        Accessible.name: text
                                        onClicked: createRoomDialog.open()
                                    }
                                }
                            }
                        }
                    }
                    FileDropArea {
                        anchors.fill: parent
                        enabled: root.hasRoom && MessageActions.editing === 0
                    }
                }
                MemberList {
                    Layout.preferredWidth: Theme.memberListWidth
                    Layout.fillHeight: true
                    visible: root.hasRoom && root.membersShown
                }
            }
        }
    }

    // Created when first opened (LazyPopup), by URL: Qt 6.4's Loader gives what it creates a
    // context of its own, which inline components bound to this file refuse.
    LazyPopup {
        id: createRoomDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/CreateRoomDialog.qml")
    }
    LazyPopup {
        id: inviteDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/InviteDialog.qml")
    }
    LazyPopup {
        id: channelSettingsDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/ChannelSettingsDialog.qml")
    }
    LazyPopup {
        id: joinRoomDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/JoinRoomDialog.qml")
    }
    LazyPopup {
        id: directMessageDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/DirectMessageDialog.qml")
    }
    LazyPopup {
        id: groupDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/NewGroupDialog.qml")
    }
    LazyPopup {
        id: settingsDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/SettingsDialog.qml")
    }
    LazyPopup {
        id: administrationDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/AdministrationDialog.qml")
    }
    LazyPopup {
        id: accountDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/AccountDialog.qml")
    }
    LazyPopup {
        id: profileDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/ProfileDialog.qml")
    }
    LazyPopup {
        id: topicDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/TopicDialog.qml")
    }
    LazyPopup {
        id: leaveDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/LeaveRoomDialog.qml")
    }
    SearchLauncher {
        id: search
        anchors.fill: parent
    }
    LazyPopup {
        id: switcher
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/RoomSwitcher.qml")
    }
}
