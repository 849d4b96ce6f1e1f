// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// A file in a message that is not shown as a picture (a PDF, an archive, an SVG, HTML …):
// offered as a download only, never opened here. Save asks where (the timeline's dialog);
// while it downloads a bar shows how far it is, and it can be stopped.
Rectangle {
    id: root
    objectName: "fileCard"

    // One of TimelineModel's attachments: {fileId, name, sizeText, type, downloadProgress,
    // savedPath, …}.
    property var attachment: ({})
    property real maxWidth: 360

    signal saveClicked()

    readonly property real progress: root.attachment.downloadProgress ?? -1
    readonly property bool saving: root.progress >= 0
    readonly property string savedPath: root.attachment.savedPath ?? ""
    readonly property string name: root.attachment.name ?? ""

    implicitWidth: Math.min(360, root.maxWidth)
    implicitHeight: content.implicitHeight + 16
    width: root.implicitWidth
    height: root.implicitHeight
    radius: 8
    color: Theme.hover
    border.color: Theme.divider
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("File %1, %2").arg(root.name).arg(root.attachment.sizeText ?? "")

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.margins: 8
        spacing: 4

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            // An image still uploading has no thumbnail from the server yet: its local
            // preview stands in for the icon.
            Item {
                implicitWidth: 36
                implicitHeight: 36
                Icon {
                    anchors.centerIn: parent
                    visible: preview.status !== Image.Ready
                    source: "qrc:/Confab/icons/file.svg"
                    size: 30
                }
                Image {
                    id: preview
                    anchors.fill: parent
                    visible: preview.status === Image.Ready
                    source: root.attachment.isImage === true ? (root.attachment.thumbnailSource ?? "") : ""
                    asynchronous: true
                    fillMode: Image.PreserveAspectCrop
                    sourceSize.width: 72
                    sourceSize.height: 72
                    Accessible.ignored: true
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    objectName: "fileName"
                    Layout.fillWidth: true
                    text: root.name
                    textFormat: Text.PlainText
                    elide: Text.ElideMiddle
                    color: Theme.text
                    font.bold: true
                }
                Label {
                    objectName: "fileSize"
                    Layout.fillWidth: true
                    text: root.attachment.sizeText ?? ""
                    elide: Text.ElideRight
                    color: Theme.mutedText
                    font.pixelSize: 12
                }
            }
            ToolButton {
                objectName: "saveFileButton"
                // Not while it uploads (no file on the server yet).
                visible: !root.saving && root.attachment.fileId > 0
                focusPolicy: Qt.NoFocus
                icon.source: "qrc:/Confab/icons/save.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Save %1").arg(root.name)
                ToolTip.text: qsTr("Save…")
                ToolTip.visible: hovered
                onClicked: root.saveClicked()
            }
            ToolButton {
                objectName: "cancelSaveButton"
                visible: root.saving
                focusPolicy: Qt.NoFocus
                icon.source: "qrc:/Confab/icons/close.svg"
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Stop saving %1").arg(root.name)
                ToolTip.text: qsTr("Stop")
                ToolTip.visible: hovered
                onClicked: FileTransfers.cancelSave(root.attachment.fileId)
            }
        }
        ProgressBar {
            objectName: "saveProgress"
            Layout.fillWidth: true
            visible: root.saving
            from: 0
            to: 1
            value: Math.max(0, root.progress)
            Accessible.role: Accessible.ProgressBar
            Accessible.name: qsTr("Saving %1").arg(root.name)
        }
        Label {
            objectName: "savedLabel"
            Layout.fillWidth: true
            visible: !root.saving && root.savedPath.length > 0
            text: qsTr("Saved to %1").arg(root.savedPath)
            textFormat: Text.PlainText
            elide: Text.ElideMiddle
            color: Theme.mutedText
            font.pixelSize: 12
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
    }
}
