// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// The message a reply answers, above the reply: who wrote it and its first line. A click
// opens it in place (MessageActions.jumpTo loads it if it is not held).
AbstractButton {
    id: root
    objectName: "replyQuote"

    property bool loaded: false
    property string sender
    property string quote

    implicitWidth: Math.min(implicitContentWidth + 6, 560)
    implicitHeight: implicitContentHeight + 6
    focusPolicy: Qt.NoFocus
    hoverEnabled: true
    Accessible.role: Accessible.Button
    Accessible.name: root.loaded ? qsTr("Reply to %1: %2. Show the message").arg(root.sender).arg(root.quote)
                                 : qsTr("Reply to an earlier message. Show it")

    background: Rectangle {
        radius: 4
        color: root.hovered ? Theme.hover : "transparent"
        Rectangle {
            width: 3
            height: parent.height
            radius: 1
            color: Theme.divider
        }
    }

    contentItem: Row {
        leftPadding: 10
        topPadding: 3
        spacing: 6
        Label {
            visible: root.loaded
            text: root.sender
            font.pixelSize: 12
            font.bold: true
            color: Theme.senderColor(root.sender)
        }
        Label {
            width: Math.min(implicitWidth, 480)
            text: root.loaded ? root.quote : qsTr("Reply to an earlier message")
            font.pixelSize: 12
            font.italic: !root.loaded
            color: Theme.mutedText
            elide: Text.ElideRight
            textFormat: Text.PlainText
        }
    }
}
