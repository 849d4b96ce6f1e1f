// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Where the user writes. Enter sends, Shift+Enter starts a new line. The byte limit is
// the server's (MessageSender.maxTextBytes), measured the server's way (MessageSender.utf8Length).
// Files for the message (attach button, Ctrl+V of an image or files, a drop on the room)
// wait in a strip above the text, which becomes their caption.
Rectangle {
    id: root

    property string placeholderText: qsTr("Write a message")
    property alias text: input.text
    property alias input: input
    property string typingText: CurrentRoom.typingText

    readonly property int bytes: MessageSender.utf8Length(input.text)
    readonly property int maxBytes: MessageSender.maxTextBytes
    readonly property int remaining: root.maxBytes - root.bytes
    // Shown from 90 % of the limit on, so it appears before it matters, not on every message.
    readonly property bool nearLimit: root.maxBytes > 0 && root.bytes >= root.maxBytes * 0.9
    readonly property bool overLimit: root.maxBytes > 0 && root.remaining < 0
    // Files go with a new message, not with an edit.
    readonly property bool hasFiles: PendingAttachments.count > 0 && MessageActions.editing === 0
    readonly property bool canSend: root.enabled && !root.overLimit
                                    && (input.text.trim().length > 0 || root.hasFiles)

    // The page forwards it to CurrentRoom.sendMessage; keeping the call out of here lets the
    // composer be tested on its own.
    signal sendRequested(string text)
    // Alt+Up/Down (and Ctrl+Tab) while typing: the text field claims those keys before
    // window shortcuts see them, so it passes them on.
    signal roomStepRequested(int step)

    function send() {
        if (!root.canSend)
            return;
        const message = input.text;
        if (MessageActions.editing > 0) {
            // Ending the edit puts back what was being written (onEditingChanged).
            MessageActions.submitEdit(message);
            return;
        }
        input.clear();
        root.sendRequested(message);
    }

    // What was being written when an edit started: it comes back when the edit ends.
    property string stashedText: ""
    function endEdit() {
        MessageActions.cancelEdit();
    }
    Connections {
        target: MessageActions
        function onEditingChanged() {
            if (MessageActions.editing > 0) {
                root.stashedText = input.text;
                input.text = MessageActions.editText;
                input.cursorPosition = input.length;
                root.focusInput();
            } else if (root.stashedText.length > 0 || input.text.length > 0) {
                input.text = root.stashedText;
                root.stashedText = "";
            }
        }
        function onReplyChanged() {
            if (MessageActions.replyTo > 0)
                root.focusInput();
        }
    }

    function focusInput() {
        input.forceActiveFocus();
    }

    implicitHeight: column.implicitHeight + 16
    color: Theme.window

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        anchors.bottomMargin: 4
        spacing: 2

        PendingAttachmentsStrip {
            Layout.fillWidth: true
            Layout.topMargin: 4
            visible: root.hasFiles
        }

        // "Replying to ana: …" or "Editing message", with a way out.
        RowLayout {
            objectName: "composerContextBar"
            visible: MessageActions.replyTo > 0 || MessageActions.editing > 0
            Layout.fillWidth: true
            spacing: 6
            Rectangle {
                Layout.preferredWidth: 3
                Layout.fillHeight: true
                color: Theme.accent
            }
            Label {
                id: contextLabel
                objectName: "composerContextLabel"
                Layout.fillWidth: true
                text: MessageActions.editing > 0
                      ? qsTr("Editing message (Enter saves, Esc cancels)")
                      : qsTr("Replying to %1: %2").arg(MessageActions.replySender)
                                                 .arg(MessageActions.replyText)
                textFormat: Text.PlainText
                elide: Text.ElideRight
                color: Theme.mutedText
                font.pixelSize: 12
                Accessible.role: Accessible.StaticText
                Accessible.name: contextLabel.text
            }
            ToolButton {
                objectName: "cancelContextButton"
                focusPolicy: Qt.NoFocus
                text: "×"
                implicitHeight: 26
                implicitWidth: 26
                Accessible.role: Accessible.Button
                Accessible.name: MessageActions.editing > 0 ? qsTr("Cancel editing")
                                                            : qsTr("Cancel reply")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: {
                    if (MessageActions.editing > 0)
                        root.endEdit();
                    else
                        MessageActions.cancelReply();
                }
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: inputRow.implicitHeight + 4
            radius: 8
            color: "transparent"
            border.width: input.activeFocus ? 2 : 1
            border.color: root.overLimit ? Theme.error : input.activeFocus ? Theme.accent : Theme.divider

            RowLayout {
                id: inputRow
                anchors.fill: parent
                anchors.margins: 2
                spacing: 0

                ScrollView {
                    Layout.fillWidth: true
                    Layout.maximumHeight: 180
                    implicitHeight: input.implicitHeight

                    TextArea {
                        id: input
                        objectName: "composerInput"
                        wrapMode: TextArea.Wrap
                        placeholderText: root.placeholderText
                        textFormat: TextArea.PlainText
                        background: null
                        topPadding: 10
                        bottomPadding: 10
                        leftPadding: 10
                        Accessible.role: Accessible.EditableText
                        Accessible.name: root.placeholderText
                        // An edit's text is neither the room's draft nor typing: the
                        // draft is stashed while editing and comes back after.
                        onTextChanged: {
                            if (MessageActions.editing === 0)
                                CurrentRoom.composerTextChanged(input.text);
                        }
                        Keys.onPressed: (event) => {
                            if (completion.handleKey(event))
                                return;
                            // An image or files on the clipboard become files of the
                            // message; anything else is pasted as text, as always.
                            if (event.matches(StandardKey.Paste) && MessageActions.editing === 0
                                    && PendingAttachments.available
                                    && PendingAttachments.addClipboard()) {
                                event.accepted = true;
                                return;
                            }
                            // Tab moves on through the page and Ctrl+Tab to another room, as
                            // everywhere else: a message has no use for a tab character.
                            if (event.key === Qt.Key_Tab || event.key === Qt.Key_Backtab) {
                                event.accepted = true;
                                const back = event.key === Qt.Key_Backtab
                                             || (event.modifiers & Qt.ShiftModifier);
                                if (event.modifiers & Qt.ControlModifier) {
                                    root.roomStepRequested(back ? -1 : 1);
                                } else {
                                    const next = input.nextItemInFocusChain(!back);
                                    if (next)
                                        next.forceActiveFocus(back ? Qt.BacktabFocusReason
                                                                   : Qt.TabFocusReason);
                                }
                                return;
                            }
                            if ((event.modifiers & Qt.AltModifier)
                                    && (event.key === Qt.Key_Up || event.key === Qt.Key_Down)) {
                                event.accepted = true;
                                root.roomStepRequested(event.key === Qt.Key_Up ? -1 : 1);
                                return;
                            }
                            // Up in an empty composer edits the last own message; Esc ends
                            // an edit or a reply.
                            if (event.key === Qt.Key_Up && event.modifiers === Qt.NoModifier
                                    && input.text.length === 0 && MessageActions.available) {
                                if (MessageActions.editLast())
                                    event.accepted = true;
                                return;
                            }
                            if (event.key === Qt.Key_Escape
                                    && (MessageActions.editing > 0 || MessageActions.replyTo > 0)) {
                                event.accepted = true;
                                if (MessageActions.editing > 0)
                                    root.endEdit();
                                else
                                    MessageActions.cancelReply();
                                return;
                            }
                            if (event.key !== Qt.Key_Return && event.key !== Qt.Key_Enter)
                                return;
                            event.accepted = true;
                            if (event.modifiers & Qt.ShiftModifier) {
                                // An explicit "\n": the default would insert U+2028.
                                input.remove(input.selectionStart, input.selectionEnd);
                                input.insert(input.cursorPosition, "\n");
                            } else {
                                root.send();
                            }
                        }
                    }
                }
                ToolButton {
                    id: attachButton
                    objectName: "attachButton"
                    Layout.alignment: Qt.AlignBottom
                    visible: PendingAttachments.available
                    enabled: MessageActions.editing === 0
                    focusPolicy: Qt.NoFocus
                    icon.source: "qrc:/Confab/icons/attach.svg"
                    icon.color: Theme.mutedText
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Attach files")
                    ToolTip.text: qsTr("Attach files (or paste or drop them)")
                    ToolTip.visible: hovered
                    onClicked: attachDialog.open()
                }
                ToolButton {
                    id: emojiButton
                    objectName: "emojiButton"
                    Layout.alignment: Qt.AlignBottom
                    focusPolicy: Qt.NoFocus
                    text: "🙂"
                    font.pixelSize: 18
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Insert emoji")
                    ToolTip.text: qsTr("Insert emoji")
                    ToolTip.visible: hovered
                    onClicked: emojiPicker.open()
                }
                ToolButton {
                    id: sendButton
                    objectName: "sendButton"
                    Layout.alignment: Qt.AlignBottom
                    enabled: root.canSend
                    icon.source: "qrc:/Confab/icons/send.svg"
                    icon.color: enabled ? Theme.accent : Theme.mutedText
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Send")
                    ToolTip.text: qsTr("Send (Enter)")
                    ToolTip.visible: hovered
                    onClicked: root.send()
                    FocusRing {
                        shown: sendButton.visualFocus
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.max(typingLabel.implicitHeight, limitLabel.implicitHeight)
            spacing: Theme.spacing

            Label {
                id: typingLabel
                objectName: "typingLabel"
                Layout.fillWidth: true
                text: root.typingText
                color: Theme.mutedText
                font.pixelSize: 12
                font.italic: true
                elide: Text.ElideRight
                Accessible.role: Accessible.StaticText
                Accessible.name: root.typingText
            }
            Label {
                id: limitLabel
                objectName: "limitLabel"
                visible: root.nearLimit
                text: root.overLimit ? qsTr("%n byte(s) over the limit", "", -root.remaining)
                                     : qsTr("%n byte(s) left", "", root.remaining)
                color: root.overLimit ? Theme.error : Theme.mutedText
                font.pixelSize: 12
                Accessible.role: Accessible.StaticText
                Accessible.name: limitLabel.text
            }
        }
    }

    // @ members, # channels, : emoji, above the text.
    CompletionPopup {
        id: completion
        editor: input
        x: 16
        y: -height - 2
        width: Math.min(360, root.width - 32)
    }

    // Created on the first use: the start does not load QtQuick.Dialogs.
    LazyPopup {
        id: attachDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("AttachFileDialog.qml")
    }

    // Created on the first open (EmojiPicker.qml loads the emoji table).
    LazyPopup {
        id: emojiPicker
        anchors.fill: parent
        source: Qt.resolvedUrl("EmojiPicker.qml")
    }
    Connections {
        target: emojiPicker.popup
        ignoreUnknownSignals: true
        function onPicked(key: string) {
            input.remove(input.selectionStart, input.selectionEnd);
            input.insert(input.cursorPosition, key);
            root.focusInput();
        }
    }
}
