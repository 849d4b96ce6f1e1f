// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// The user's avatar image when their profile has one (§18.2), else a round initial of
// their display name on the username's colour; decorative, so hidden from screen readers
// (the row it sits in names the user).
Rectangle {
    id: root

    required property string name
    property int size: Theme.avatarSize
    // The profile's display name and avatar file follow profile pushes.
    readonly property string shownName: Profiles.revision, Profiles.displayName(root.name)
    readonly property int avatarFile: Profiles.revision, Profiles.avatar(root.name)

    implicitWidth: root.size
    implicitHeight: root.size
    radius: root.size / 2
    color: Theme.avatarColor(root.name)
    Accessible.ignored: true

    Label {
        anchors.centerIn: parent
        visible: avatarImage.status !== Image.Ready
        text: root.shownName.length > 0 ? root.shownName.charAt(0).toUpperCase() : ""
        color: "#ffffff"
        font.pixelSize: root.size * 0.45
        font.bold: true
    }
    Image {
        id: avatarImage
        objectName: "avatarImage"
        anchors.fill: parent
        visible: root.avatarFile > 0 && status === Image.Ready
        source: root.avatarFile > 0 ? "image://confabfile/" + root.avatarFile + "/thumb" : ""
        sourceSize.width: root.size * 2
        sourceSize.height: root.size * 2
        fillMode: Image.PreserveAspectCrop
        asynchronous: true
        layer.enabled: false
    }
}
