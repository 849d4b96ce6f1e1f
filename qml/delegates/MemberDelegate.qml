// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// A room member with an online dot, a role badge and a muted mark. Clicking a member the
// user may act on asks for the member menu.
ItemDelegate {
    id: root

    required property string user
    required property bool online
    required property bool isSelf
    required property string accessibleText
    required property string roomRole
    required property bool muted
    required property bool canModerate
    required property bool canSetRole
    required property string displayName
    required property string status

    readonly property bool hasActions: root.canModerate || root.canSetRole
    // The member list has the keyboard and it is on this row.
    property bool keyboardFocused: false

    signal menuRequested(var delegate)

    objectName: "member_" + root.user
    onClicked: if (root.hasActions) root.menuRequested(root)
    onPressAndHold: if (root.hasActions) root.menuRequested(root)

    leftPadding: 12
    topPadding: 4
    bottomPadding: 4
    focusPolicy: Qt.NoFocus
    hoverEnabled: root.hasActions
    Accessible.role: root.hasActions ? Accessible.Button : Accessible.ListItem
    Accessible.name: root.accessibleText
    background: null

    contentItem: RowLayout {
        spacing: 10
        Item {
            implicitWidth: 28
            implicitHeight: 28
            Avatar {
                name: root.user
                size: 28
                opacity: root.online ? 1 : 0.6
            }
            Rectangle {
                objectName: "onlineDot"
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: -2
                width: 12
                height: 12
                radius: 6
                color: root.online ? Theme.online : Theme.offline
                border.width: 2
                border.color: Theme.sidebar
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "memberName"
                Layout.fillWidth: true
                text: root.isSelf ? qsTr("%1 (you)").arg(root.displayName) : root.displayName
                elide: Text.ElideRight
                color: root.online ? Theme.text : Theme.mutedText
            }
            Label {
                objectName: "memberStatus"
                Layout.fillWidth: true
                visible: root.status.length > 0
                text: root.status
                elide: Text.ElideRight
                font.pixelSize: 11
                color: Theme.mutedText
                Accessible.ignored: true
            }
        }
        Label {
            objectName: "mutedMark"
            visible: root.muted
            text: qsTr("muted")
            font.pixelSize: 11
            font.italic: true
            color: Theme.mutedText
            Accessible.ignored: true
        }
        Badge {
            objectName: "roleBadge"
            Layout.rightMargin: 8
            visible: root.roomRole === "owner" || root.roomRole === "moderator"
            text: root.roomRole === "owner" ? qsTr("owner") : qsTr("mod")
            color: root.roomRole === "owner" ? Theme.accent : Theme.mutedText
        }
    }
    FocusRing {
        anchors.margins: 2
        shown: root.keyboardFocused
    }
    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: if (root.hasActions) root.menuRequested(root)
    }
}
