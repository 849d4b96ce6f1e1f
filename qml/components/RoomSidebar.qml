// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The room list with the actions that add rooms, and the way to the settings.
Rectangle {
    id: root

    signal createRoomRequested
    signal joinRoomRequested
    signal directMessageRequested
    signal groupRequested
    signal switcherRequested
    signal settingsRequested
    signal administrationRequested
    signal accountRequested
    signal profileRequested

    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // The app, and the actions that add rooms.
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 14
            Layout.rightMargin: 4
            Layout.topMargin: 6
            spacing: 2

            Image {
                source: "qrc:/Confab/icons/confab.svg"
                sourceSize.width: 28
                sourceSize.height: 28
                Accessible.ignored: true
            }
            Label {
                Layout.fillWidth: true
                Layout.leftMargin: 6
                text: qsTr("Confab")
                font.bold: true
                font.pixelSize: 17
                color: Theme.text
                elide: Text.ElideRight
            }
            ToolButton {
                id: createRoomButton
                objectName: "createRoomButton"
                implicitWidth: 38
                icon.source: "qrc:/Confab/icons/add.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Create a room")
                ToolTip.text: qsTr("Create a room")
                ToolTip.visible: hovered
                onClicked: root.createRoomRequested()
                FocusRing {
                    shown: createRoomButton.visualFocus
                }
            }
            ToolButton {
                id: joinRoomButton
                objectName: "joinRoomButton"
                implicitWidth: 38
                icon.source: "qrc:/Confab/icons/hash.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Browse channels")
                ToolTip.text: qsTr("Browse channels")
                ToolTip.visible: hovered
                onClicked: root.joinRoomRequested()
                FocusRing {
                    shown: joinRoomButton.visualFocus
                }
            }
            ToolButton {
                id: directMessageButton
                objectName: "directMessageButton"
                implicitWidth: 38
                icon.source: "qrc:/Confab/icons/message.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("New direct message")
                ToolTip.text: qsTr("New direct message")
                ToolTip.visible: hovered
                onClicked: root.directMessageRequested()
                FocusRing {
                    shown: directMessageButton.visualFocus
                }
            }
            ToolButton {
                id: newGroupButton
                objectName: "newGroupButton"
                implicitWidth: 38
                visible: RoomActions.groupsAvailable
                icon.source: "qrc:/Confab/icons/members.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("New group conversation")
                ToolTip.text: qsTr("New group conversation")
                ToolTip.visible: hovered
                onClicked: root.groupRequested()
                FocusRing {
                    shown: newGroupButton.visualFocus
                }
            }
        }

        // Looks like a search field; opens the room switcher (Ctrl+K).
        AbstractButton {
            id: switcherButton
            objectName: "switcherButton"
            Layout.fillWidth: true
            Layout.leftMargin: 10
            Layout.rightMargin: 10
            Layout.topMargin: 4
            Layout.bottomMargin: 6
            implicitHeight: 34
            focusPolicy: Qt.StrongFocus
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Jump to a room")
            onClicked: root.switcherRequested()

            background: Rectangle {
                radius: 6
                color: switcherButton.hovered ? Theme.hover : Theme.window
                border.color: switcherButton.visualFocus ? Theme.accent : Theme.divider
            }
            contentItem: RowLayout {
                spacing: 8
                Icon {
                    Layout.leftMargin: 10
                    source: "qrc:/Confab/icons/browse.svg"
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Jump to…")
                    color: Theme.mutedText
                    elide: Text.ElideRight
                }
                Label {
                    Layout.rightMargin: 10
                    text: qsTr("Ctrl+K")
                    color: Theme.mutedText
                    font.pixelSize: 11
                }
            }
        }

        InvitationList {
            Layout.fillWidth: true
            Layout.bottomMargin: 6
        }

        ListView {
            id: list
            objectName: "roomList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Session.rooms
            boundsBehavior: Flickable.StopAtBounds
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Rooms")
            // One Tab stop; Up/Down move in it, Enter opens the room the keyboard is on.
            activeFocusOnTab: true
            keyNavigationEnabled: true
            onActiveFocusChanged: {
                const row = Session.rooms.rowOf(CurrentRoom.roomId);
                if (list.activeFocus && row >= 0)
                    list.currentIndex = row;
            }
            Keys.onReturnPressed: CurrentRoom.select(Session.rooms.roomIdAt(list.currentIndex))
            Keys.onEnterPressed: CurrentRoom.select(Session.rooms.roomIdAt(list.currentIndex))
            Keys.onSpacePressed: CurrentRoom.select(Session.rooms.roomIdAt(list.currentIndex))

            section.property: "section"
            section.criteria: ViewSection.FullString
            // From the URL, not inline: Qt 6.4's views give section and header items a
            // context of their own, which components bound to this file refuse.
            // Parented to the list: a component nothing but a view's delegate property
            // refers to belongs to the JavaScript heap, whose collector deletes it under the
            // view (a crash in Qt Quick the next time the view creates a section).
            section.delegate: Qt.createComponent(Qt.resolvedUrl("../delegates/SectionHeader.qml"),
                                                 Component.PreferSynchronous, list)

            delegate: RoomDelegate {
                id: roomDelegate
                width: list.width
                // Qt 6.4's qmllint knows no qint64 (qlonglong): reading currentRoomId is not a type error.
                current: roomDelegate.roomId === CurrentRoom.roomId // qmllint disable type
                keyboardFocus: list.activeFocus && roomDelegate.ListView.isCurrentItem
                onClicked: CurrentRoom.select(roomDelegate.roomId)
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 32
                visible: list.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: qsTr("No rooms yet. Create one or browse the channels on this server.")
                color: Theme.mutedText
            }

            ScrollBar.vertical: ScrollBar {}
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.divider
        }
        // Who is signed in; the way to the settings (and sign-out).
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 14
            Layout.rightMargin: 4
            Layout.topMargin: 4
            Layout.bottomMargin: 4
            spacing: 10

            Avatar {
                name: Account.username
                size: 28
            }
            Label {
                objectName: "ownUserLabel"
                Layout.fillWidth: true
                text: Account.username
                color: Theme.text
                font.bold: true
                elide: Text.ElideRight
            }
            // Do-not-disturb is on (§18.3): until when, and a click turns it off.
            ToolButton {
                id: dndIndicator
                objectName: "dndIndicator"
                visible: NotifyLevels.dndOn
                icon.source: "qrc:/Confab/icons/bell.svg"
                icon.color: Theme.error
                // The time alone today, with the day otherwise.
                readonly property string until: NotifyLevels.dndUntilText
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Do not disturb until %1. Turn off").arg(dndIndicator.until)
                ToolTip.text: qsTr("Do not disturb until %1").arg(dndIndicator.until)
                ToolTip.visible: hovered
                onClicked: NotifyLevels.dndOff()
            }
            ToolButton {
                id: accountButton
                objectName: "accountButton"
                visible: AccountSettings.available || NotifyLevels.available || Profiles.available
                icon.source: "qrc:/Confab/icons/person.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Account and notifications")
                ToolTip.text: qsTr("Account and notifications")
                ToolTip.visible: hovered
                onClicked: accountMenu.popup(accountButton, 0, -accountMenu.implicitHeight)
                FocusRing {
                    shown: accountButton.visualFocus
                }
                Menu {
                    id: accountMenu
                    objectName: "accountMenu"
                    // "until 08:00" just after midnight, "until tomorrow 08:00" otherwise.
                    property string morningLabel
                    onAboutToShow: accountMenu.morningLabel = NotifyLevels.dndMorningLabel()
                    MenuItem {
                        objectName: "openProfileDialog"
                        visible: Profiles.available
                        height: visible ? implicitHeight : 0
                        text: qsTr("Profile…")
                        Accessible.name: qsTr("Profile")
                        onTriggered: root.profileRequested()
                    }
                    MenuItem {
                        objectName: "openAccountDialog"
                        visible: AccountSettings.available
                        height: visible ? implicitHeight : 0
                        text: qsTr("Account…")
                        Accessible.name: qsTr("Account")
                        onTriggered: root.accountRequested()
                    }
                    MenuItem {
                        objectName: "dndHour"
                        visible: NotifyLevels.available
                        height: visible ? implicitHeight : 0
                        text: qsTr("Do not disturb for 1 hour")
                        Accessible.name: text
                        onTriggered: NotifyLevels.dndForOneHour()
                    }
                    MenuItem {
                        objectName: "dndMorning"
                        visible: NotifyLevels.available
                        height: visible ? implicitHeight : 0
                        text: accountMenu.morningLabel
                        Accessible.name: text
                        onTriggered: NotifyLevels.dndUntilMorning()
                    }
                    MenuItem {
                        objectName: "dndOff"
                        visible: NotifyLevels.dndOn
                        height: visible ? implicitHeight : 0
                        text: qsTr("Turn off do not disturb")
                        Accessible.name: text
                        onTriggered: NotifyLevels.dndOff()
                    }
                }
            }
            ToolButton {
                id: administrationButton
                objectName: "administrationButton"
                visible: Administration.isAdmin
                icon.source: "qrc:/Confab/icons/members.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Administration")
                ToolTip.text: qsTr("Administration")
                ToolTip.visible: hovered
                onClicked: root.administrationRequested()
                FocusRing {
                    shown: administrationButton.visualFocus
                }
            }
            ToolButton {
                id: settingsButton
                objectName: "settingsButton"
                icon.source: "qrc:/Confab/icons/settings.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Settings")
                ToolTip.text: qsTr("Settings")
                ToolTip.visible: hovered
                onClicked: root.settingsRequested()
                FocusRing {
                    shown: settingsButton.visualFocus
                }
            }
        }
    }
}
