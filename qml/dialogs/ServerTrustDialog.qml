// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Trust on first use (docs/lan.md): the code of a server nobody vouches for, to compare
// with the host's screen before anything is sent to it; or the hard stop when a known
// server presents another key, with no way to continue past it. ServerTrust decides;
// this only shows it.
Dialog {
    id: root
    objectName: "serverTrustDialog"

    readonly property bool comparing: ServerTrust.prompt === ServerTrust.CompareCode
    readonly property bool keyChanged: ServerTrust.prompt === ServerTrust.KeyChanged

    visible: ServerTrust.prompt !== ServerTrust.None
    modal: true
    // Only the buttons answer: a stray click or Escape must not decide about trust.
    closePolicy: Popup.NoAutoClose
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(480, Overlay.overlay ? Overlay.overlay.width - 48 : 480)
    title: root.keyChanged ? qsTr("This server's key has changed")
                           : qsTr("Is this the right server?")

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 12

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            visible: root.comparing
            text: ServerTrust.serverName.length > 0
                  ? qsTr("“%1” at %2").arg(ServerTrust.serverName).arg(ServerTrust.serverUrl)
                  : ServerTrust.serverUrl
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Label {
            objectName: "serverTrustCode"
            Layout.fillWidth: true
            visible: root.comparing
            horizontalAlignment: Text.AlignHCenter
            text: ServerTrust.shortCode
            font.pixelSize: 24
            font.family: "monospace"
            font.bold: true
            color: Theme.text
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("Code: %1").arg(ServerTrust.shortCode)
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            visible: root.comparing
            text: qsTr("Compare this code with the one on the host's screen. Sign in only if "
                       + "they are the same: otherwise another computer may be pretending to "
                       + "be this server.")
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Label {
            objectName: "serverTrustKeyChanged"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            visible: root.keyChanged
            text: qsTr("The server at %1 did not show the key this device knows it by, so "
                       + "Confab did not connect and sent nothing to it.\n\nThis happens "
                       + "when someone is pretending to be the server, or when the host "
                       + "re-installed it or lost its data. Ask the host which it is: if "
                       + "the server has a new key, the host's invite link or QR code carries "
                       + "it. Until then, choose another server or cancel.")
                  .arg(ServerTrust.serverUrl)
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
    }

    footer: Item {
        implicitHeight: buttons.implicitHeight + 16
        implicitWidth: buttons.implicitWidth + 32

        RowLayout {
            id: buttons
            anchors.right: parent.right
            anchors.rightMargin: 16
            anchors.verticalCenter: parent.verticalCenter
            spacing: 8

            Button {
                objectName: "codesDifferButton"
                visible: root.comparing
                flat: true
                text: qsTr("They differ")
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("The codes differ: do not connect")
                onClicked: ServerTrust.reject()
            }
            PrimaryButton {
                objectName: "codesMatchButton"
                visible: root.comparing
                text: qsTr("Codes match")
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("The codes match: trust this server and sign in")
                onClicked: ServerTrust.confirm()
            }
            PrimaryButton {
                objectName: "keyChangedCloseButton"
                visible: root.keyChanged
                text: qsTr("Cancel")
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Cancel: do not connect to this server")
                onClicked: ServerTrust.dismiss()
            }
        }
    }
}
