// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The hosted chat's invite link (protocol §19.4) as text and as a QR code: whoever opens
// it joins without comparing a code, since it carries the server's key. Optionally with a
// one-time invite code, for a server that does not let just anyone register.
Dialog {
    id: root
    objectName: "inviteLinkDialog"

    readonly property string link: Hosting.inviteLink(addressBox.currentText,
                                                      withCode.checked ? Administration.inviteCode : "")

    title: qsTr("Invite people to “%1”").arg(Hosting.serverName)
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, Overlay.overlay ? Overlay.overlay.width - 48 : 460)

    onAboutToShow: withCode.checked = false
    onClosed: Administration.clearInviteCode()

    ColumnLayout {
        anchors.fill: parent
        spacing: 10

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: Theme.mutedText
            text: qsTr("People on this network can scan the code or open the link in Confab. Others can pick “%1” from the list of servers nearby and compare the code %2.")
                  .arg(Hosting.serverName).arg(Hosting.shortCode)
        }
        ComboBox {
            id: addressBox
            objectName: "inviteAddressBox"
            Layout.fillWidth: true
            // A computer on several networks: the link must name the one the others are on.
            visible: count > 1
            model: Hosting.addresses
            Accessible.name: qsTr("Address in the link")
        }
        CheckBox {
            id: withCode
            objectName: "inviteWithCodeCheck"
            visible: Administration.isAdmin
            text: qsTr("Include a one-time invite code")
            Accessible.role: Accessible.CheckBox
            Accessible.name: text
            onToggled: if (checked) Administration.createInvite(1)
        }
        QrCode {
            objectName: "inviteQrCode"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 240
            Layout.preferredHeight: 240
            text: root.link
            visible: root.link.length > 0
            Accessible.role: Accessible.Graphic
            Accessible.name: qsTr("QR code of the invite link")
        }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                objectName: "inviteLinkField"
                Layout.fillWidth: true
                readOnly: true
                text: root.link
                Accessible.role: Accessible.EditableText
                Accessible.name: qsTr("Invite link")
            }
            Button {
                objectName: "copyInviteLinkButton"
                text: qsTr("Copy")
                enabled: root.link.length > 0
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Copy the invite link")
                onClicked: Clipboard.setText(root.link)
            }
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Done")
        acceptObjectName: "inviteDoneButton"
    }
}
