// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// Every channel on the server, freshly listed each time the dialog opens, and kept current
// while open (RoomActions: by the server's pushes, or by listing again where it has none).
Dialog {
    id: root
    objectName: "joinRoomDialog"

    title: qsTr("Browse channels")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(520, Overlay.overlay ? Overlay.overlay.width - 48 : 520)
    height: Math.min(560, Overlay.overlay ? Overlay.overlay.height - 48 : 560)
    standardButtons: Dialog.Close

    onAboutToShow: RoomActions.setDirectoryOpen(true)
    onClosed: RoomActions.setDirectoryOpen(false)
    onOpened: list.forceActiveFocus()

    ListView {
        id: list
        objectName: "directoryList"
        anchors.fill: parent
        clip: true
        model: Session.directory
        keyNavigationEnabled: true
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Channels")

        delegate: DirectoryDelegate {
            width: list.width
            highlighted: ListView.isCurrentItem
            onJoinRequested: (roomId) => {
                RoomActions.joinRoom(roomId);
                root.close();
            }
            onOpenRequested: (roomId) => {
                CurrentRoom.select(roomId);
                root.close();
            }
        }

        Label {
            anchors.centerIn: parent
            width: parent.width - 32
            visible: list.count === 0
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: qsTr("No channels yet. Create the first one with “Create a room”.")
            color: Theme.mutedText
        }
        ScrollBar.vertical: ScrollBar {}
    }
}
