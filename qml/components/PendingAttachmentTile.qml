// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// One file waiting above the composer to be sent: a picture of it (images) or a file icon,
// its name and size, and a way to take it off again. The row is PendingAttachments'.
Rectangle {
    id: root
    objectName: "pendingAttachment"

    required property int index
    required property string name
    required property string sizeText
    required property bool isImage
    required property url previewSource

    signal removeClicked(int row)

    implicitWidth: 220
    implicitHeight: 56
    radius: 6
    color: Theme.hover
    border.color: Theme.divider
    Accessible.role: Accessible.ListItem
    Accessible.name: qsTr("%1, %2").arg(root.name).arg(root.sizeText)

    RowLayout {
        anchors.fill: parent
        anchors.margins: 6
        spacing: Theme.spacing

        Rectangle {
            Layout.preferredWidth: 44
            Layout.preferredHeight: 44
            radius: 4
            color: Theme.window
            clip: true
            Image {
                objectName: "pendingPreview"
                anchors.fill: parent
                visible: root.isImage
                source: root.isImage ? root.previewSource : ""
                asynchronous: true
                fillMode: Image.PreserveAspectCrop
                sourceSize.width: 88
                sourceSize.height: 88
                Accessible.ignored: true
            }
            Icon {
                anchors.centerIn: parent
                visible: !root.isImage
                source: "qrc:/Confab/icons/file.svg"
                size: 26
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "pendingName"
                Layout.fillWidth: true
                text: root.name
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                color: Theme.text
            }
            Label {
                objectName: "pendingSize"
                text: root.sizeText
                color: Theme.mutedText
                font.pixelSize: 12
            }
        }
        ToolButton {
            objectName: "removeAttachmentButton"
            Layout.alignment: Qt.AlignTop
            focusPolicy: Qt.NoFocus
            implicitWidth: 28
            implicitHeight: 28
            icon.source: "qrc:/Confab/icons/close.svg"
            icon.width: 14
            icon.height: 14
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Remove %1").arg(root.name)
            ToolTip.text: qsTr("Remove")
            ToolTip.visible: hovered
            onClicked: root.removeClicked(root.index)
        }
    }
}
