// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The server's audit log, newest first: who changed which account or setting, when.
ColumnLayout {
    id: root
    spacing: 4

    ListView {
        id: list
        objectName: "auditList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: Administration.audit
        spacing: 2
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Audit log")
        ScrollBar.vertical: ScrollBar {}

        delegate: ItemDelegate {
            id: entry
            required property string description
            required property var time
            required property string detail
            readonly property string when: entry.time.toLocaleString(Qt.locale(), Locale.ShortFormat)
            width: list.width
            hoverEnabled: false
            focusPolicy: Qt.NoFocus
            Accessible.role: Accessible.ListItem
            Accessible.name: qsTr("%1, %2").arg(entry.description).arg(entry.when)
            contentItem: ColumnLayout {
                spacing: 0
                Label {
                    objectName: "auditDescription"
                    Layout.fillWidth: true
                    text: entry.description
                    wrapMode: Text.Wrap
                }
                Label {
                    Layout.fillWidth: true
                    text: entry.detail.length > 0 ? qsTr("%1 · %2").arg(entry.when).arg(entry.detail)
                                                  : entry.when
                    color: Theme.mutedText
                    font.pixelSize: 12
                    elide: Text.ElideRight
                }
            }
        }

        Label {
            anchors.centerIn: parent
            width: parent.width - 32
            visible: list.count === 0 && !Administration.audit.loading
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: Administration.audit.errorText.length > 0 ? Administration.audit.errorText
                                                             : qsTr("Nothing has been changed yet.")
            color: Theme.mutedText
        }
    }

    Button {
        objectName: "loadOlderAuditButton"
        visible: Administration.audit.hasOlder
        enabled: !Administration.audit.loading
        text: qsTr("Load older")
        flat: true
        Accessible.role: Accessible.Button
        Accessible.name: text
        onClicked: Administration.audit.loadOlder()
    }
}
