// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Says when the app is not live: offline with the reconnect countdown, or connecting.
// The rooms stay usable from the cache meanwhile; messages wait in the outbox.
Rectangle {
    id: root

    // Bound to the session; tests set them to check each state in isolation.
    property int connectionState: Account.connectionState
    property int seconds: Account.reconnectInSeconds

    readonly property bool offline: root.connectionState === ConnectionState.Offline
    readonly property bool shown: root.connectionState !== ConnectionState.Live
    readonly property alias message: label.text

    visible: root.shown
    implicitHeight: root.shown ? row.implicitHeight + 12 : 0
    color: root.offline ? Theme.bannerOffline : Theme.bannerConnecting
    Accessible.role: Accessible.AlertMessage
    Accessible.name: root.message

    RowLayout {
        id: row
        anchors.centerIn: parent
        spacing: 6

        Icon {
            source: "qrc:/Confab/icons/offline.svg"
            visible: root.offline
            color: Theme.text
        }
        BusyIndicator {
            visible: !root.offline
            running: visible
            Layout.preferredWidth: 20
            Layout.preferredHeight: 20
            Accessible.ignored: true
        }
        Label {
            id: label
            objectName: "connectionBannerText"
            color: Theme.text
            text: root.offline
                ? (root.seconds > 0 ? qsTr("Offline — reconnecting in %1 s").arg(root.seconds)
                                    : qsTr("Offline — reconnecting…"))
                : qsTr("Connecting…")
        }
        Label {
            visible: root.offline
            text: "·"
            color: Theme.mutedText
            Accessible.ignored: true
        }
        LinkButton {
            objectName: "retryNowButton"
            visible: root.offline
            text: qsTr("Retry now")
            onClicked: Account.retryNow()
        }
    }
}
