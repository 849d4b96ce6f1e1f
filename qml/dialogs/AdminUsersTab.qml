// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The administration's accounts: a search, and per account Disable/Enable (disabling asks
// first: it signs the account out everywhere) and Make admin/Remove admin. Nobody changes
// their own account (the server refuses it too).
ColumnLayout {
    id: root
    spacing: 8

    TextField {
        id: search
        objectName: "adminUserSearch"
        Layout.fillWidth: true
        placeholderText: qsTr("Search users")
        inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        Accessible.role: Accessible.EditableText
        Accessible.name: qsTr("Search users")
        text: Administration.users.query
        onTextEdited: Administration.users.query = text
    }

    ListView {
        id: list
        objectName: "adminUserList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: Administration.users
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Users")
        ScrollBar.vertical: ScrollBar {}

        delegate: ItemDelegate {
            id: row
            required property string user
            required property bool online
            required property bool admin
            required property bool disabled
            required property var createdAt
            // The reply carried the admin fields (§17.5): only an admin's does; without them
            // nothing here may be changed.
            required property bool adminView
            readonly property bool isSelf: row.user === Account.username

            objectName: "adminUser_" + row.user
            width: list.width
            hoverEnabled: false
            focusPolicy: Qt.NoFocus
            Accessible.role: Accessible.ListItem
            Accessible.name: row.disabled ? qsTr("%1, disabled").arg(row.user)
                : row.admin ? qsTr("%1, admin").arg(row.user) : row.user

            contentItem: RowLayout {
                spacing: 10
                Avatar {
                    name: row.user
                    size: 28
                    opacity: row.disabled ? 0.4 : (row.online ? 1 : 0.7)
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        Layout.fillWidth: true
                        text: row.user
                        font.bold: true
                        font.strikeout: row.disabled
                        elide: Text.ElideRight
                    }
                    Label {
                        Layout.fillWidth: true
                        text: {
                            const parts = [];
                            if (row.admin)
                                parts.push(qsTr("Admin"));
                            if (row.disabled)
                                parts.push(qsTr("Disabled"));
                            else if (row.online)
                                parts.push(qsTr("Online"));
                            if (row.createdAt && !isNaN(row.createdAt))
                                parts.push(qsTr("joined %1").arg(
                                    row.createdAt.toLocaleDateString(Qt.locale(), Locale.ShortFormat)));
                            return parts.join(" · ");
                        }
                        color: Theme.mutedText
                        font.pixelSize: 12
                        elide: Text.ElideRight
                    }
                }
                Button {
                    objectName: "adminToggleButton_" + row.user
                    visible: row.adminView && !row.isSelf && !row.disabled
                    enabled: !Administration.busy
                    flat: true
                    text: row.admin ? qsTr("Remove admin") : qsTr("Make admin")
                    Accessible.role: Accessible.Button
                    Accessible.name: row.admin ? qsTr("Remove %1 as admin").arg(row.user)
                                               : qsTr("Make %1 an admin").arg(row.user)
                    onClicked: Administration.setAdmin(row.user, !row.admin)
                }
                Button {
                    objectName: "disableButton_" + row.user
                    visible: row.adminView && !row.isSelf
                    enabled: !Administration.busy
                    text: row.disabled ? qsTr("Enable") : qsTr("Disable")
                    Accessible.role: Accessible.Button
                    Accessible.name: row.disabled ? qsTr("Enable %1").arg(row.user)
                                                  : qsTr("Disable %1").arg(row.user)
                    onClicked: {
                        if (row.disabled) {
                            Administration.setDisabled(row.user, false);
                        } else {
                            confirm.user = row.user;
                            confirm.open();
                        }
                    }
                }
            }
        }

        Label {
            anchors.centerIn: parent
            width: parent.width - 32
            visible: list.count === 0 && !Administration.users.loading
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: Administration.users.errorText.length > 0 ? Administration.users.errorText
                                                             : qsTr("No one by that name.")
            color: Theme.mutedText
        }
    }

    Dialog {
        id: confirm
        objectName: "confirmDisableDialog"
        property string user: ""
        title: qsTr("Disable %1?").arg(confirm.user)
        modal: true
        background: PopupBackground {}
        anchors.centerIn: Overlay.overlay
        width: Math.min(400, Overlay.overlay ? Overlay.overlay.width - 48 : 400)
        onAccepted: Administration.setDisabled(confirm.user, true)

        Label {
            anchors.left: parent.left
            anchors.right: parent.right
            wrapMode: Text.Wrap
            text: qsTr("%1 will be signed out everywhere and cannot sign in until enabled again.")
                .arg(confirm.user)
        }
        footer: DialogButtons {
            dialog: confirm
            acceptText: qsTr("Disable")
        }
    }
}
