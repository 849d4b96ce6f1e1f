// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Who is in the current room, online first (the model's order).
Rectangle {
    id: root

    color: Theme.sidebar

    Rectangle {
        width: 1
        height: parent.height
        color: Theme.divider
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.leftMargin: 1
        spacing: 0

        Label {
            Layout.fillWidth: true
            leftPadding: 14
            topPadding: 14
            bottomPadding: 6
            text: qsTr("Members · %1 online").arg(Session.members.onlineCount)
            font.bold: true
            color: Theme.text
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        ListView {
            id: list
            objectName: "memberList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Session.members
            boundsBehavior: Flickable.StopAtBounds
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Members")
            // One Tab stop: Up/Down (Home/End) move from member to member; Enter, Space or the
            // Menu key (or Shift+F10) opens the member menu where the user may act on them.
            activeFocusOnTab: true
            keyNavigationEnabled: true
            currentIndex: -1
            onActiveFocusChanged: {
                if (list.activeFocus && list.currentIndex < 0 && list.count > 0)
                    list.currentIndex = 0;
            }
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_Home || event.key === Qt.Key_End) {
                    list.currentIndex = event.key === Qt.Key_Home ? 0 : list.count - 1;
                    list.positionViewAtIndex(list.currentIndex, ListView.Contain);
                } else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter
                           || event.key === Qt.Key_Space || event.key === Qt.Key_Menu
                           || (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier))) {
                    const member = list.currentItem as MemberDelegate;
                    if (member && member.hasActions)
                        root.openMenu(member);
                } else {
                    return;
                }
                event.accepted = true;
            }
            delegate: MemberDelegate {
                id: member
                width: list.width
                keyboardFocused: list.activeFocus && member.ListView.isCurrentItem
                onMenuRequested: (delegate) => root.openMenu(delegate)
            }
            ScrollBar.vertical: ScrollBar {}
        }
    }

    function openMenu(member: MemberDelegate) {
        memberMenu.user = member.user;
        memberMenu.roomRole = member.roomRole;
        memberMenu.muted = member.muted;
        memberMenu.canModerate = member.canModerate;
        memberMenu.canSetRole = member.canSetRole;
        memberMenu.popup(member, 24, member.height);
    }

    MemberMenu {
        id: memberMenu
        onSanctionRequested: (action, user) => {
            const dialog = sanctionDialog.create();
            if (!dialog)
                return;
            dialog.action = action;
            dialog.user = user;
            dialog.open();
        }
    }
    LazyPopup {
        id: sanctionDialog
        // The whole window: the dialog centres in the overlay, not in this column.
        parent: Overlay.overlay
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/SanctionDialog.qml")
    }
}
