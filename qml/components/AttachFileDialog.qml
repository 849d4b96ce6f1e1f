// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Dialogs
import Confab.Client

// The composer's attach button: one or several files for the next message. Created on
// first use (LazyPopup), so the start does not load the dialogs' module.
FileDialog {
    id: root
    objectName: "attachFileDialog"

    title: qsTr("Attach files")
    fileMode: FileDialog.OpenFiles
    onAccepted: PendingAttachments.addUrls(root.selectedFiles)
}
