// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The account's sessions (§18.1): one row per signed-in device, this one marked, with a
// Sign out button each. Signing out this device is signing out.
ListView {
    id: root
    objectName: "accountSessionList"
    clip: true
    spacing: 2
    model: AccountSettings.sessions
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Signed-in devices")
    ScrollBar.vertical: ScrollBar {}

    delegate: ItemDelegate {
        id: row
        required property real sessionId
        required property string device
        required property string address
        required property var lastSeen
        required property bool current
        required property bool online
        required property string accessibleText

        objectName: "accountSession_" + row.sessionId
        width: root.width
        hoverEnabled: false
        focusPolicy: Qt.NoFocus
        Accessible.role: Accessible.ListItem
        Accessible.name: row.accessibleText

        contentItem: RowLayout {
            spacing: 10
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    objectName: "accountSessionDevice"
                    Layout.fillWidth: true
                    text: row.device.length > 0 ? row.device : qsTr("Unnamed device")
                    font.bold: true
                    elide: Text.ElideRight
                }
                Label {
                    Layout.fillWidth: true
                    text: {
                        const parts = [];
                        if (row.current)
                            parts.push(qsTr("This device"));
                        else if (row.online)
                            parts.push(qsTr("Online now"));
                        else
                            parts.push(qsTr("Last used %1").arg(
                                row.lastSeen.toLocaleString(Qt.locale(), Locale.ShortFormat)));
                        if (row.address.length > 0)
                            parts.push(row.address);
                        return parts.join(" · ");
                    }
                    color: row.current ? Theme.accent : Theme.mutedText
                    elide: Text.ElideRight
                }
            }
            Button {
                objectName: "signOutSession"
                text: row.current ? qsTr("Sign out here") : qsTr("Sign out")
                enabled: !AccountSettings.busy
                Accessible.name: qsTr("Sign out %1").arg(row.device.length > 0 ? row.device
                                                                                : qsTr("Unnamed device"))
                onClicked: AccountSettings.revoke(row.sessionId)
            }
        }
    }
}
