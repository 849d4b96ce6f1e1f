// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Confab
import Confab.Client

// An image from the room over the whole window: fit to it at first; the wheel, + and -
// zoom, a double-click toggles 1:1; Left/Right (or the side buttons) go to the previous
// and next image in the room (TimelineModel.imageNeighbour); Esc closes. The file's name
// and a Save button are at the top.
Popup {
    id: root
    objectName: "imageViewer"

    // One of TimelineModel's attachments: {fileId, name, width, height, imageSource, …}.
    property var attachment: ({})
    readonly property TimelineModel timeline: CurrentRoom.timeline
    // Times the size that fits the window (1: fit).
    property real zoom: 1
    property bool hasPrevious: false
    property bool hasNext: false

    signal saveRequested(var attachment)

    // The original's size; the thumbnail's where the server did not decode the original
    // (then imageSource is the thumbnail, docs/client.md).
    readonly property bool hasSize: root.attachment.width > 0 && root.attachment.height > 0
    readonly property real imageWidth: root.hasSize ? root.attachment.width
                                                    : Math.max(1, root.attachment.thumbWidth ?? 1)
    readonly property real imageHeight: root.hasSize ? root.attachment.height
                                                     : Math.max(1, root.attachment.thumbHeight ?? 1)
    // Never enlarged to fit: a small image is shown at its size.
    readonly property real fitScale: Math.min(1, flick.width / root.imageWidth,
                                              flick.height / root.imageHeight)
    readonly property real shownScale: root.fitScale * root.zoom

    function show(attachment: var) {
        root.attachment = attachment;
        root.zoom = 1;
        root.updateNeighbours();
        root.open();
    }

    function step(direction: int) {
        if (!root.timeline)
            return;
        const next = root.timeline.imageNeighbour(root.attachment.fileId, direction);
        if (next.fileId === undefined)
            return;
        root.attachment = next;
        root.zoom = 1;
        root.updateNeighbours();
    }

    function updateNeighbours() {
        const id = root.attachment.fileId;
        root.hasPrevious = !!root.timeline && root.timeline.imageNeighbour(id, -1).fileId !== undefined;
        root.hasNext = !!root.timeline && root.timeline.imageNeighbour(id, 1).fileId !== undefined;
    }

    function zoomBy(factor: real) {
        // From a fifth of the fitted size to 8 × the image's own pixels.
        const most = 8 / root.fitScale;
        root.zoom = Math.max(0.2, Math.min(most, root.zoom * factor));
    }

    function toggleActualSize() {
        root.zoom = Math.abs(root.shownScale - 1) < 0.01 ? 1 : 1 / root.fitScale;
    }

    parent: Overlay.overlay
    x: 0
    y: 0
    width: parent ? parent.width : 800
    height: parent ? parent.height : 600
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape

    background: Rectangle {
        color: "#ee101216"
    }

    FocusScope {
        anchors.fill: parent
        focus: true
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("Image %1").arg(root.attachment.name ?? "")
        Keys.onPressed: (event) => {
            if (event.key === Qt.Key_Left) {
                root.step(-1);
            } else if (event.key === Qt.Key_Right) {
                root.step(1);
            } else if (event.key === Qt.Key_Plus || event.key === Qt.Key_Equal) {
                root.zoomBy(1.25);
            } else if (event.key === Qt.Key_Minus) {
                root.zoomBy(0.8);
            } else if (event.key === Qt.Key_0) {
                root.zoom = 1;
            } else {
                return;
            }
            event.accepted = true;
        }

        ColumnLayout {
            anchors.fill: parent
            spacing: 0

            // The name, the zoom, Save and Close.
            RowLayout {
                Layout.fillWidth: true
                Layout.margins: 8
                spacing: Theme.spacing
                Label {
                    objectName: "viewerName"
                    Layout.fillWidth: true
                    text: root.attachment.name ?? ""
                    textFormat: Text.PlainText
                    elide: Text.ElideMiddle
                    color: "#ffffff"
                    font.bold: true
                }
                Label {
                    objectName: "viewerZoom"
                    text: qsTr("%1%").arg(Math.round(root.shownScale * 100))
                    color: "#c8ccd4"
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Zoom %1 percent").arg(Math.round(root.shownScale * 100))
                }
                ViewerButton {
                    objectName: "viewerZoomOut"
                    text: "−"
                    label: qsTr("Zoom out")
                    onClicked: root.zoomBy(0.8)
                }
                ViewerButton {
                    objectName: "viewerZoomIn"
                    text: "+"
                    label: qsTr("Zoom in")
                    onClicked: root.zoomBy(1.25)
                }
                ViewerButton {
                    objectName: "viewerSaveButton"
                    icon.source: "qrc:/Confab/icons/save.svg"
                    label: qsTr("Save %1").arg(root.attachment.name ?? "")
                    onClicked: root.saveRequested(root.attachment)
                }
                ViewerButton {
                    objectName: "viewerCloseButton"
                    icon.source: "qrc:/Confab/icons/close.svg"
                    label: qsTr("Close (Esc)")
                    onClicked: root.close()
                }
            }

            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                Flickable {
                    id: flick
                    anchors.fill: parent
                    anchors.leftMargin: 56
                    anchors.rightMargin: 56
                    anchors.bottomMargin: 16
                    clip: true
                    contentWidth: Math.max(flick.width, image.width)
                    contentHeight: Math.max(flick.height, image.height)
                    boundsBehavior: Flickable.StopAtBounds

                    Image {
                        id: image
                        objectName: "viewerImage"
                        // Laid out from the file object's size before it has loaded.
                        width: root.imageWidth * root.shownScale
                        height: root.imageHeight * root.shownScale
                        x: (flick.contentWidth - image.width) / 2
                        y: (flick.contentHeight - image.height) / 2
                        asynchronous: true
                        cache: false
                        smooth: true
                        mipmap: root.shownScale < 1
                        fillMode: Image.PreserveAspectFit
                        source: root.opened || root.visible ? (root.attachment.imageSource ?? "") : ""
                        // Decoded at most 8192 pixels wide, whatever the file says.
                        sourceSize.width: Math.min(root.imageWidth, 8192)
                        Accessible.role: Accessible.Graphic
                        Accessible.name: root.attachment.name ?? ""
                    }
                    MouseArea {
                        width: flick.contentWidth
                        height: flick.contentHeight
                        onDoubleClicked: root.toggleActualSize()
                        onWheel: (wheel) => root.zoomBy(wheel.angleDelta.y > 0 ? 1.2 : 1 / 1.2)
                    }
                    ScrollBar.horizontal: ScrollBar {}
                    ScrollBar.vertical: ScrollBar {}
                }
                BusyIndicator {
                    anchors.centerIn: parent
                    running: image.status === Image.Loading
                    visible: running
                }
                Label {
                    anchors.centerIn: parent
                    visible: image.status === Image.Error
                    text: qsTr("The image could not be shown.")
                    color: "#ffffff"
                }
                ViewerButton {
                    objectName: "viewerPrevious"
                    anchors.left: parent.left
                    anchors.leftMargin: 8
                    anchors.verticalCenter: parent.verticalCenter
                    enabled: root.hasPrevious
                    icon.source: "qrc:/Confab/icons/left.svg"
                    label: qsTr("Previous image (Left)")
                    onClicked: root.step(-1)
                }
                ViewerButton {
                    objectName: "viewerNext"
                    anchors.right: parent.right
                    anchors.rightMargin: 8
                    anchors.verticalCenter: parent.verticalCenter
                    enabled: root.hasNext
                    icon.source: "qrc:/Confab/icons/right.svg"
                    label: qsTr("Next image (Right)")
                    onClicked: root.step(1)
                }
            }
        }
    }

    component ViewerButton: RoundButton {
        id: button
        property string label
        focusPolicy: Qt.NoFocus
        flat: true
        icon.color: "#ffffff"
        icon.width: 20
        icon.height: 20
        font.pixelSize: 20
        Accessible.role: Accessible.Button
        Accessible.name: button.label
        ToolTip.visible: button.hovered
        ToolTip.delay: 400
        ToolTip.text: button.label
        // Light on the dark backdrop whatever the theme; a plain fill (Material's is a shader).
        Material.foreground: "#ffffff"
        opacity: button.enabled ? 1 : 0.35
        background: Rectangle {
            implicitWidth: 40
            implicitHeight: 40
            radius: 20
            color: button.hovered ? "#33ffffff" : "#18ffffff"
        }
    }
}
