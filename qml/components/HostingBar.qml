// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Across the window while this computer hosts a chat (docs/lan.md): that it does, the code
// others compare, how many are connected, that they lose the chat when it sleeps or quits,
// and a way to stop that asks first.
Rectangle {
    id: root
    objectName: "hostingBar"

    visible: Hosting.state !== Hosting.Stopped
    implicitHeight: row.implicitHeight + 12
    color: Hosting.state === Hosting.Failed ? Theme.bannerOffline : Theme.bannerConnecting
    Accessible.role: Accessible.StatusBar
    Accessible.name: status.text

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 8
        spacing: Theme.spacing

        Label {
            id: status
            objectName: "hostingStatus"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.text
            text: {
                switch (Hosting.state) {
                case Hosting.Starting:
                    return qsTr("Starting your chat server…");
                case Hosting.Stopping:
                    return qsTr("Stopping your chat server…");
                case Hosting.Failed:
                    return Hosting.errorText;
                case Hosting.Running:
                    return qsTr("Hosting “%1” · code %2 · %n connected. Others lose the chat when this computer sleeps or quits.",
                                "", Hosting.usersOnline).arg(Hosting.serverName).arg(Hosting.shortCode);
                }
                return "";
            }
        }
        Button {
            objectName: "inviteButton"
            visible: Hosting.state === Hosting.Running && Hosting.addresses.length > 0
            flat: true
            text: qsTr("Invite…")
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Invite people")
            onClicked: inviteDialog.open()
        }
        Button {
            objectName: "retryHostingButton"
            visible: Hosting.state === Hosting.Failed && Hosting.hasAccount
            flat: true
            text: qsTr("Try again")
            Accessible.role: Accessible.Button
            Accessible.name: text
            onClicked: Hosting.start(Hosting.lastServerName(), "", "")
        }
        Button {
            objectName: "stopHostingButton"
            visible: Hosting.state === Hosting.Running || Hosting.state === Hosting.Starting
            flat: true
            text: qsTr("Stop hosting")
            Accessible.role: Accessible.Button
            Accessible.name: text
            onClicked: confirmStop.open()
        }
        Button {
            objectName: "dismissHostingButton"
            visible: Hosting.state === Hosting.Failed
            flat: true
            text: qsTr("Dismiss")
            Accessible.role: Accessible.Button
            Accessible.name: text
            onClicked: Hosting.stop()
        }
    }

    InviteLinkDialog {
        id: inviteDialog
        parent: Overlay.overlay
    }

    Dialog {
        id: confirmStop
        objectName: "confirmStopHostingDialog"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(420, parent ? parent.width - 48 : 420)
        modal: true
        title: qsTr("Stop hosting?")
        background: PopupBackground {}

        Label {
            anchors.fill: parent
            wrapMode: Text.Wrap
            text: qsTr("Everyone connected to “%1” loses the chat until you host it again. Messages already sent are kept.")
                  .arg(Hosting.serverName)
        }
        footer: DialogButtons {
            dialog: confirmStop
            acceptText: qsTr("Stop hosting")
            acceptObjectName: "confirmStopHostingButton"
        }
        onAccepted: Hosting.stop()
    }
}
