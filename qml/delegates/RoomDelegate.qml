// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// A room in the sidebar (and in the room switcher): name, unread and mention badges.
ItemDelegate {
    id: root

    required property real roomId
    required property string name
    required property bool isDirect
    required property bool isGroup
    required property bool isPrivate
    required property int unread
    required property int mentions
    // The user's level (§18.3), as the model's rule says: the unread count greyed
    // ("mentions" or "none"), the mention count too ("none").
    required property bool quiet
    required property bool muted
    required property string accessibleText
    property bool current: false
    // The list has the keyboard and it is on this room (the list is the Tab stop, not
    // each room).
    property bool keyboardFocus: false

    highlighted: root.current
    focusPolicy: Qt.NoFocus
    leftPadding: 14
    rightPadding: 10
    topPadding: 6
    bottomPadding: 6
    Accessible.role: Accessible.ListItem
    Accessible.name: root.accessibleText
    Accessible.selected: root.current

    background: Rectangle {
        x: 6
        width: root.width - 12
        height: root.height
        radius: 6
        color: root.current ? Theme.sidebarSelected : root.hovered ? Theme.hover : "transparent"

        Rectangle {
            objectName: "roomFocusFrame"
            visible: root.keyboardFocus
            anchors.fill: parent
            radius: parent.radius
            color: "transparent"
            border.width: 2
            border.color: Theme.accent
        }
    }

    contentItem: RowLayout {
        spacing: 8
        Label {
            objectName: "roomKindMark"
            visible: !root.isPrivate && !root.isGroup
            Layout.preferredWidth: 14
            horizontalAlignment: Text.AlignHCenter
            text: root.isDirect ? "@" : "#"
            color: Theme.mutedText
            Accessible.ignored: true
        }
        // A group is a direct room of several people (§18.4): not an "@" of one person.
        Icon {
            objectName: "groupRoomMark"
            visible: root.isGroup
            Layout.preferredWidth: 14
            source: "qrc:/Confab/icons/members.svg"
            size: 12
        }
        // The accessible text already says "private".
        Icon {
            objectName: "privateRoomLock"
            visible: root.isPrivate
            Layout.preferredWidth: 14
            source: "qrc:/Confab/icons/lock.svg"
            size: 12
        }
        Label {
            objectName: "roomRowName"
            Layout.fillWidth: true
            // A direct room is named by the other user: their display name (§18.2).
            text: root.isDirect && !root.isGroup ? (Profiles.revision, Profiles.displayName(root.name)) : root.name
            elide: Text.ElideRight
            color: (root.unread > 0 && !root.quiet) || root.current ? Theme.text : Theme.mutedText
            font.bold: root.unread > 0 && !root.quiet
        }
        Badge {
            objectName: "mentionBadge"
            visible: root.mentions > 0
            color: root.muted ? Theme.mutedText : Theme.mentionBadge
            text: "@" + (root.mentions > 99 ? "99+" : String(root.mentions))
        }
        Badge {
            objectName: "unreadBadge"
            visible: root.unread > 0
            color: root.quiet ? Theme.mutedText : Theme.unreadBadge
            text: root.unread > 999 ? "999+" : String(root.unread)
        }
    }
}
