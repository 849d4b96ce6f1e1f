// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Servers heard nearby (their beacon or mDNS, protocol §19.3 and §19.5), live: choosing one
// fills the address. Typing an address stays possible, since client isolation and VLANs
// block all multicast.
ColumnLayout {
    id: root
    objectName: "nearbyServerList"

    signal chosen(string url)

    spacing: 4
    visible: servers.count > 0

    NearbyServers {
        id: servers
        active: true
    }

    Label {
        Layout.fillWidth: true
        text: qsTr("Nearby")
        color: Theme.mutedText
        font.bold: true
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }
    Repeater {
        model: servers
        delegate: ItemDelegate {
            id: entry
            required property string name
            required property string url
            required property string host
            required property int usersOnline
            required property bool secure

            objectName: "nearbyServer"
            Layout.fillWidth: true
            padding: 6
            Accessible.role: Accessible.Button
            // usersOnline is -1 when only mDNS lists the server: its record has no count.
            Accessible.name: entry.usersOnline >= 0
                             ? qsTr("%1 at %2, %n online", "", entry.usersOnline).arg(entry.name).arg(entry.host)
                             : qsTr("%1 at %2").arg(entry.name).arg(entry.host)
            onClicked: root.chosen(entry.url)

            contentItem: RowLayout {
                spacing: Theme.spacing
                Label {
                    Layout.fillWidth: true
                    text: entry.name
                    elide: Text.ElideRight
                    color: Theme.text
                }
                Label {
                    text: entry.secure ? entry.host : qsTr("%1 (not encrypted)").arg(entry.host)
                    color: Theme.mutedText
                }
                Label {
                    visible: entry.usersOnline >= 0
                    text: qsTr("%n online", "", entry.usersOnline)
                    color: Theme.mutedText
                }
            }
        }
    }
}
