// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Dialogs
import Confab.Client

// Where a file from a message is saved. FileTransfers suggests the name (the file's, in
// the last folder used) and downloads to the chosen place.
FileDialog {
    id: root
    objectName: "saveFileDialog"

    property real fileId: 0

    function saveFile(id: real, name: string) {
        root.fileId = id;
        root.title = qsTr("Save %1").arg(name);
        const suggested = FileTransfers.suggestedSaveUrl(id).toString();
        root.currentFolder = suggested.substring(0, suggested.lastIndexOf("/"));
        root.selectedFile = suggested;
        root.open();
    }

    fileMode: FileDialog.SaveFile
    onAccepted: FileTransfers.save(root.fileId, root.selectedFile)
}
