// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The current room's name and topic, and the actions on it.
Rectangle {
    id: root

    property bool membersShown: false
    // The server offers search: the header shows its button.
    property bool searchAvailable: false

    signal editTopicRequested
    signal leaveRequested
    signal membersToggled
    signal searchRequested
    signal inviteRequested
    signal channelSettingsRequested
    signal addPeopleRequested

    implicitHeight: 56
    color: Theme.window

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.divider
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 20
        anchors.rightMargin: 8
        spacing: 10

        Icon {
            objectName: "privateLock"
            visible: !CurrentRoom.direct && Moderation.isPrivate
            source: "qrc:/Confab/icons/lock.svg"
            Layout.rightMargin: -6
            Accessible.ignored: false
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("Private channel")
        }
        Label {
            objectName: "roomNameLabel"
            // A 1:1 room is named by the other user: their display name (§18.2). A group
            // is direct too, but its name lists several people, or is one given to it.
            text: CurrentRoom.direct && !CurrentRoom.group
                ? (Profiles.revision, Profiles.displayName(CurrentRoom.name))
                : CurrentRoom.direct ? CurrentRoom.name : "#" + CurrentRoom.name
            font.bold: true
            font.pixelSize: 17
            color: Theme.text
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            id: topicLabel
            objectName: "roomTopicLabel"
            Layout.fillWidth: true
            text: CurrentRoom.topic
            color: Theme.mutedText
            elide: Text.ElideRight
            maximumLineCount: 1
            // The whole topic when it does not fit.
            ToolTip.text: CurrentRoom.topic
            ToolTip.visible: topicHover.hovered && topicLabel.truncated
            ToolTip.delay: 500
            HoverHandler {
                id: topicHover
            }
        }
        ToolButton {
            id: editTopicButton
            objectName: "editTopicButton"
            visible: !CurrentRoom.direct
            icon.source: "qrc:/Confab/icons/edit.svg"
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Edit topic")
            ToolTip.text: qsTr("Edit topic")
            ToolTip.visible: hovered
            onClicked: root.editTopicRequested()
            FocusRing {
                shown: editTopicButton.visualFocus
            }
        }
        ToolButton {
            id: inviteButton
            objectName: "inviteButton"
            visible: !CurrentRoom.direct && Moderation.canInvite
            icon.source: "qrc:/Confab/icons/person.svg"
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Invite people…")
            ToolTip.text: qsTr("Invite people…")
            ToolTip.visible: hovered
            onClicked: root.inviteRequested()
            FocusRing {
                shown: inviteButton.visualFocus
            }
        }
        ToolButton {
            id: addPeopleButton
            objectName: "addPeopleButton"
            visible: CurrentRoom.group
            icon.source: "qrc:/Confab/icons/add.svg"
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Add people…")
            ToolTip.text: qsTr("Add people…")
            ToolTip.visible: hovered
            onClicked: root.addPeopleRequested()
            FocusRing {
                shown: addPeopleButton.visualFocus
            }
        }
        ToolButton {
            id: channelSettingsButton
            objectName: "channelSettingsButton"
            visible: !CurrentRoom.direct && Moderation.canConfigure
            icon.source: "qrc:/Confab/icons/settings.svg"
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Channel settings")
            ToolTip.text: qsTr("Channel settings")
            ToolTip.visible: hovered
            onClicked: root.channelSettingsRequested()
            FocusRing {
                shown: channelSettingsButton.visualFocus
            }
        }
        ToolButton {
            id: notifyButton
            objectName: "notifyButton"
            visible: NotifyLevels.available
            icon.source: "qrc:/Confab/icons/bell.svg"
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Notifications for this room")
            ToolTip.text: qsTr("Notifications for this room")
            ToolTip.visible: hovered
            onClicked: notifyMenu.popup(notifyButton, 0, notifyButton.height)
            FocusRing {
                shown: notifyButton.visualFocus
            }
            // The level is the server's (§18.3): its room push updates the sidebar. The
            // ticks only ever show it: a click asks the server, it does not tick by itself.
            Menu {
                id: notifyMenu
                objectName: "notifyMenu"
                // Taken when it opens: a room switch while it is open must not send the
                // choice to the other room.
                property real roomId: 0
                property string level: "all"
                onAboutToShow: {
                    notifyMenu.roomId = CurrentRoom.roomId; // qmllint disable type
                    notifyMenu.level = Session.rooms.notifyLevel(notifyMenu.roomId);
                }
                MenuItem {
                    id: notifyAll
                    objectName: "notifyAll"
                    text: qsTr("All messages")
                    Accessible.name: text
                    checkable: true
                    checked: notifyMenu.level === "all"
                    onToggled: notifyAll.checked = Qt.binding(() => notifyMenu.level === "all")
                    onTriggered: NotifyLevels.setLevel(notifyMenu.roomId, "all")
                }
                MenuItem {
                    id: notifyMentions
                    objectName: "notifyMentions"
                    text: qsTr("Mentions only")
                    Accessible.name: text
                    checkable: true
                    checked: notifyMenu.level === "mentions"
                    onToggled: notifyMentions.checked = Qt.binding(() => notifyMenu.level === "mentions")
                    onTriggered: NotifyLevels.setLevel(notifyMenu.roomId, "mentions")
                }
                MenuItem {
                    id: notifyNone
                    objectName: "notifyNone"
                    text: qsTr("Nothing")
                    Accessible.name: text
                    checkable: true
                    checked: notifyMenu.level === "none"
                    onToggled: notifyNone.checked = Qt.binding(() => notifyMenu.level === "none")
                    onTriggered: NotifyLevels.setLevel(notifyMenu.roomId, "none")
                }
            }
        }
        ToolButton {
            id: searchButton
            objectName: "searchButton"
            visible: root.searchAvailable
            icon.source: "qrc:/Confab/icons/browse.svg"
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Search messages")
            ToolTip.text: qsTr("Search messages (Ctrl+F)")
            ToolTip.visible: hovered
            onClicked: root.searchRequested()
            FocusRing {
                shown: searchButton.visualFocus
            }
        }
        ToolButton {
            id: membersButton
            objectName: "membersButton"
            checkable: true
            checked: root.membersShown
            icon.source: "qrc:/Confab/icons/members.svg"
            text: String(Session.members.count)
            display: AbstractButton.TextBesideIcon
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Members: %n", "", Session.members.count)
            ToolTip.text: root.membersShown ? qsTr("Hide members") : qsTr("Show members")
            ToolTip.visible: hovered
            onClicked: root.membersToggled()
            FocusRing {
                shown: membersButton.visualFocus
            }
        }
        ToolButton {
            id: leaveButton
            objectName: "leaveButton"
            // Groups can be left (§18.4); a 1:1 direct room cannot.
            visible: !CurrentRoom.direct || CurrentRoom.group
            icon.source: "qrc:/Confab/icons/leave.svg"
            Accessible.role: Accessible.Button
            Accessible.name: CurrentRoom.group ? qsTr("Leave conversation") : qsTr("Leave room")
            ToolTip.text: CurrentRoom.group ? qsTr("Leave conversation") : qsTr("Leave room")
            ToolTip.visible: hovered
            onClicked: root.leaveRequested()
            FocusRing {
                shown: leaveButton.visualFocus
            }
        }
    }
}
