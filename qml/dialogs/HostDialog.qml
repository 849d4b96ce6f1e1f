// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// "Host a chat on this computer" (docs/lan.md): the server's name and the host's account,
// then Hosting starts confabd and, once it serves, the host signs in to it. The host's own
// app knows the server's key, so there is no code to compare here.
Dialog {
    id: root
    objectName: "hostDialog"

    readonly property bool complete: nameField.text.trim().length > 0
                                     && userField.text.trim().length > 0
                                     && passwordField.text.length > 0
    property bool signInWhenRunning: false

    title: qsTr("Host a chat on this computer")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, Overlay.overlay ? Overlay.overlay.width - 48 : 460)
    closePolicy: Hosting.state === Hosting.Starting ? Popup.NoAutoClose
                                                    : Popup.CloseOnEscape | Popup.CloseOnPressOutside

    function signInToHostedServer() {
        root.signInWhenRunning = false;
        ServerTrust.expect(Hosting.url, Hosting.fingerprint, Hosting.serverId);
        Account.signIn(String(Hosting.url), userField.text.trim(), passwordField.text, true);
        root.close();
    }

    onAboutToShow: {
        nameField.text = Hosting.lastServerName();
        passwordField.clear();
        root.signInWhenRunning = false;
        userField.forceActiveFocus();
    }
    // Cancelled while the server starts: it keeps starting, but nobody is signed in to it.
    onRejected: root.signInWhenRunning = false
    onAccepted: {
        root.signInWhenRunning = true;
        if (Hosting.state === Hosting.Running)
            root.signInToHostedServer();
        else
            Hosting.start(nameField.text.trim(), userField.text.trim(), passwordField.text);
    }

    Connections {
        target: Hosting
        function onStateChanged() {
            if (Hosting.state === Hosting.Running && root.signInWhenRunning)
                root.signInToHostedServer();
            else if (Hosting.state === Hosting.Failed)
                root.signInWhenRunning = false;
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 10

        Label {
            Layout.fillWidth: true
            text: qsTr("People on this network can join while this computer is awake and Confab is open. When it sleeps or quits, they lose the chat until it is back.")
            wrapMode: Text.Wrap
            color: Theme.mutedText
        }
        TextField {
            id: nameField
            objectName: "hostNameField"
            Layout.fillWidth: true
            maximumLength: 64
            placeholderText: qsTr("Name others see, e.g. Workshop")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Chat name")
        }
        TextField {
            id: userField
            objectName: "hostUserField"
            Layout.fillWidth: true
            placeholderText: Hosting.hasAccount ? qsTr("Your username on it")
                                                : qsTr("Your username (you will be its admin)")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Username")
        }
        TextField {
            id: passwordField
            objectName: "hostPasswordField"
            Layout.fillWidth: true
            placeholderText: Hosting.hasAccount ? qsTr("Password") : qsTr("Choose a password")
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Password")
            Accessible.passwordEdit: true
            onAccepted: if (root.complete) root.accept()
        }
        Label {
            objectName: "hostError"
            Layout.fillWidth: true
            visible: Hosting.state === Hosting.Failed
            text: Hosting.errorText
            color: Theme.error
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            running: Hosting.state === Hosting.Starting
            visible: running
            Accessible.name: qsTr("Starting the server")
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: qsTr("Start hosting")
        acceptObjectName: "startHostingButton"
        acceptEnabled: root.complete && Hosting.state !== Hosting.Starting
                       && Hosting.state !== Hosting.Stopping
    }
}
