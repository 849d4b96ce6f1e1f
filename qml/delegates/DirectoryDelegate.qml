// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// A channel in the "join a room" dialog.
ItemDelegate {
    id: root

    required property real roomId
    required property string name
    required property string topic
    required property int memberCount
    required property bool joined

    signal joinRequested(real roomId)
    signal openRequested(real roomId)

    Accessible.role: Accessible.ListItem
    Accessible.name: root.joined
        ? qsTr("%1, %n member(s), joined", "", root.memberCount).arg(root.name)
        : qsTr("%1, %n member(s)", "", root.memberCount).arg(root.name)
    onClicked: root.joined ? root.openRequested(root.roomId) : root.joinRequested(root.roomId)

    contentItem: RowLayout {
        spacing: 12
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: "#" + root.name
                font.bold: true
                elide: Text.ElideRight
            }
            Label {
                Layout.fillWidth: true
                text: root.topic.length > 0
                    ? qsTr("%n member(s) · %1", "", root.memberCount).arg(root.topic)
                    : qsTr("%n member(s)", "", root.memberCount)
                color: Theme.mutedText
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }
        PrimaryButton {
            visible: !root.joined
            text: qsTr("Join")
            Accessible.name: qsTr("Join %1").arg(root.name)
            onClicked: root.joinRequested(root.roomId)
        }
        Button {
            visible: root.joined
            text: qsTr("Open")
            flat: true
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Open %1").arg(root.name)
            onClicked: root.openRequested(root.roomId)
        }
    }
}
