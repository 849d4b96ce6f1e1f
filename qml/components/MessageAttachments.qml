// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import Confab

// A message's files below its text, in the order sent: images as thumbnails (the server
// made one, protocol §16.5), everything else as a card with a Save button.
Column {
    id: root
    objectName: "messageAttachments"

    // TimelineModel's attachments role.
    property var attachments: []

    signal imageClicked(var attachment)
    signal saveClicked(var attachment)

    spacing: 6

    // By count, not by the list: the list is new whenever a download moves on, and a
    // Repeater given a new list would rebuild each thumbnail (and reload it).
    Repeater {
        model: root.attachments.length
        delegate: Item {
            id: entry

            required property int index
            readonly property var attachment: root.attachments[entry.index] ?? ({})
            readonly property bool asImage: entry.attachment.isImage === true
                                            && entry.attachment.thumbWidth > 0
                                            && entry.attachment.thumbHeight > 0

            width: root.width
            height: entry.asImage ? image.height : card.height

            ImageAttachment {
                id: image
                visible: entry.asImage
                attachment: entry.asImage ? entry.attachment : ({})
                maxWidth: Math.min(400, root.width)
                onClicked: root.imageClicked(entry.attachment)
            }
            FileCard {
                id: card
                visible: !entry.asImage
                attachment: entry.asImage ? ({}) : entry.attachment
                maxWidth: root.width
                onSaveClicked: root.saveClicked(entry.attachment)
            }
        }
    }
}
