// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Sign in, or create an account where the server allows it (its hello says so; the
// address is probed as the user types).
Page {
    id: root
    objectName: "signInPage"

    readonly property string serverUrl: serverField.text.trim()
    property string linkError
    readonly property string username: usernameField.text.trim()
    // Only what the server at the address as typed said: not while an edit waits to be probed.
    readonly property bool canRegister: !probeTimer.running
                                        && (Account.registration === "open"
                                            || Account.registration === "invite")
    readonly property bool needsInvite: Account.registration === "invite"
    readonly property bool complete: root.serverUrl.length > 0 && root.username.length > 0
                                     && passwordField.text.length > 0

    function signIn() {
        if (Account.busy || !root.complete)
            return;
        Account.signIn(root.serverUrl, root.username, passwordField.text, staySignedIn.checked);
    }

    function createAccount() {
        if (Account.busy || !root.complete)
            return;
        Account.createAccount(root.serverUrl, root.username, passwordField.text,
                              inviteField.text.trim(), staySignedIn.checked);
    }

    Component.onCompleted: {
        // While a sign-in is already running (command line, restore) there is nothing to ask.
        if (root.serverUrl.length > 0 && Account.status === Account.SignedOut)
            Account.probeServer(root.serverUrl);
        if (root.serverUrl.length === 0)
            serverField.forceActiveFocus();
        else if (root.username.length === 0)
            usernameField.forceActiveFocus();
        else
            passwordField.forceActiveFocus();
    }

    background: Rectangle {
        color: Theme.sidebar
    }

    // Probing on every keystroke would open a connection per character.
    Timer {
        id: probeTimer
        interval: 600
        onTriggered: {
            if (root.serverUrl.length > 0)
                Account.probeServer(root.serverUrl);
        }
    }

    HostDialog {
        id: hostDialog
    }

    Pane {
        objectName: "signInCard"
        anchors.centerIn: parent
        width: Math.min(root.width - 32, 400)
        padding: 32
        background: Rectangle {
            color: Theme.window
            radius: 12
            border.color: Theme.divider
        }

        ColumnLayout {
            width: parent.width
            spacing: 10

            Image {
                Layout.alignment: Qt.AlignHCenter
                source: "qrc:/Confab/icons/confab.svg"
                sourceSize.width: 64
                sourceSize.height: 64
                Accessible.ignored: true
            }
            Label {
                Layout.fillWidth: true
                Layout.bottomMargin: 8
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("Sign in to Confab")
                font.pixelSize: 22
                font.bold: true
                color: Theme.text
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }

            NearbyServerList {
                Layout.fillWidth: true
                onChosen: url => {
                    serverField.text = url;
                    Account.clearError();
                    Account.probeServer(url);
                    usernameField.forceActiveFocus();
                }
            }
            TextField {
                id: serverField
                objectName: "serverField"
                Layout.fillWidth: true
                placeholderText: qsTr("Server address")
                text: AppSettings.lastServerUrl
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                Accessible.role: Accessible.EditableText
                Accessible.name: qsTr("Server address")
                Accessible.description: qsTr("For example wss://chat.example.org:8747, or an invite link")
                onTextEdited: {
                    Account.clearError();
                    root.linkError = "";
                    // A pasted invite link (docs/lan.md): its address, code and key.
                    if (JoinLinks.isJoinLink(text)) {
                        const join = JoinLinks.use(text);
                        if (join.url === undefined) {
                            root.linkError = qsTr("This invite link is damaged or incomplete: ask for it again.");
                            return;
                        }
                        serverField.text = join.url;
                        inviteField.text = join.invite;
                    }
                    probeTimer.restart();
                }
                onAccepted: usernameField.forceActiveFocus()
            }
            TextField {
                id: usernameField
                objectName: "usernameField"
                Layout.fillWidth: true
                placeholderText: qsTr("Username")
                text: AppSettings.lastUsername
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                Accessible.role: Accessible.EditableText
                Accessible.name: qsTr("Username")
                onTextEdited: Account.clearError()
                onAccepted: passwordField.forceActiveFocus()
            }
            TextField {
                id: passwordField
                objectName: "passwordField"
                Layout.fillWidth: true
                placeholderText: qsTr("Password")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                Accessible.role: Accessible.EditableText
                Accessible.name: qsTr("Password")
                Accessible.passwordEdit: true
                onTextEdited: Account.clearError()
                onAccepted: root.signIn()
            }
            TextField {
                id: inviteField
                objectName: "inviteField"
                Layout.fillWidth: true
                visible: root.needsInvite
                placeholderText: qsTr("Invite code (to create an account)")
                Accessible.role: Accessible.EditableText
                Accessible.name: qsTr("Invite code")
                onAccepted: root.createAccount()
            }
            CheckBox {
                id: staySignedIn
                objectName: "staySignedInCheck"
                checked: true
                text: qsTr("Stay signed in")
                Accessible.role: Accessible.CheckBox
                Accessible.name: text
            }

            Label {
                id: errorLabel
                objectName: "errorLabel"
                Layout.fillWidth: true
                // Two lines are kept for it, error or not, so that the card does not jump
                // when one appears.
                Layout.preferredHeight: Math.max(errorLabel.implicitHeight, 2 * errorMetrics.height)
                verticalAlignment: Text.AlignTop
                text: root.linkError.length > 0 ? root.linkError : Account.errorText
                color: Theme.error
                wrapMode: Text.Wrap
                Accessible.role: Accessible.AlertMessage
                Accessible.name: errorLabel.text
                Accessible.ignored: errorLabel.text.length === 0

                FontMetrics {
                    id: errorMetrics
                    font: errorLabel.font
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing

                PrimaryButton {
                    id: signInButton
                    objectName: "signInButton"
                    Layout.fillWidth: true
                    enabled: root.complete && !Account.busy
                    text: qsTr("Sign in")
                    Accessible.role: Accessible.Button
                    Accessible.name: text
                    onClicked: root.signIn()
                }
                Button {
                    objectName: "createAccountButton"
                    Layout.fillWidth: true
                    visible: root.canRegister
                    enabled: root.complete && !Account.busy
                             && (!root.needsInvite || inviteField.text.trim().length > 0)
                    flat: true
                    text: qsTr("Create account")
                    Accessible.role: Accessible.Button
                    Accessible.name: text
                    onClicked: root.createAccount()
                }
            }
            LinkButton {
                objectName: "hostChatButton"
                Layout.alignment: Qt.AlignHCenter
                visible: Hosting.state === Hosting.Stopped || Hosting.state === Hosting.Failed
                text: qsTr("Host a chat on this computer")
                onClicked: hostDialog.open()
            }
            BusyIndicator {
                objectName: "signInBusy"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredHeight: 36
                running: Account.busy
                opacity: running ? 1 : 0
                Accessible.name: qsTr("Signing in")
            }
        }
    }
}
