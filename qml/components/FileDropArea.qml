// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// Files dropped on the room (its timeline or its composer) join the next message's files.
// Only drags that carry file URLs are taken; which files are allowed is decided in C++
// (PendingAttachments.addUrls, which says why it refuses one).
DropArea {
    id: root
    objectName: "fileDropArea"

    keys: ["text/uri-list"]

    onEntered: (drag) => {
        if (!PendingAttachments.available || !drag.hasUrls)
            drag.accepted = false;
    }
    onDropped: (drop) => {
        if (!drop.hasUrls)
            return;
        if (PendingAttachments.addUrls(drop.urls))
            drop.acceptProposedAction();
    }

    Rectangle {
        objectName: "dropHint"
        anchors.fill: parent
        anchors.margins: 6
        visible: root.containsDrag
        radius: 8
        color: Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.12)
        border.width: 2
        border.color: Theme.accent

        Label {
            anchors.centerIn: parent
            text: qsTr("Drop files to attach them")
            color: Theme.accent
            font.bold: true
            font.pixelSize: 16
        }
    }
}
