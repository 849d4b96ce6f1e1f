// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// One timeline row. Everything it shows comes from TimelineModel's roles: whether the
// sender line, a day separator or the "new messages" line appear is the model's decision.
Item {
    id: root

    required property int index
    required property real seq
    required property string kind
    required property string sender
    required property string text
    required property string richText
    required property string timeText
    required property int delivery
    required property bool isOwn
    required property bool showSender
    required property string daySeparator
    required property bool isFirstUnread
    required property bool mentionsMe
    required property string txn
    required property string error
    required property string accessibleText
    required property real replyTo
    required property bool replyLoaded
    required property string replySender
    required property string replyText
    required property bool edited
    required property var editedAt
    required property bool redacted
    required property var reactions
    required property var attachments
    required property real uploadProgress
    // The timeline's keyboard is on this row (the view decides; the row only shows it).
    property bool keyboardFocused: false

    // Right-click: at position (in this row) over link (or ""). The view opens its menu
    // for the row; the row keeps nothing.
    signal contextMenuRequested(point position, string link)
    // The hover bar's React and Delete: the view opens its emoji picker or asks first.
    signal reactRequested(Item anchor)
    signal deleteRequested()
    // A thumbnail was clicked, or a file's Save: the view opens its viewer or save dialog.
    signal imageClicked(var attachment)
    signal saveClicked(var attachment)

    readonly property bool isMessage: root.kind === "message"
    readonly property bool failed: root.isOwn && root.delivery === TimelineModel.Failed
    readonly property bool sending: root.isOwn && root.delivery === TimelineModel.Sending
    readonly property bool uploading: root.isOwn && root.uploadProgress >= 0
    // Stored, not deleted, and the server takes changes: Reply, React (and Edit, Delete).
    readonly property bool actionable: root.isMessage && root.seq > 0 && !root.redacted
                                       && root.delivery === TimelineModel.Sent
                                       && MessageActions.available
    readonly property bool highlighted: root.seq > 0 && MessageActions.highlightSeq === root.seq

    implicitWidth: 400
    implicitHeight: column.implicitHeight
    // Above its neighbours while hovered: the action bar reaches into the row above.
    z: hover.hovered ? 2 : 0
    Accessible.role: Accessible.ListItem
    Accessible.name: root.accessibleText

    HoverHandler {
        id: hover
    }

    Column {
        id: column
        width: root.width

        // Day separator: a centred date on a rule.
        Item {
            objectName: "daySeparator"
            visible: root.daySeparator.length > 0
            width: parent.width
            height: visible ? 36 : 0
            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                x: 16
                width: parent.width - 32
                height: 1
                color: Theme.divider
            }
            Rectangle {
                anchors.centerIn: parent
                width: dayLabel.implicitWidth + 20
                height: dayLabel.implicitHeight + 6
                radius: height / 2
                color: Theme.window
                border.color: Theme.divider
                Label {
                    id: dayLabel
                    anchors.centerIn: parent
                    text: root.daySeparator
                    font.pixelSize: 12
                    font.bold: true
                    color: Theme.mutedText
                }
            }
        }

        // The "new messages" line above the first unread message.
        Item {
            objectName: "newMessagesLine"
            visible: root.isFirstUnread
            width: parent.width
            height: visible ? 22 : 0
            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                x: 16
                width: parent.width - 32 - newLabel.implicitWidth - 8
                height: 1
                color: Theme.newMessages
            }
            Label {
                id: newLabel
                anchors.right: parent.right
                anchors.rightMargin: 16
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("New messages")
                color: Theme.newMessages
                font.pixelSize: 12
                font.bold: true
            }
        }

        // Room events (joins, topic changes): one quiet line.
        Label {
            objectName: "eventLine"
            visible: !root.isMessage
            x: 16 + Theme.avatarSize + 12
            width: parent.width - x - 16
            topPadding: 3
            bottomPadding: 3
            // The model words room events ("ana joined"), like everything else it shows.
            text: root.richText
            textFormat: Text.StyledText
            color: Theme.mutedText
            font.italic: true
            wrapMode: Text.Wrap
        }

        // A message. Grouped rows keep 4 px above and below: apart, yet one group.
        Rectangle {
            id: bubble
            visible: root.isMessage
            width: parent.width
            height: visible ? Math.max(body.implicitHeight, root.showSender ? Theme.avatarSize : 0)
                              + (root.showSender ? 12 : 8) : 0
            color: root.highlighted ? Theme.sidebarSelected
                 : root.mentionsMe ? Theme.mentionBackground
                 : hover.hovered ? Theme.hover : "transparent"
            Behavior on color {
                ColorAnimation {
                    duration: 300
                }
            }

            Rectangle {
                visible: root.mentionsMe
                width: 3
                height: parent.height
                color: "#e0a800"
            }
            Avatar {
                visible: root.showSender
                x: 16
                y: 8
                name: root.sender
            }
            Label {
                // The time of a grouped message, shown where the avatar would be on hover.
                visible: !root.showSender && hover.hovered
                x: 8
                width: Theme.avatarSize + 16
                y: 6
                horizontalAlignment: Text.AlignRight
                text: root.timeText
                color: Theme.mutedText
                font.pixelSize: 11
            }

            ColumnLayout {
                id: body
                x: 16 + Theme.avatarSize + 12
                y: root.showSender ? 6 : 4
                width: parent.width - x - 20
                spacing: 2

                RowLayout {
                    visible: root.showSender
                    spacing: Theme.spacing
                    Label {
                        objectName: "senderLabel"
                        // The display name follows `profile` pushes (§18.2).
                        text: Profiles.revision, Profiles.displayName(root.sender)
                        font.bold: true
                        color: Theme.senderColor(root.sender)
                    }
                    Label {
                        text: root.timeText
                        color: Theme.mutedText
                        font.pixelSize: 12
                    }
                }
                ReplyQuote {
                    visible: root.replyTo > 0
                    Layout.maximumWidth: body.width
                    loaded: root.replyLoaded
                    sender: root.replySender
                    quote: root.replyText
                    onClicked: MessageActions.jumpTo(CurrentRoom.roomId, root.replyTo) // qmllint disable type
                }
                Label {
                    objectName: "tombstone"
                    visible: root.redacted
                    text: qsTr("Message deleted")
                    color: Theme.mutedText
                    font.italic: true
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                }
                // Read-only rich text: the mouse selects (Ctrl+C copies the selection) and
                // a click on a link still opens it. A plain TextEdit: a Controls TextArea
                // brings a styled control per row (placeholder, background, cursor) that
                // added ~90 ms to the first painted timeline. The font is the window's (the
                // size chosen in the settings, else the platform's), as the labels have.
                TextEdit {
                    id: messageText
                    objectName: "messageText"
                    // A message of files alone has no text line.
                    visible: !root.redacted && (root.text.length > 0 || root.attachments.length === 0)
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    activeFocusOnTab: false
                    // Qt 6.4's qmllint types Qt.application as QtQml's, which has no font.
                    font.pointSize: AppSettings.fontPointSize > 0 ? AppSettings.fontPointSize
                                                                  : Qt.application.font.pointSize // qmllint disable type
                    // Links in the theme's colour: rich text takes it from its style sheet.
                    text: Theme.linkStyle + root.richText
                    textFormat: TextEdit.RichText
                    wrapMode: TextEdit.Wrap
                    color: Theme.text
                    selectionColor: Theme.accent
                    selectedTextColor: Theme.dark ? "#10131a" : "#ffffff"
                    opacity: root.sending ? 0.55 : 1.0
                    Accessible.role: Accessible.StaticText
                    Accessible.name: root.text
                    // A mention links to the user (confab://user/<name>): nothing to open.
                    onLinkActivated: (link) => {
                        if (!link.startsWith("confab://user/"))
                            Qt.openUrlExternally(link);
                    }
                    HoverHandler {
                        cursorShape: messageText.hoveredLink.length > 0 ? Qt.PointingHandCursor : Qt.IBeamCursor
                    }
                }
                Label {
                    objectName: "editedLabel"
                    visible: root.edited
                    text: qsTr("(edited)")
                    color: Theme.mutedText
                    font.pixelSize: 11
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Edited")
                    HoverHandler {
                        id: editedHover
                    }
                    ToolTip.visible: editedHover.hovered
                    ToolTip.text: root.edited ? qsTr("Edited %1").arg(Qt.formatDateTime(root.editedAt))
                                              : ""
                }
                MessageAttachments {
                    visible: !root.redacted && root.attachments.length > 0
                    Layout.fillWidth: true
                    Layout.topMargin: 2
                    opacity: root.sending ? 0.7 : 1.0
                    attachments: root.attachments
                    onImageClicked: (attachment) => root.imageClicked(attachment)
                    onSaveClicked: (attachment) => root.saveClicked(attachment)
                }
                UploadProgress {
                    visible: root.uploading
                    progress: Math.max(0, root.uploadProgress)
                    onCancelClicked: MessageActions.cancelUpload(root.txn)
                }
                ReactionChips {
                    visible: root.reactions.length > 0
                    Layout.fillWidth: true
                    Layout.topMargin: 2
                    reactions: root.reactions
                    actionable: root.actionable
                    onToggled: (key) => MessageActions.toggleReaction(root.seq, key)
                }
                Label {
                    objectName: "sendingLabel"
                    visible: root.sending && !root.uploading
                    text: qsTr("Sending…")
                    color: Theme.mutedText
                    font.pixelSize: 12
                }
                RowLayout {
                    objectName: "failedRow"
                    visible: root.failed
                    spacing: 6
                    Label {
                        objectName: "failedLabel"
                        text: root.error.length > 0 ? qsTr("Failed: %1 —").arg(root.error) : qsTr("Failed —")
                        color: Theme.error
                        font.pixelSize: 12
                    }
                    LinkButton {
                        objectName: "retryButton"
                        text: qsTr("Retry")
                        font.pixelSize: 12
                        onClicked: MessageSender.retry(root.txn)
                    }
                    Label {
                        text: "/"
                        color: Theme.mutedText
                        font.pixelSize: 12
                        Accessible.ignored: true
                    }
                    LinkButton {
                        objectName: "discardButton"
                        text: qsTr("Discard")
                        font.pixelSize: 12
                        color: Theme.error
                        onClicked: MessageSender.discard(root.txn)
                    }
                }
            }

            // Only the right button: the left one selects text and opens links below.
            MouseArea {
                anchors.fill: parent
                acceptedButtons: Qt.RightButton
                onClicked: (mouse) => {
                    const onText = mapToItem(messageText, mouse.x, mouse.y);
                    root.contextMenuRequested(mapToItem(root, mouse.x, mouse.y),
                                              messageText.linkAt(onText.x, onText.y));
                }
            }

            MessageActionBar {
                id: actionBar
                visible: root.actionable && (hover.hovered || actionBar.hovered)
                readonly property bool hovered: barHover.hovered
                anchors.right: parent.right
                anchors.rightMargin: 16
                y: -height / 2 + 4
                z: 2
                own: root.isOwn
                HoverHandler {
                    id: barHover
                }
                onReplyClicked: MessageActions.startReply(root.seq)
                onReactClicked: root.reactRequested(actionBar)
                onEditClicked: MessageActions.startEdit(root.seq)
                onDeleteClicked: root.deleteRequested()
            }
        }
    }

    Rectangle {
        objectName: "messageFocusFrame"
        visible: root.keyboardFocused
        anchors.fill: parent
        anchors.leftMargin: 4
        anchors.rightMargin: 4
        radius: 4
        color: "transparent"
        border.width: 2
        border.color: Theme.accent
    }
}
