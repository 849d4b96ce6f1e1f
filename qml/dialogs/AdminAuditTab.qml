// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The server's audit log, newest first: who changed which account or setting, when.
ListView {
    id: root
    objectName: "auditList"
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
        width: root.width
        hoverEnabled: false
        focusPolicy: Qt.NoFocus
        Accessible.role: Accessible.ListItem
        Accessible.name: qsTr("%1, %2").arg(entry.description)
            .arg(entry.time.toLocaleString(Qt.locale(), Locale.ShortFormat))
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
                text: entry.detail.length > 0
                    ? qsTr("%1 · %2").arg(entry.time.toLocaleString(Qt.locale(), Locale.ShortFormat))
                        .arg(entry.detail)
                    : entry.time.toLocaleString(Qt.locale(), Locale.ShortFormat)
                color: Theme.mutedText
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }
    }

    footer: Button {
        objectName: "loadOlderAuditButton"
        visible: Administration.audit.hasOlder
        enabled: !Administration.audit.loading
        text: qsTr("Load older")
        flat: true
        Accessible.role: Accessible.Button
        Accessible.name: text
        onClicked: Administration.audit.loadOlder()
    }

    Label {
        anchors.centerIn: parent
        width: parent.width - 32
        visible: root.count === 0 && !Administration.audit.loading
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: Administration.audit.errorText.length > 0 ? Administration.audit.errorText
                                                         : qsTr("Nothing has been changed yet.")
        color: Theme.mutedText
    }
}
