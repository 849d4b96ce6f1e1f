// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import Confab
import Confab.Client

// What the timeline asks before changing a message: which emoji to react with (the
// EmojiPicker) and whether to really delete (DeleteMessageDialog), each created on first
// use. Fills the timeline.
Item {
    id: root

    // The message a reaction is being picked for.
    property real reactSeq: 0
    function openReactionPicker(seq: real) {
        root.reactSeq = seq;
        reactionPicker.open();
    }
    LazyPopup {
        id: reactionPicker
        anchors.fill: parent
        source: Qt.resolvedUrl("EmojiPicker.qml")
    }
    Connections {
        target: reactionPicker.popup
        ignoreUnknownSignals: true
        function onPicked(key: string) {
            if (root.reactSeq > 0)
                MessageActions.toggleReaction(root.reactSeq, key);
            root.reactSeq = 0;
        }
    }

    function confirmDelete(seq: real) {
        const dialog = deleteDialog.create();
        if (!dialog)
            return;
        dialog.seq = seq;
        dialog.open();
    }
    LazyPopup {
        id: deleteDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("../dialogs/DeleteMessageDialog.qml")
    }
}
