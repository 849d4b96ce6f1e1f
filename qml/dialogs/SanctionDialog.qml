// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Kick, ban or mute one member of the open channel, with a reason (shown to everyone in
// the timeline) and, for a ban or a mute, how long it lasts.
Dialog {
    id: root
    objectName: "sanctionDialog"

    // "kick", "ban" or "mute", and whom: set before open().
    property string action: "kick"
    property string user
    // The room open when the dialog opened: the one the user chose the member in, even if
    // another room is open by the time they confirm.
    property real roomId: 0

    title: root.action === "ban" ? qsTr("Ban %1").arg(root.user)
        : root.action === "mute" ? qsTr("Mute %1").arg(root.user)
        : qsTr("Remove %1 from the channel").arg(root.user)
    modal: true
    background: PopupBackground {}
    anchors.centerIn: Overlay.overlay
    width: Math.min(440, Overlay.overlay ? Overlay.overlay.width - 48 : 440)

    onAboutToShow: {
        root.roomId = CurrentRoom.roomId; // qmllint disable type
        reasonField.clear();
        durationBox.currentIndex = 0;
        reasonField.forceActiveFocus();
    }
    onAccepted: {
        const seconds = durationBox.model[durationBox.currentIndex].seconds;
        if (root.action === "ban")
            Moderation.ban(root.roomId, root.user, reasonField.text, seconds);
        else if (root.action === "mute")
            Moderation.mute(root.roomId, root.user, reasonField.text, seconds);
        else
            Moderation.kick(root.roomId, root.user, reasonField.text);
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 10
        Label {
            Layout.fillWidth: true
            text: root.action === "ban"
                ? qsTr("%1 leaves the channel and cannot join again until the ban ends.").arg(root.user)
                : root.action === "mute"
                ? qsTr("%1 stays in the channel and can read it, but cannot write.").arg(root.user)
                : qsTr("%1 leaves the channel and can join again or be invited again.").arg(root.user)
            wrapMode: Text.Wrap
            color: Theme.mutedText
        }
        TextField {
            id: reasonField
            objectName: "sanctionReasonField"
            Layout.fillWidth: true
            maximumLength: 512
            placeholderText: qsTr("Reason (optional, everyone sees it)")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Reason")
            onAccepted: root.accept()
        }
        ComboBox {
            id: durationBox
            objectName: "sanctionDuration"
            Layout.fillWidth: true
            visible: root.action !== "kick"
            textRole: "label"
            model: [
                { label: qsTr("For 1 hour"), seconds: 3600 },
                { label: qsTr("For 1 day"), seconds: 86400 },
                { label: qsTr("For 1 week"), seconds: 604800 },
                { label: qsTr("Until lifted"), seconds: 0 }
            ]
            Accessible.role: Accessible.ComboBox
            Accessible.name: qsTr("Duration")
        }
    }

    footer: DialogButtons {
        dialog: root
        acceptText: root.action === "ban" ? qsTr("Ban")
            : root.action === "mute" ? qsTr("Mute") : qsTr("Remove")
    }
}
