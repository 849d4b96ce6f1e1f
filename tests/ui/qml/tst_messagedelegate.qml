// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtTest
import Confab
import Confab.Client

// A timeline row shows what its roles say: sender line, day separator, "new messages",
// delivery state of own messages, room events; and names itself for screen readers.
Item {
    id: root
    width: 700
    height: 400

    Component {
        id: delegateComponent
        MessageDelegate {
            width: root.width
            index: 0
            seq: 12
            kind: "message"
            sender: "ana"
            text: "hello <world>"
            richText: "hello &lt;world&gt;"
            timeText: "14:05"
            delivery: TimelineModel.Sent
            isOwn: false
            showSender: true
            daySeparator: ""
            isFirstUnread: false
            mentionsMe: false
            txn: ""
            error: ""
            accessibleText: "ana at 14:05: hello <world>"
            replyTo: 0
            replyLoaded: false
            replySender: ""
            replyText: ""
            edited: false
            editedAt: new Date(0)
            redacted: false
            reactions: []
            attachments: []
            uploadProgress: -1
        }
    }

    TestCase {
        name: "MessageDelegate"
        when: windowShown

        function make(properties: var): Item {
            const row = createTemporaryObject(delegateComponent, root, properties);
            verify(row);
            return row;
        }

        function shown(row: Item, name: string): bool {
            const item = findChild(row, name);
            verify(item, name);
            return item.visible;
        }

        function test_deletedMessageIsATombstone() {
            const row = make({ redacted: true, text: "", richText: "" });
            verify(shown(row, "tombstone"));
            compare(findChild(row, "tombstone").text, "Message deleted");
            verify(!shown(row, "messageText"));
            verify(!shown(row, "editedLabel"));
        }

        function test_editedReplyWithReactions() {
            const row = make({ edited: true, editedAt: new Date(), replyTo: 4, replyLoaded: true,
                               replySender: "bob", replyText: "lunch?",
                               reactions: [{ key: "👍", count: 3, users: ["me", "bob"], mine: true },
                                           { key: "🎉", count: 1, users: ["cy"], mine: false }] });
            verify(shown(row, "editedLabel"));
            compare(findChild(row, "editedLabel").text, "(edited)");
            const quote = findChild(row, "replyQuote");
            verify(quote.visible);
            verify(quote.Accessible.name.indexOf("bob") >= 0);
            verify(shown(row, "reactionChips"));
            const chips = findChild(row, "reactionChips");
            // Two chips and the Repeater.
            compare(chips.children.length, 3);
            verify(chips.children[0].Accessible.name.indexOf("You reacted") >= 0);
            verify(chips.children[0].Accessible.name.indexOf("and 1 more") >= 0);
        }

        function test_notLoadedQuoteSaysSo() {
            const row = make({ replyTo: 4, replyLoaded: false });
            const quote = findChild(row, "replyQuote");
            verify(quote.visible);
            compare(quote.Accessible.name, "Reply to an earlier message. Show it");
        }

        function test_firstOfGroup() {
            const row = make({});
            verify(shown(row, "senderLabel"));
            compare(findChild(row, "senderLabel").text, "ana");
            // Shown as rich text (selectable), reading as the message was written.
            const text = findChild(row, "messageText");
            compare(text.getText(0, text.length), "hello <world>");
            compare(text.textFormat, TextEdit.RichText);
            verify(text.readOnly);
            verify(text.selectByMouse);
            verify(!shown(row, "daySeparator"));
            verify(!shown(row, "newMessagesLine"));
            verify(!shown(row, "eventLine"));
            verify(!shown(row, "sendingLabel"));
            verify(!shown(row, "failedRow"));
            compare(row.Accessible.role, Accessible.ListItem);
            compare(row.Accessible.name, "ana at 14:05: hello <world>");
        }

        function test_groupedRowIsShorter() {
            const first = make({});
            const grouped = make({ showSender: false });
            verify(!shown(grouped, "senderLabel"));
            verify(grouped.implicitHeight < first.implicitHeight,
                   grouped.implicitHeight + " < " + first.implicitHeight);
        }

        function test_daySeparatorAndNewMessages() {
            const row = make({ daySeparator: "Today", isFirstUnread: true });
            verify(shown(row, "daySeparator"));
            verify(shown(row, "newMessagesLine"));
            const plain = make({});
            verify(row.implicitHeight > plain.implicitHeight + 40);
        }

        function test_sending() {
            const row = make({ isOwn: true, delivery: TimelineModel.Sending, txn: "d:1", seq: 0 });
            verify(shown(row, "sendingLabel"));
            compare(findChild(row, "sendingLabel").text, "Sending…");
            verify(!shown(row, "failedRow"));
        }

        function test_failedOffersRetryAndDiscard() {
            const row = make({ isOwn: true, delivery: TimelineModel.Failed, txn: "d:2", seq: 0,
                               error: "The message is too long." });
            verify(shown(row, "failedRow"));
            verify(!shown(row, "sendingLabel"));
            verify(findChild(row, "failedLabel").text.indexOf("too long") >= 0);
            const retry = findChild(row, "retryButton");
            const discard = findChild(row, "discardButton");
            compare(retry.text, "Retry");
            compare(discard.text, "Discard");
            compare(retry.Accessible.role, Accessible.Button);
            compare(discard.Accessible.role, Accessible.Button);
        }

        function test_othersFailedStateIsNotShown() {
            // Only one's own messages have a delivery state worth showing.
            const row = make({ isOwn: false, delivery: TimelineModel.Failed });
            verify(!shown(row, "failedRow"));
        }

        function test_roomEvents_data() {
            return [
                { tag: "join", kind: "join" },
                { tag: "leave", kind: "leave" },
                { tag: "create", kind: "create" },
                { tag: "topic", kind: "topic" },
            ];
        }

        function test_roomEvents(data) {
            // The wording comes from the model (richText); the row shows it as a quiet line.
            const row = make({ kind: data.kind, text: "", richText: "ana did &lt;" + data.kind + "&gt;" });
            verify(shown(row, "eventLine"));
            compare(findChild(row, "eventLine").text, "ana did &lt;" + data.kind + "&gt;");
            compare(findChild(row, "eventLine").textFormat, Text.StyledText);
            verify(!findChild(row, "messageText").parent.visible || !findChild(row, "messageText").visible);
            verify(!shown(row, "senderLabel") || !findChild(row, "senderLabel").parent.parent.visible);
        }

        // The thumbnail's box has its final size from the file object, before any pixel has
        // loaded (the source here never loads): the timeline does not jump when it does.
        function test_imageReservesItsAspectBeforeLoading() {
            const image = { fileId: 7, name: "cat.jpg", size: 600000, sizeText: "600 KB",
                            type: "image/jpeg", isImage: true, width: 1350, height: 900,
                            thumbWidth: 400, thumbHeight: 267,
                            thumbnailSource: "image://nowhere/7/thumb",
                            imageSource: "image://nowhere/7/full", downloadProgress: -1,
                            savedPath: "" };
            const row = make({ text: "our cat", richText: "our cat", attachments: [image] });
            const plain = make({});
            const thumb = findChild(row, "imageAttachment");
            verify(thumb && thumb.visible);
            compare(thumb.width, 400);
            compare(thumb.height, 267);
            verify(findChild(thumb, "thumbnailImage").status !== Image.Ready);
            // Once laid out (positioners and layouts settle at the next polish).
            tryVerify(() => row.implicitHeight >= plain.implicitHeight + 267, 1000,
                      row.implicitHeight + " >= " + plain.implicitHeight + " + 267");
            verify(findChild(thumb, "thumbnailImage").status !== Image.Ready);
            // A narrow column scales it down, aspect kept.
            row.width = 300;
            tryVerify(() => thumb.width < 300);
            fuzzyCompare(thumb.height / thumb.width, 267 / 400, 0.01);
            verify(!shown(row, "fileCard"));
            // A caption-less image has no empty text line.
            const alone = make({ text: "", richText: "", attachments: [image] });
            verify(!shown(alone, "messageText"));
        }

        function test_fileCardOffersSave() {
            const file = { fileId: 9, name: "report.pdf", size: 1200, sizeText: "1.2 KB",
                           type: "application/pdf", isImage: false, width: 0, height: 0,
                           thumbWidth: 0, thumbHeight: 0, thumbnailSource: "", imageSource: "",
                           downloadProgress: -1, savedPath: "" };
            const row = make({ attachments: [file] });
            verify(shown(row, "fileCard"));
            verify(!shown(row, "imageAttachment"));
            compare(findChild(row, "fileName").text, "report.pdf");
            compare(findChild(row, "fileSize").text, "1.2 KB");
            const save = findChild(row, "saveFileButton");
            verify(save.visible);
            compare(save.Accessible.name, "Save report.pdf");
            verify(!shown(row, "saveProgress"));
            let asked = null;
            row.saveClicked.connect((attachment) => { asked = attachment; });
            mouseClick(save);
            verify(asked !== null);
            compare(asked.fileId, 9);
            // While it downloads: the bar and a way to stop instead of Save.
            const saving = make({ attachments: [Object.assign({}, file, { downloadProgress: 0.4 })] });
            verify(shown(saving, "saveProgress"));
            fuzzyCompare(findChild(saving, "saveProgress").value, 0.4, 0.001);
            verify(!shown(saving, "saveFileButton"));
            verify(shown(saving, "cancelSaveButton"));
        }

        function test_uploadShowsProgressAndCancel() {
            const row = make({ isOwn: true, delivery: TimelineModel.Sending, txn: "d:3", seq: 0,
                               uploadProgress: 0.25 });
            verify(shown(row, "uploadProgress"));
            fuzzyCompare(findChild(row, "uploadProgressBar").value, 0.25, 0.001);
            compare(findChild(row, "cancelUploadButton").Accessible.name, "Cancel");
            verify(!shown(row, "sendingLabel"));
            const done = make({ isOwn: true, delivery: TimelineModel.Sending, txn: "d:4", seq: 0 });
            verify(!shown(done, "uploadProgress"));
        }

        function test_mentionIsHighlighted() {
            const row = make({ mentionsMe: true });
            const plain = make({});
            verify(row.mentionsMe);
            const text = findChild(row, "messageText");
            const plainText = findChild(plain, "messageText");
            verify(text.parent.parent.color !== plainText.parent.parent.color);
        }
    }
}
