// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// The composer's completions, shown above it while a word is being completed: `@` room
// members, `#` channels, `:` emoji (CompletionModel decides what and where). The editor
// keeps the focus; it hands its keys to handleKey() first: Tab or Enter picks, Up and
// Down move, Esc closes. With no list shown every key is the editor's (Enter sends).
Rectangle {
    id: root
    objectName: "completionPopup"

    required property TextArea editor
    readonly property bool shown: completions.count > 0 && root.editor.activeFocus
    property bool directoryAsked: false

    // Replaces the word being completed with \a row's completion.
    function pick(row: int) {
        const text = completions.replacementAt(row);
        if (text === "")
            return;
        const start = completions.replaceStart;
        root.editor.remove(start, completions.replaceEnd);
        root.editor.insert(start, text);
        root.editor.cursorPosition = start + text.length;
    }

    // True when the key was the list's.
    function handleKey(event: var): bool {
        if (!root.shown || (event.modifiers & (Qt.ControlModifier | Qt.AltModifier)))
            return false;
        switch (event.key) {
        case Qt.Key_Tab:
        case Qt.Key_Return:
        case Qt.Key_Enter:
            if (event.modifiers & Qt.ShiftModifier)
                return false;
            root.pick(list.currentIndex);
            break;
        case Qt.Key_Up:
            list.currentIndex = (list.currentIndex + list.count - 1) % list.count;
            break;
        case Qt.Key_Down:
            list.currentIndex = (list.currentIndex + 1) % list.count;
            break;
        case Qt.Key_Escape:
            completions.dismiss();
            break;
        default:
            return false;
        }
        event.accepted = true;
        return true;
    }

    function refresh() {
        // The directory is listed when a dialog opens; `#` may need it first.
        if (!root.directoryAsked && root.editor.text.indexOf("#") >= 0) {
            root.directoryAsked = true;
            RoomActions.refreshDirectory();
        }
        completions.update(root.editor.text, root.editor.cursorPosition);
    }

    visible: root.shown
    width: 320
    height: list.contentHeight + 8
    z: 10
    color: Theme.window
    radius: 8
    border.color: Theme.divider

    CompletionModel {
        id: completions
        members: Session.members
        rooms: Session.rooms
        directory: Session.directory
        onCountChanged: list.currentIndex = 0
    }
    Connections {
        target: root.editor
        function onTextChanged() { root.refresh(); }
        function onCursorPositionChanged() { root.refresh(); }
    }

    ListView {
        id: list
        objectName: "completionList"
        anchors.fill: parent
        anchors.margins: 4
        model: completions
        interactive: false
        highlightMoveDuration: 0
        Accessible.role: Accessible.List
        Accessible.name: completions.kind === CompletionModel.Member ? qsTr("Members")
                         : completions.kind === CompletionModel.Channel ? qsTr("Channels")
                         : qsTr("Emoji")

        delegate: ItemDelegate {
            id: row
            required property int index
            required property string label
            required property string detail
            width: list.width
            height: 32
            focusPolicy: Qt.NoFocus
            highlighted: ListView.isCurrentItem
            // A member with a display name shows it and their @username (§18.2).
            text: completions.kind === CompletionModel.Member
                  ? (row.detail === "" ? "@" + row.label : row.label + "  " + row.detail)
                  : completions.kind === CompletionModel.Channel ? "#" + row.label
                  : row.label + "  " + row.detail
            Accessible.role: Accessible.ListItem
            Accessible.name: row.detail === "" ? row.label
                             : completions.kind === CompletionModel.Member
                               ? row.label + ", " + row.detail : row.detail
            onClicked: root.pick(row.index)
        }
    }
}
