// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Who may create an account, and invite codes for the "invite" mode. A code is shown
// once: the server keeps only its hash.
ColumnLayout {
    id: root
    spacing: 8

    Label {
        Layout.fillWidth: true
        text: qsTr("Who may create an account on this server")
        font.bold: true
        wrapMode: Text.Wrap
    }
    component ModeButton: RadioButton {
        id: choice
        required property string mode
        objectName: "registration_" + choice.mode
        checked: Administration.registration === choice.mode
        enabled: Administration.registration.length > 0 && !Administration.busy
        Accessible.role: Accessible.RadioButton
        Accessible.name: choice.text
        onClicked: {
            if (Administration.registration !== choice.mode)
                Administration.setRegistration(choice.mode);
            // A click sets checked itself: the server's answer decides what is shown.
            choice.checked = Qt.binding(() => Administration.registration === choice.mode);
        }
    }
    ModeButton {
        mode: "open"
        text: qsTr("Anyone")
    }
    ModeButton {
        mode: "invite"
        text: qsTr("Only with an invite code")
    }
    ModeButton {
        mode: "closed"
        text: qsTr("No one (registration closed)")
    }

    Rectangle {
        Layout.fillWidth: true
        Layout.topMargin: 8
        implicitHeight: 1
        color: Theme.divider
    }
    Label {
        Layout.fillWidth: true
        text: qsTr("Invite codes")
        font.bold: true
    }
    RowLayout {
        spacing: 8
        Label {
            text: qsTr("Uses")
        }
        SpinBox {
            id: uses
            objectName: "inviteUses"
            from: 1
            to: 1000
            value: 1
            editable: true
            Accessible.name: qsTr("How many accounts the code may create")
        }
        Button {
            objectName: "createInviteButton"
            text: qsTr("Create invite code")
            enabled: !Administration.busy
            Accessible.role: Accessible.Button
            Accessible.name: text
            onClicked: Administration.createInvite(uses.value)
        }
    }
    RowLayout {
        Layout.fillWidth: true
        visible: Administration.inviteCode.length > 0
        spacing: 8
        TextField {
            objectName: "inviteCodeField"
            Layout.fillWidth: true
            readOnly: true
            selectByMouse: true
            text: Administration.inviteCode
            font.family: "monospace"
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Invite code")
        }
        Button {
            id: copy
            objectName: "copyInviteButton"
            property bool copied: false
            text: copy.copied ? qsTr("Copied") : qsTr("Copy")
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Copy the invite code")
            onClicked: {
                Clipboard.setText(Administration.inviteCode);
                copy.copied = true;
            }
            Connections {
                target: Administration
                function onInviteCodeChanged() {
                    copy.copied = false;
                }
            }
        }
    }
    Label {
        Layout.fillWidth: true
        visible: Administration.inviteCode.length > 0
        text: qsTr("Good for %n account(s). It is shown only now: copy it before closing.", "",
            Administration.inviteUses)
        color: Theme.mutedText
        wrapMode: Text.Wrap
    }
    Item {
        Layout.fillHeight: true
    }
}
