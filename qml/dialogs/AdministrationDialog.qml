// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// The server's administration, for admins (§17.5): accounts, registration and invite
// codes, the audit log. Everything is loaded anew each time it opens.
Dialog {
    id: root
    objectName: "administrationDialog"

    // The last change made or refused, in one sentence.
    property string notice: ""
    property bool noticeIsError: false

    title: qsTr("Administration")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, Overlay.overlay ? Overlay.overlay.width - 48 : 640)
    height: Math.min(600, Overlay.overlay ? Overlay.overlay.height - 48 : 600)
    standardButtons: Dialog.Close

    onAboutToShow: {
        root.notice = "";
        tabs.currentIndex = 0;
        Administration.users.query = "";
        Administration.refresh();
    }
    onClosed: Administration.clearInviteCode()

    Connections {
        target: Administration
        function onChanged(message: string) {
            root.notice = message;
            root.noticeIsError = false;
        }
        function onActionFailed(message: string) {
            root.notice = message;
            root.noticeIsError = true;
        }
        // Admin taken away (seen at a reconnect's sign-in): nothing here works any more.
        function onIsAdminChanged() {
            if (!Administration.isAdmin)
                root.close();
        }
    }

    header: ColumnLayout {
        spacing: 0
        Label {
            Layout.fillWidth: true
            Layout.margins: 16
            Layout.bottomMargin: 8
            text: root.title
            font.bold: true
            font.pixelSize: 16
        }
        TabBar {
            id: tabs
            objectName: "administrationTabs"
            Layout.fillWidth: true
            TabButton {
                objectName: "usersTabButton"
                text: qsTr("Users")
                Accessible.name: qsTr("Users")
            }
            TabButton {
                objectName: "registrationTabButton"
                text: qsTr("Registration")
                Accessible.name: qsTr("Registration")
            }
            TabButton {
                objectName: "auditTabButton"
                text: qsTr("Audit log")
                Accessible.name: qsTr("Audit log")
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
            AdminUsersTab {}
            AdminRegistrationTab {}
            AdminAuditTab {}
        }
        Label {
            objectName: "administrationNotice"
            Layout.fillWidth: true
            visible: root.notice.length > 0
            text: root.notice
            wrapMode: Text.Wrap
            color: root.noticeIsError ? Theme.error : Theme.mutedText
        }
    }
}
