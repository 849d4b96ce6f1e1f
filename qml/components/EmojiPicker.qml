// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// A small emoji picker: type part of a name ("thumbs"), arrows move through the grid,
// Enter picks, Esc closes. The recently used emoji come first. Open it through a
// LazyPopup: the table of 1,870 emoji is loaded on the first open, not with the page.
Popup {
    id: root
    objectName: "emojiPicker"

    // What the user picked (a reaction key, or text for the composer).
    signal picked(string key)

    readonly property int cellSize: 36
    readonly property int columns: 9
    readonly property EmojiCell currentCell: grid.currentItem as EmojiCell

    function pick(row: int) {
        const key = emojiModel.emojiAt(row);
        if (key === "")
            return;
        emojiModel.noteUsed(key);
        root.close();
        root.picked(key);
    }

    // Moves the grid's current cell by \a step, staying inside the grid.
    function move(step: int) {
        if (grid.count === 0)
            return;
        grid.currentIndex = Math.max(0, Math.min(grid.count - 1, grid.currentIndex + step));
        grid.positionViewAtIndex(grid.currentIndex, GridView.Contain);
    }

    // At the right end of what it fills: above it when it is small (the composer), at its
    // bottom when the picker fits inside (the timeline).
    x: parent ? parent.width - width - 8 : 0
    y: parent && parent.height > height + 16 ? parent.height - height - 8 : -height - 4
    margins: 8 // kept inside the window
    focus: true
    padding: 8
    width: root.columns * root.cellSize + leftPadding + rightPadding + 12
    height: 380
    background: PopupBackground {}

    onAboutToShow: {
        field.clear();
        grid.currentIndex = 0;
        grid.positionViewAtBeginning();
    }
    onOpened: field.forceActiveFocus()

    EmojiModel {
        id: emojiModel
        filter: field.text
        onFilterChanged: grid.currentIndex = 0
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        TextField {
            id: field
            objectName: "emojiSearchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search emoji")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Search emoji by name")
            // Up and Down move by a row; Left and Right stay with the text until it is empty.
            Keys.onUpPressed: root.move(-root.columns)
            Keys.onDownPressed: root.move(root.columns)
            Keys.onLeftPressed: (event) => {
                if (field.text.length > 0) {
                    event.accepted = false;
                    return;
                }
                root.move(-1);
            }
            Keys.onRightPressed: (event) => {
                if (field.text.length > 0) {
                    event.accepted = false;
                    return;
                }
                root.move(1);
            }
            Keys.onReturnPressed: root.pick(grid.currentIndex)
            Keys.onEnterPressed: root.pick(grid.currentIndex)
            Keys.onEscapePressed: root.close()
        }

        // One button per group: jumps the grid to it.
        Row {
            Layout.fillWidth: true
            visible: field.text.length === 0
            spacing: 0

            Repeater {
                model: emojiModel.groups
                delegate: ToolButton {
                    id: groupButton
                    required property int index
                    required property string modelData
                    width: Math.floor((root.availableWidth) / Math.max(1, emojiModel.groups.length))
                    focusPolicy: Qt.NoFocus
                    text: emojiModel.emojiAt(emojiModel.firstRowOfGroup(groupButton.index))
                    font.family: Theme.emojiFontFamily
                    font.pixelSize: 16
                    Accessible.role: Accessible.Button
                    Accessible.name: groupButton.modelData
                    ToolTip.text: groupButton.modelData
                    ToolTip.visible: hovered
                    onClicked: {
                        grid.currentIndex = emojiModel.firstRowOfGroup(groupButton.index);
                        grid.positionViewAtIndex(grid.currentIndex, GridView.Beginning);
                    }
                }
            }
        }

        Label {
            objectName: "emojiSectionLabel"
            Layout.fillWidth: true
            // The part of the grid the current cell is in.
            text: !root.currentCell ? ""
                  : root.currentCell.recent ? qsTr("Recently used")
                  : root.currentCell.groupName
            color: Theme.mutedText
            font.pixelSize: 12
            elide: Text.ElideRight
        }

        GridView {
            id: grid
            objectName: "emojiGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: emojiModel
            cellWidth: root.cellSize
            cellHeight: root.cellSize
            highlightMoveDuration: 0
            keyNavigationEnabled: true
            boundsBehavior: Flickable.StopAtBounds
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Emoji")
            ScrollBar.vertical: ScrollBar {}
            Keys.onReturnPressed: root.pick(grid.currentIndex)
            Keys.onEnterPressed: root.pick(grid.currentIndex)
            Keys.onEscapePressed: root.close()

            // The cell draws itself as current: Qt 6.4's views give an inline highlight a
            // context of its own, which this bound file refuses (see RoomSidebar.qml).
            delegate: EmojiCell {
                size: root.cellSize
                current: GridView.isCurrentItem
                onClicked: (row) => root.pick(row)
            }
        }

        Label {
            Layout.fillWidth: true
            visible: grid.count === 0
            text: qsTr("No emoji is called “%1”.").arg(field.text)
            color: Theme.mutedText
            elide: Text.ElideRight
        }
        Label {
            objectName: "emojiName"
            Layout.fillWidth: true
            visible: grid.count > 0
            text: root.currentCell ? root.currentCell.name : ""
            color: Theme.text
            elide: Text.ElideRight
        }
    }
}
