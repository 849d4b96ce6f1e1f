// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import Confab

// What the timeline does with a message's files: the image viewer and the dialog that asks
// where to save one, each created on first use. Rows stay stateless (pooled delegates):
// they only say which file; the one viewer and the one dialog live here. Fills the timeline.
Item {
    id: root

    function openImage(attachment: var) {
        const viewer = viewerPopup.create();
        if (viewer)
            viewer.show(attachment);
    }

    function save(attachment: var) {
        const dialog = saveDialog.create();
        if (dialog)
            dialog.saveFile(attachment.fileId, attachment.name);
    }

    LazyPopup {
        id: viewerPopup
        anchors.fill: parent
        source: Qt.resolvedUrl("ImageViewer.qml")
    }
    Connections {
        target: viewerPopup.popup
        ignoreUnknownSignals: true
        function onSaveRequested(attachment: var) {
            root.save(attachment);
        }
    }
    LazyPopup {
        id: saveDialog
        anchors.fill: parent
        source: Qt.resolvedUrl("SaveFileDialog.qml")
    }
}
