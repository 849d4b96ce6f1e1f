// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// The files that go with the next message, in a row above the composer's text (added with
// the attach button, a paste or a drop). What is allowed is PendingAttachments' decision.
ListView {
    id: root
    objectName: "pendingAttachments"

    orientation: ListView.Horizontal
    spacing: 6
    clip: true
    implicitHeight: 56
    boundsBehavior: Flickable.StopAtBounds
    model: PendingAttachments
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Files to send")

    delegate: PendingAttachmentTile {
        onRemoveClicked: (row) => PendingAttachments.remove(row)
    }

    ScrollBar.horizontal: ScrollBar {
        policy: root.contentWidth > root.width ? ScrollBar.AsNeeded : ScrollBar.AlwaysOff
    }
}
