// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Window
import Confab

// An image in a message: its thumbnail, at the thumbnail's own aspect ratio. The size
// comes from the file object (thumbWidth × thumbHeight), so the row has its final height
// before a pixel has loaded and the timeline never jumps when it arrives. A click opens
// the viewer.
Rectangle {
    id: root
    objectName: "imageAttachment"

    // One of TimelineModel's attachments: {fileId, name, thumbWidth, thumbHeight, …}.
    property var attachment: ({})
    property real maxWidth: 400
    property real maxHeight: 320

    signal clicked()

    readonly property real thumbWidth: root.attachment.thumbWidth > 0 ? root.attachment.thumbWidth : 1
    readonly property real thumbHeight: root.attachment.thumbHeight > 0 ? root.attachment.thumbHeight : 1
    // Never larger than the thumbnail itself, nor than the column.
    readonly property real fitScale: Math.min(1, root.maxWidth / root.thumbWidth,
                                              root.maxHeight / root.thumbHeight)
    readonly property alias status: image.status

    implicitWidth: Math.max(1, Math.round(root.thumbWidth * root.fitScale))
    implicitHeight: Math.max(1, Math.round(root.thumbHeight * root.fitScale))
    width: root.implicitWidth
    height: root.implicitHeight
    radius: 6
    color: Theme.hover
    border.color: Theme.divider
    Accessible.role: Accessible.Button
    Accessible.name: qsTr("Image %1").arg(root.attachment.name ?? "")
    Accessible.description: qsTr("Opens the image")
    Accessible.onPressAction: root.clicked()

    Icon {
        anchors.centerIn: parent
        visible: image.status !== Image.Ready
        source: "qrc:/Confab/icons/image.svg"
        size: 24
    }
    Image {
        id: image
        objectName: "thumbnailImage"
        anchors.fill: parent
        asynchronous: true
        fillMode: Image.PreserveAspectFit
        source: root.attachment.thumbnailSource ?? ""
        // Decoded at the size shown, in device pixels.
        sourceSize.width: Math.ceil(root.width * Screen.devicePixelRatio)
        sourceSize.height: Math.ceil(root.height * Screen.devicePixelRatio)
        Accessible.ignored: true
    }
    MouseArea {
        anchors.fill: parent
        // Not while it uploads: there is no file on the server to show yet.
        enabled: root.attachment.fileId > 0
        cursorShape: Qt.PointingHandCursor
        onClicked: root.clicked()
    }
}
