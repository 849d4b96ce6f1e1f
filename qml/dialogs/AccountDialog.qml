// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The user's own account (§18.1): change the password, see and sign out the devices
// signed in, delete the account. The session list is loaded anew while it is open.
Dialog {
    id: root
    objectName: "accountDialog"

    // The last change made or refused, in one sentence.
    property string notice: ""
    property bool noticeIsError: false

    title: qsTr("Account")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(600, Overlay.overlay ? Overlay.overlay.width - 48 : 600)
    height: Math.min(640, Overlay.overlay ? Overlay.overlay.height - 48 : 640)
    standardButtons: Dialog.Close

    onAboutToShow: {
        root.notice = "";
        tabs.currentIndex = 0;
        // Loaded now, and again on reconnects and now and then while open.
        AccountSettings.sessionsShown = true;
    }
    onClosed: {
        AccountSettings.sessionsShown = false;
        currentPassword.text = "";
        newPassword.text = "";
        deletePassword.text = "";
        deleteConfirm.checked = false;
    }

    Connections {
        target: AccountSettings
        function onChanged(message: string) {
            root.notice = message;
            root.noticeIsError = false;
        }
        function onActionFailed(message: string) {
            root.notice = message;
            root.noticeIsError = true;
        }
        function onPasswordChanged() {
            currentPassword.text = "";
            newPassword.text = "";
        }
    }

    header: ColumnLayout {
        spacing: 0
        Label {
            Layout.fillWidth: true
            Layout.margins: 16
            Layout.bottomMargin: 8
            text: qsTr("Account: %1").arg(Account.username)
            font.bold: true
            font.pixelSize: 16
        }
        TabBar {
            id: tabs
            objectName: "accountTabs"
            Layout.fillWidth: true
            TabButton {
                objectName: "devicesTabButton"
                text: qsTr("Devices")
                Accessible.name: qsTr("Devices")
            }
            TabButton {
                objectName: "passwordTabButton"
                text: qsTr("Password")
                Accessible.name: qsTr("Password")
            }
            TabButton {
                objectName: "deleteTabButton"
                text: qsTr("Delete account")
                Accessible.name: qsTr("Delete account")
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            AccountSessionsPane {}

            ColumnLayout {
                spacing: 8
                TextField {
                    id: currentPassword
                    objectName: "currentPasswordField"
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    placeholderText: qsTr("Current password")
                    Accessible.role: Accessible.EditableText
                    Accessible.name: qsTr("Current password")
                }
                TextField {
                    id: newPassword
                    objectName: "newPasswordField"
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    placeholderText: qsTr("New password")
                    Accessible.role: Accessible.EditableText
                    Accessible.name: qsTr("New password")
                }
                CheckBox {
                    id: revokeOthers
                    objectName: "revokeOthersCheck"
                    text: qsTr("Sign out my other devices")
                    Accessible.name: text
                }
                Button {
                    objectName: "changePasswordButton"
                    text: qsTr("Change password")
                    Accessible.name: text
                    enabled: !AccountSettings.busy && currentPassword.text.length > 0
                             && newPassword.text.length > 0
                    onClicked: AccountSettings.changePassword(currentPassword.text,
                                                              newPassword.text, revokeOthers.checked)
                }
                Item {
                    Layout.fillHeight: true
                }
            }

            ColumnLayout {
                spacing: 8
                Label {
                    objectName: "deleteExplanation"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: qsTr("Deleting your account signs out every device and removes you from "
                               + "every channel and group. Your messages stay in the rooms under "
                               + "your name, with their files, so conversations keep their "
                               + "meaning: delete any you want gone first. Nobody can take your "
                               + "username afterwards. This cannot be undone.")
                }
                TextField {
                    id: deletePassword
                    objectName: "deletePasswordField"
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    placeholderText: qsTr("Password")
                    Accessible.role: Accessible.EditableText
                    Accessible.name: qsTr("Password to confirm deleting the account")
                }
                CheckBox {
                    id: deleteConfirm
                    objectName: "deleteConfirmCheck"
                    text: qsTr("I understand that this cannot be undone")
                    Accessible.name: text
                }
                Button {
                    objectName: "deleteAccountButton"
                    text: qsTr("Delete my account")
                    Accessible.name: text
                    enabled: !AccountSettings.busy && deleteConfirm.checked
                             && deletePassword.text.length > 0
                    onClicked: AccountSettings.deleteAccount(deletePassword.text)
                }
                Item {
                    Layout.fillHeight: true
                }
            }
        }
        Label {
            objectName: "accountNotice"
            Layout.fillWidth: true
            visible: root.notice.length > 0
            text: root.notice
            wrapMode: Text.Wrap
            color: root.noticeIsError ? Theme.error : Theme.mutedText
        }
    }
}
