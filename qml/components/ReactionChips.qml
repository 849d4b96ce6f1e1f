// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab

// A message's reactions: one chip per key with its count, the user's own highlighted, a
// tooltip with who reacted; a click adds or takes back the user's reaction.
Flow {
    id: root
    objectName: "reactionChips"

    // TimelineModel's reactions role: [{key, count, users, mine}].
    property var reactions: []
    property bool actionable: true
    signal toggled(string key)

    spacing: 4

    Repeater {
        model: root.reactions
        delegate: AbstractButton {
            id: chip
            required property var modelData
            readonly property string key: chip.modelData.key
            readonly property int count: chip.modelData.count
            readonly property bool mine: chip.modelData.mine
            readonly property var users: chip.modelData.users
            // The names listed, and how many more the count says there are.
            readonly property string who: chip.users.length < chip.count
                ? qsTr("%1 and %n more", "", chip.count - chip.users.length).arg(chip.users.join(", "))
                : chip.users.join(", ")

            objectName: "reactionChip"
            enabled: root.actionable
            focusPolicy: Qt.NoFocus
            hoverEnabled: true
            implicitWidth: implicitContentWidth + 7
            implicitHeight: 24
            Accessible.role: Accessible.Button
            Accessible.name: chip.mine ? qsTr("%1, %2: %3. You reacted; click to take it back")
                                             .arg(chip.key).arg(chip.count).arg(chip.who)
                                       : qsTr("%1, %2: %3. Click to react").arg(chip.key)
                                             .arg(chip.count).arg(chip.who)
            ToolTip.visible: chip.hovered
            ToolTip.delay: 400
            ToolTip.text: qsTr("%1 reacted with %2").arg(chip.who).arg(chip.key)
            onClicked: root.toggled(chip.key)

            background: Rectangle {
                radius: height / 2
                color: chip.mine ? Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.18)
                                 : chip.hovered ? Theme.hover : Theme.window
                border.width: 1
                border.color: chip.mine ? Theme.accent : Theme.divider
            }
            contentItem: Row {
                leftPadding: 7
                spacing: 4
                Label {
                    anchors.verticalCenter: parent.verticalCenter
                    text: chip.key
                    font.pixelSize: 14
                }
                Label {
                    objectName: "reactionCount"
                    anchors.verticalCenter: parent.verticalCenter
                    text: chip.count
                    font.pixelSize: 12
                    font.bold: chip.mine
                    color: chip.mine ? Theme.accent : Theme.mutedText
                }
            }
        }
    }
}
