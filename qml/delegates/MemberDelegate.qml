// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// A room member with an online dot.
ItemDelegate {
    id: root

    required property string user
    required property bool online
    required property bool isSelf
    required property string accessibleText

    leftPadding: 12
    topPadding: 4
    bottomPadding: 4
    focusPolicy: Qt.NoFocus
    hoverEnabled: false
    Accessible.role: Accessible.ListItem
    Accessible.name: root.accessibleText
    background: null

    contentItem: RowLayout {
        spacing: 10
        Item {
            implicitWidth: 28
            implicitHeight: 28
            Avatar {
                name: root.user
                size: 28
                opacity: root.online ? 1 : 0.6
            }
            Rectangle {
                objectName: "onlineDot"
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: -2
                width: 12
                height: 12
                radius: 6
                color: root.online ? Theme.online : Theme.offline
                border.width: 2
                border.color: Theme.sidebar
            }
        }
        Label {
            Layout.fillWidth: true
            text: root.isSelf ? qsTr("%1 (you)").arg(root.user) : root.user
            elide: Text.ElideRight
            color: root.online ? Theme.text : Theme.mutedText
        }
    }
}
