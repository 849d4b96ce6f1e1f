// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab

// One search result: who wrote it and when, and the snippet with the matched words bold.
ItemDelegate {
    id: root

    required property int index
    required property string sender
    required property date time
    required property string snippet // rich text, escaped by the model
    required property string plainText
    property bool current: false

    focusPolicy: Qt.NoFocus
    highlighted: root.current
    padding: 6
    Accessible.role: Accessible.ListItem
    Accessible.name: qsTr("%1, %2: %3").arg(root.sender)
                         .arg(root.time.toLocaleString(Qt.locale(), Locale.ShortFormat))
                         .arg(root.plainText)

    contentItem: ColumnLayout {
        spacing: 2
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                text: root.sender
                font.bold: true
                color: Theme.text
            }
            Label {
                Layout.fillWidth: true
                text: root.time.toLocaleString(Qt.locale(), Locale.ShortFormat)
                color: Theme.mutedText
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }
        Label {
            objectName: "searchSnippet"
            Layout.fillWidth: true
            text: root.snippet
            textFormat: Text.StyledText
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
            color: Theme.text
        }
    }
}
