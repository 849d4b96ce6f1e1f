// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Confab
import Confab.Client

// The window: the sign-in page or the chat page, following Account.status.
ApplicationWindow {
    id: root
    objectName: "mainWindow"

    // Set once a keychain warning has been dismissed, so the same one does not come back.
    property string dismissedKeychainWarning

    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    // Qt 6.4's qmllint knows no qint64 (qlonglong): reading totalUnread is not a type error.
    title: Session.rooms.totalUnread > 0 ? qsTr("(%1) Confab").arg(Session.rooms.totalUnread) // qmllint disable type
                                         : qsTr("Confab")
    color: Theme.window
    font.pointSize: AppSettings.fontPointSize > 0 ? AppSettings.fontPointSize
                                                  : systemFont.font.pointSize
    // Buttons in sentence case like every other label: Material's own are upper case. Set
    // on the window, it reaches every control and popup.
    font.capitalization: Font.MixedCase

    Material.theme: AppSettings.darkMode ? Material.Dark : Material.Light
    Material.accent: Theme.accent
    Material.primary: Theme.accent
    Material.background: Theme.window

    // A chat this computer hosted when the app last quit is hosted again: the host's saved
    // session reconnects to it by itself.
    Component.onCompleted: Hosting.resume()

    // The platform's default font, for when the user has not chosen a size.
    FontMetrics {
        id: systemFont
    }

    Connections {
        target: RoomActions
        function onActionFailed(message: string) {
            toast.show(message);
        }
    }
    Connections {
        target: PendingAttachments
        function onRejected(reason: string) {
            toast.show(reason);
        }
    }
    Connections {
        target: FileTransfers
        function onSaveFailed(fileId: real, reason: string) {
            toast.show(reason);
        }
    }
    Connections {
        target: Moderation
        function onActionFailed(message: string) {
            toast.show(message);
        }
    }
    Connections {
        target: NotifyLevels
        function onActionFailed(message: string) {
            toast.show(message);
        }
    }
    Connections {
        target: MessageSender
        function onActionFailed(message: string) {
            toast.show(message);
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        HostingBar {
            Layout.fillWidth: true
        }
        NoticeBar {
            objectName: "keychainNotice"
            Layout.fillWidth: true
            visible: Account.keychainWarning.length > 0
                     && Account.keychainWarning !== root.dismissedKeychainWarning
            text: Account.keychainWarning
            onDismissed: root.dismissedKeychainWarning = Account.keychainWarning
        }
        NoticeBar {
            objectName: "moveNotice"
            Layout.fillWidth: true
            visible: Account.moveNotice.length > 0
            text: Account.moveNotice
            onDismissed: Account.dismissMoveNotice()
        }
        Loader {
            id: pageLoader
            objectName: "pageLoader"
            Layout.fillWidth: true
            Layout.fillHeight: true
            // By URL rather than inline Components: Qt 6.4's Loader gives what it creates a
            // context of its own, which bound inline components refuse.
            // While a saved session is read from the keychain with no cache to show, neither
            // page: the sign-in page would take the first keystrokes and then vanish.
            source: Account.status === Account.SignedIn ? Qt.resolvedUrl("pages/ChatPage.qml")
                  : Account.restoring ? ""
                  : Qt.resolvedUrl("pages/SignInPage.qml")
        }
    }

    // Over either page: a sign-in and a reconnect of a signed-in account may both ask.
    ServerTrustDialog {}

    Toast {
        id: toast
        objectName: "toast"
    }
}
