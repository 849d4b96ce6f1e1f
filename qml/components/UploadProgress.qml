// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// An own message whose files are still uploading: how far, and Cancel (which takes the
// message back, files and all: MessageActions.cancelUpload).
RowLayout {
    id: root
    objectName: "uploadProgress"

    // 0 … 1.
    property real progress: 0

    signal cancelClicked()

    spacing: Theme.spacing

    ProgressBar {
        objectName: "uploadProgressBar"
        Layout.preferredWidth: 220
        from: 0
        to: 1
        value: root.progress
        Accessible.role: Accessible.ProgressBar
        Accessible.name: qsTr("Uploading")
    }
    Label {
        objectName: "uploadPercent"
        text: qsTr("Uploading… %1%").arg(Math.floor(root.progress * 100))
        color: Theme.mutedText
        font.pixelSize: 12
    }
    LinkButton {
        objectName: "cancelUploadButton"
        text: qsTr("Cancel")
        font.pixelSize: 12
        color: Theme.error
        onClicked: root.cancelClicked()
    }
}
