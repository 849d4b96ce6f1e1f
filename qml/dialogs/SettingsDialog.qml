// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Confab
import Confab.Client

// Preferences apply at once (AppSettings persists them); sign-out lives here too.
Dialog {
    id: root
    objectName: "settingsDialog"

    title: qsTr("Settings")
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, Overlay.overlay ? Overlay.overlay.width - 48 : 460)
    standardButtons: Dialog.Close

    GridLayout {
        anchors.fill: parent
        columns: 2
        columnSpacing: 16
        rowSpacing: 10

        Label {
            text: qsTr("Theme")
        }
        ComboBox {
            objectName: "themeBox"
            Layout.fillWidth: true
            // Indexes follow AppSettings.Theme: System, Light, Dark.
            model: [qsTr("Follow the system"), qsTr("Light"), qsTr("Dark")]
            currentIndex: AppSettings.theme
            popup.background: PopupBackground {}
            Accessible.role: Accessible.ComboBox
            Accessible.name: qsTr("Theme")
            onActivated: (index) => AppSettings.theme = index
        }

        Label {
            text: qsTr("Notifications")
        }
        CheckBox {
            objectName: "notificationsSwitch"
            checked: AppSettings.notificationsEnabled
            text: qsTr("Direct messages and mentions")
            Accessible.role: Accessible.CheckBox
            Accessible.name: qsTr("Notify me of direct messages and mentions")
            onToggled: AppSettings.notificationsEnabled = checked
        }

        Label {
            text: qsTr("Text size")
        }
        RowLayout {
            CheckBox {
                id: defaultSize
                objectName: "defaultFontSizeCheck"
                text: qsTr("Default")
                checked: AppSettings.fontPointSize === 0
                Accessible.role: Accessible.CheckBox
                Accessible.name: qsTr("Use the default text size")
                onToggled: AppSettings.fontPointSize = checked ? 0 : Math.round(root.font.pointSize)
            }
            SpinBox {
                objectName: "fontSizeBox"
                enabled: !defaultSize.checked
                from: 8
                to: 24
                value: AppSettings.fontPointSize > 0 ? AppSettings.fontPointSize
                                                     : Math.round(root.font.pointSize)
                editable: true
                Accessible.role: Accessible.SpinBox
                Accessible.name: qsTr("Text size in points")
                onValueModified: AppSettings.fontPointSize = value
            }
        }

        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            Layout.topMargin: 12
            text: qsTr("Signed in as %1 on %2").arg(Account.username).arg(Account.serverUrl)
            color: Theme.mutedText
            elide: Text.ElideMiddle
        }
        Button {
            objectName: "signOutButton"
            Layout.columnSpan: 2
            flat: true
            Material.foreground: Theme.error
            text: qsTr("Sign out")
            Accessible.role: Accessible.Button
            Accessible.name: text
            onClicked: {
                root.close();
                Account.signOut();
            }
        }
    }
}
