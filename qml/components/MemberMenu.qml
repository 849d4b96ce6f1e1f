// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab.Client

// What the user may do to one member (the model's canModerate and canSetRole say, by
// §17.1): kick, ban, mute or unmute, and make moderator or member.
Menu {
    id: root
    objectName: "memberMenu"
    // Kept inside the window: the member list is at its right edge.
    margins: 8

    property string user
    property string roomRole
    property bool muted: false
    property bool canModerate: false
    property bool canSetRole: false

    // Kick, ban and mute ask for a reason first.
    signal sanctionRequested(string action, string user)

    MenuItem {
        objectName: "memberMenuKick"
        text: qsTr("Remove from channel…")
        visible: root.canModerate
        height: visible ? implicitHeight : 0
        Accessible.name: text
        onTriggered: root.sanctionRequested("kick", root.user)
    }
    MenuItem {
        objectName: "memberMenuBan"
        text: qsTr("Ban…")
        visible: root.canModerate
        height: visible ? implicitHeight : 0
        Accessible.name: text
        onTriggered: root.sanctionRequested("ban", root.user)
    }
    MenuItem {
        objectName: "memberMenuMute"
        text: root.muted ? qsTr("Unmute") : qsTr("Mute…")
        visible: root.canModerate
        height: visible ? implicitHeight : 0
        Accessible.name: text
        onTriggered: {
            if (root.muted)
                Moderation.unmute(CurrentRoom.roomId, root.user); // qmllint disable type
            else
                root.sanctionRequested("mute", root.user);
        }
    }
    MenuItem {
        objectName: "memberMenuRole"
        text: root.roomRole === "moderator" ? qsTr("Make member") : qsTr("Make moderator")
        visible: root.canSetRole
        height: visible ? implicitHeight : 0
        Accessible.name: text
        onTriggered: Moderation.setRole(CurrentRoom.roomId, root.user, // qmllint disable type
            root.roomRole === "moderator" ? "member" : "moderator")
    }
}
