// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Ctrl+K: type part of a room's name, arrows to move, Enter to go, Esc to close.
Popup {
    id: root
    objectName: "roomSwitcher"

    function choose(row: int) {
        const roomId = filter.roomIdAt(row);
        if (roomId === 0)
            return;
        root.close();
        CurrentRoom.select(roomId);
    }

    modal: true
    background: PopupBackground {}
    focus: true
    x: ((parent ? parent.width : 0) - width) / 2
    y: 80
    width: Math.min(480, (parent ? parent.width : 480) - 48)
    height: Math.min(column.implicitHeight + topPadding + bottomPadding,
                     (parent ? parent.height : 400) - 120)
    padding: 10

    onAboutToShow: {
        field.clear();
        list.currentIndex = 0;
    }
    onOpened: field.forceActiveFocus()

    RoomFilterModel {
        id: filter
        sourceModel: Session.rooms
        query: field.text
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: 6

        TextField {
            id: field
            objectName: "switcherField"
            Layout.fillWidth: true
            placeholderText: qsTr("Jump to a room")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Room name")
            onTextChanged: list.currentIndex = 0
            Keys.onUpPressed: list.decrementCurrentIndex()
            Keys.onDownPressed: list.incrementCurrentIndex()
            Keys.onReturnPressed: root.choose(list.currentIndex)
            Keys.onEnterPressed: root.choose(list.currentIndex)
            Keys.onEscapePressed: root.close()
        }
        ListView {
            id: list
            objectName: "switcherList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            implicitHeight: Math.min(contentHeight, 360)
            clip: true
            model: filter
            highlightMoveDuration: 0
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Matching rooms")

            delegate: RoomDelegate {
                id: switcherDelegate
                required property int index
                width: list.width
                current: ListView.isCurrentItem
                onClicked: root.choose(switcherDelegate.index)
            }
        }
        Label {
            Layout.fillWidth: true
            visible: list.count === 0
            padding: 8
            text: qsTr("No room matches “%1”.").arg(field.text)
            color: Theme.mutedText
            elide: Text.ElideRight
        }
    }
}
