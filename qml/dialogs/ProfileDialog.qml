// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Confab
import Confab.Client

// The signed-in user's profile (§18.2): display name, status and avatar. Save stays open
// until the server took the change, and says in place why it did not. The avatar applies
// on its own, as soon as the chosen image is uploaded.
Dialog {
    id: root
    objectName: "profileDialog"

    // The server's limits (shared/protocol/selfservice.h).
    readonly property int maxDisplayName: 64
    readonly property int maxStatus: 128
    property bool saving: false
    property string error: ""

    title: qsTr("Profile")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(480, Overlay.overlay ? Overlay.overlay.width - 48 : 480)

    onAboutToShow: {
        nameField.text = Profiles.ownDisplayName === Profiles.ownUser ? "" : Profiles.ownDisplayName;
        statusField.text = Profiles.ownStatus;
        root.error = "";
        root.saving = false;
        nameField.forceActiveFocus();
    }

    function save() {
        root.error = "";
        root.saving = true;
        Profiles.save(nameField.text.trim(), statusField.text.trim());
    }

    function chooseImage(file: url) {
        root.error = "";
        Profiles.uploadAvatar(file);
    }

    Connections {
        target: Profiles
        function onSaved() {
            if (!root.saving)
                return;
            root.saving = false;
            root.close();
        }
        function onSaveFailed(message: string) {
            root.saving = false;
            root.error = message;
        }
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 8

        RowLayout {
            spacing: 12
            Avatar {
                objectName: "profileAvatarPreview"
                name: Profiles.ownUser
                size: 64
            }
            ColumnLayout {
                spacing: 4
                Button {
                    id: chooseButton
                    objectName: "chooseAvatarButton"
                    text: Profiles.uploading ? qsTr("Uploading…") : qsTr("Choose image…")
                    enabled: !Profiles.uploading
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Choose an avatar image")
                    onClicked: imageDialog.open()
                }
                Button {
                    objectName: "removeAvatarButton"
                    text: qsTr("Remove avatar")
                    flat: true
                    visible: Profiles.ownAvatar > 0 // qmllint disable type
                    enabled: !Profiles.uploading
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Remove avatar")
                    onClicked: {
                        root.error = "";
                        Profiles.setAvatar(0);
                    }
                }
            }
        }

        Label {
            text: qsTr("Display name")
        }
        TextField {
            id: nameField
            objectName: "displayNameField"
            Layout.fillWidth: true
            maximumLength: root.maxDisplayName
            placeholderText: Profiles.ownUser
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Display name")
            Accessible.description: qsTr("Shown instead of your username; empty shows the username")
            onAccepted: root.save()
        }
        Label {
            text: qsTr("Status")
        }
        TextField {
            id: statusField
            objectName: "statusField"
            Layout.fillWidth: true
            maximumLength: root.maxStatus
            placeholderText: qsTr("What are you up to?")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Status")
            onAccepted: root.save()
        }
        Label {
            objectName: "profileError"
            Layout.fillWidth: true
            visible: root.error.length > 0
            text: root.error
            color: Theme.error
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
    }

    footer: Item {
        implicitHeight: buttons.implicitHeight + 16
        RowLayout {
            id: buttons
            anchors.right: parent.right
            anchors.rightMargin: 16
            anchors.verticalCenter: parent.verticalCenter
            spacing: 8
            Button {
                objectName: "cancelButton"
                text: qsTr("Cancel")
                flat: true
                Accessible.role: Accessible.Button
                Accessible.name: text
                onClicked: root.close()
            }
            PrimaryButton {
                objectName: "saveProfileButton"
                text: root.saving ? qsTr("Saving…") : qsTr("Save")
                enabled: !root.saving
                Accessible.name: qsTr("Save profile")
                onClicked: root.save()
            }
        }
    }

    FileDialog {
        id: imageDialog
        objectName: "avatarFileDialog"
        title: qsTr("Choose an avatar image")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Images (*.png *.jpg *.jpeg *.gif *.webp)")]
        onAccepted: root.chooseImage(imageDialog.selectedFile)
    }
}
