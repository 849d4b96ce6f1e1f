// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// What the timeline asks before changing a message: which emoji to react with (the
// EmojiPicker, created on first use) and whether to really delete. Fills the timeline.
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
        deleteDialog.seq = seq;
        deleteDialog.open();
    }
    Dialog {
        id: deleteDialog
        objectName: "deleteMessageDialog"
        property real seq: 0
        anchors.centerIn: parent
        modal: true
        title: qsTr("Delete message?")
        standardButtons: Dialog.Cancel | Dialog.Ok
        background: PopupBackground {}
        Label {
            width: 320
            text: qsTr("It is deleted for everyone in the room. This cannot be undone.")
            wrapMode: Text.Wrap
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Component.onCompleted: {
            const ok = deleteDialog.standardButton(Dialog.Ok);
            ok.text = qsTr("Delete");
            ok.objectName = "confirmDeleteButton";
        }
        onAccepted: MessageActions.redact(deleteDialog.seq)
    }
}
