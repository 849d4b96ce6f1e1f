// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab.Client

ApplicationWindow {
    id: root
    width: 1000
    height: 700
    visible: true
    title: qsTr("Confab")

    Label {
        anchors.centerIn: parent
        text: Session.username
    }
}
