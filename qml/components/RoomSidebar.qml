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
    signal switcherRequested
    signal settingsRequested

    color: Theme.sidebar

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Who is signed in, and where.
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 14
            Layout.rightMargin: 4
            Layout.topMargin: 8
            Layout.bottomMargin: 4
            spacing: 10

            Image {
                source: "qrc:/Confab/icons/confab.svg"
                sourceSize.width: 32
                sourceSize.height: 32
                Accessible.ignored: true
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Confab")
                    font.bold: true
                    font.pixelSize: 16
                    color: Theme.text
                }
                Label {
                    Layout.fillWidth: true
                    text: Session.username
                    color: Theme.mutedText
                    font.pixelSize: 12
                    elide: Text.ElideRight
                }
            }
            ToolButton {
                objectName: "settingsButton"
                icon.source: "qrc:/Confab/icons/settings.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Settings")
                ToolTip.text: qsTr("Settings")
                ToolTip.visible: hovered
                onClicked: root.settingsRequested()
            }
        }

        // Finding and adding rooms.
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 8
            Layout.rightMargin: 4
            spacing: 0

            Button {
                objectName: "switcherButton"
                Layout.fillWidth: true
                flat: true
                text: qsTr("Jump to… (Ctrl+K)")
                icon.source: "qrc:/Confab/icons/browse.svg"
                icon.width: 18
                icon.height: 18
                font.capitalization: Font.MixedCase
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Jump to a room")
                onClicked: root.switcherRequested()
            }
            ToolButton {
                objectName: "createRoomButton"
                icon.source: "qrc:/Confab/icons/add.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Create a room")
                ToolTip.text: qsTr("Create a room")
                ToolTip.visible: hovered
                onClicked: root.createRoomRequested()
            }
            ToolButton {
                objectName: "joinRoomButton"
                icon.source: "qrc:/Confab/icons/hash.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Browse channels")
                ToolTip.text: qsTr("Browse channels")
                ToolTip.visible: hovered
                onClicked: root.joinRoomRequested()
            }
            ToolButton {
                objectName: "directMessageButton"
                icon.source: "qrc:/Confab/icons/message.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("New direct message")
                ToolTip.text: qsTr("New direct message")
                ToolTip.visible: hovered
                onClicked: root.directMessageRequested()
            }
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

            section.property: "section"
            section.criteria: ViewSection.FullString
            section.delegate: Label {
                required property string section
                width: list.width
                leftPadding: 16
                topPadding: 14
                bottomPadding: 4
                text: section === "direct" ? qsTr("Direct messages") : qsTr("Channels")
                color: Theme.mutedText
                font.pixelSize: 12
                font.bold: true
                font.capitalization: Font.AllUppercase
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }

            delegate: RoomDelegate {
                id: roomDelegate
                width: list.width
                current: roomDelegate.roomId === Session.currentRoomId
                onClicked: Session.selectRoom(roomDelegate.roomId)
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
    }
}
