// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import Confab
import Confab.Client

// The current room's messages. Scrolling rules: at the bottom, new messages keep the view
// at the bottom; scrolled up, the view stays put and "Jump to latest" counts what arrived;
// near the top, older messages load and the message that was at the top stays there.
Item {
    id: root

    readonly property TimelineModel timeline: Session.timeline
    readonly property alias view: list
    // Follow new messages only while the user is at the bottom.
    property bool atBottom: true
    property int newSinceScrolledUp: 0
    // The seq at the top of the view while older messages load (0: none pending).
    property real anchorSeq: 0
    // A room was opened: place the view once its messages are there.
    property bool initialPlacementPending: true
    readonly property bool windowActive: root.Window.active
    readonly property bool userScrolling: list.moving || scrollBar.pressed

    onWindowActiveChanged: readTimer.restart()

    function distanceFromBottom(): real {
        return list.contentHeight + list.originY - list.contentY - list.height;
    }

    function updateAtBottom() {
        const bottom = root.distanceFromBottom() < 40;
        if (bottom !== root.atBottom)
            root.atBottom = bottom;
        if (bottom)
            root.newSinceScrolledUp = 0;
    }

    function scrollToBottom() {
        list.positionViewAtEnd();
        root.atBottom = true;
        root.newSinceScrolledUp = 0;
    }

    // Opening a room shows the "new messages" line if it is above the last screenful.
    function placeInitially() {
        // Not before the view has its size: placed while hidden, it would sit at the top.
        if (!root.timeline || list.count === 0 || list.height <= 0)
            return;
        root.initialPlacementPending = false;
        list.positionViewAtEnd();
        const firstUnread = root.timeline.firstUnreadRow();
        const topRow = list.indexAt(10, list.contentY + 1);
        if (firstUnread >= 0 && topRow >= 0 && firstUnread < topRow)
            list.positionViewAtIndex(firstUnread, ListView.Beginning);
        root.atBottom = root.distanceFromBottom() < 40;
        root.newSinceScrolledUp = 0;
        readTimer.restart();
    }

    function maybeLoadOlder() {
        if (!root.timeline || !root.timeline.hasMoreBefore || Session.loadingOlder
                || root.initialPlacementPending || list.count === 0 || list.height <= 0)
            return;
        if (list.contentY - list.originY > list.height)
            return;
        // At the bottom (a short room), the bottom is what stays in place after the insert.
        if (!root.atBottom) {
            const topRow = list.indexAt(10, list.contentY + 1);
            root.anchorSeq = root.timeline.seqAt(topRow >= 0 ? topRow : 0);
        }
        Session.loadOlder();
    }

    function restoreAnchor() {
        if (root.anchorSeq <= 0 || !root.timeline)
            return;
        const row = root.timeline.rowForSeq(root.anchorSeq);
        root.anchorSeq = 0;
        if (row >= 0)
            list.positionViewAtIndex(row, ListView.Beginning);
    }

    // The highest seq on screen, reported only while the user can actually see it.
    function reportRead() {
        if (!root.timeline || !root.windowActive || list.count === 0)
            return;
        let row = list.indexAt(10, list.contentY + list.height - 2);
        if (row < 0)
            row = root.distanceFromBottom() <= 1 ? list.count - 1 : -1;
        const topRow = Math.max(0, list.indexAt(10, list.contentY + 1));
        for (; row >= topRow; --row) {
            const seq = root.timeline.seqAt(row);
            if (seq > 0) {
                Session.markRead(seq);
                return;
            }
        }
    }

    onTimelineChanged: {
        list.currentIndex = -1;
        root.atBottom = true;
        root.newSinceScrolledUp = 0;
        root.anchorSeq = 0;
        root.initialPlacementPending = true;
        placeTimer.restart();
    }

    Connections {
        target: root.timeline
        function onRowsInserted(parent, first: int, last: int) {
            if (root.initialPlacementPending) {
                placeTimer.restart();
            } else if (first === 0 && root.anchorSeq > 0) {
                anchorTimer.restart();
            } else if (root.atBottom) {
                // New messages, or an older page above a view that shows the bottom.
                bottomTimer.restart();
            } else if (first > 0) {
                root.newSinceScrolledUp += last - first + 1;
            }
            readTimer.restart();
        }
    }
    Connections {
        target: Session
        function onLoadingOlderChanged() {
            // A page that added nothing (or failed) must not leave a stale anchor behind.
            if (!Session.loadingOlder)
                anchorTimer.restart();
        }
    }

    // Model signals arrive before the ListView has laid out the change: act just after.
    Timer {
        id: placeTimer
        interval: 0
        onTriggered: root.placeInitially()
    }
    Timer {
        id: anchorTimer
        interval: 0
        onTriggered: root.restoreAnchor()
    }
    Timer {
        id: bottomTimer
        interval: 0
        onTriggered: {
            if (root.atBottom)
                root.scrollToBottom();
        }
    }
    Timer {
        id: readTimer
        interval: 500
        onTriggered: root.reportRead()
    }

    ListView {
        id: list
        objectName: "timelineView"
        anchors.fill: parent
        // Until the view has a size, a model would make it create a delegate for every row
        // (501 from the cache at start-up instead of the ~50 on screen: ~0.5 s and ~100 MiB).
        model: list.width > 0 && list.height > 0 ? root.timeline : null
        // No current item: ListView would otherwise scroll back to row 0 to show it
        // whenever the model changes.
        currentIndex: -1
        highlightFollowsCurrentItem: false
        clip: true
        reuseItems: true
        boundsBehavior: Flickable.StopAtBounds
        cacheBuffer: 800
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages in %1").arg(Session.currentRoomName)

        // From the URL, not inline: Qt 6.4's views give header items a context of their
        // own, which components bound to this file refuse.
        header: Qt.createComponent(Qt.resolvedUrl("TimelineStart.qml"))

        delegate: MessageDelegate {
            width: ListView.view.width
        }

        // Only the user's scrolling (wheel, drag, scroll bar) decides whether the view
        // follows new messages. Layout moves contentY too (delegates replacing estimated
        // heights); those must not unpin the view, and a pinned view is re-pinned after them.
        onContentYChanged: {
            if (root.userScrolling)
                root.updateAtBottom();
            root.maybeLoadOlder();
            readTimer.restart();
        }
        onMovementEnded: root.updateAtBottom()
        onContentHeightChanged: {
            if (root.atBottom && !root.initialPlacementPending && !root.userScrolling)
                bottomTimer.restart();
        }
        onHeightChanged: {
            if (root.initialPlacementPending)
                placeTimer.restart();
            else if (root.atBottom)
                bottomTimer.restart();
        }

        ScrollBar.vertical: ScrollBar {
            id: scrollBar
            objectName: "timelineScrollBar"
            Accessible.role: Accessible.ScrollBar
            Accessible.name: qsTr("Scroll messages")
        }
    }

    BusyIndicator {
        anchors.top: parent.top
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.topMargin: 8
        running: Session.loadingOlder
        visible: running
        Accessible.name: qsTr("Loading older messages")
    }

    RoundButton {
        id: jumpButton
        objectName: "jumpToLatestButton"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        visible: !root.atBottom && list.count > 0
        highlighted: root.newSinceScrolledUp > 0
        icon.source: "qrc:/Confab/icons/down.svg"
        icon.color: jumpButton.highlighted ? (Theme.dark ? "#10131a" : "#ffffff") : Theme.text
        Material.foreground: jumpButton.highlighted ? (Theme.dark ? "#10131a" : "#ffffff") : Theme.text
        // Plain fill: Material's is drawn through a shader the software renderer drops.
        background: Rectangle {
            implicitHeight: 40
            radius: height / 2
            color: jumpButton.highlighted ? Theme.accent : Theme.window
            border.color: jumpButton.highlighted ? Theme.accent : Theme.divider
        }
        text: root.newSinceScrolledUp > 0
            ? qsTr("%n new message(s)", "", root.newSinceScrolledUp)
            : qsTr("Jump to latest")
        Accessible.role: Accessible.Button
        Accessible.name: root.newSinceScrolledUp > 0
            ? qsTr("Jump to latest, %n new message(s)", "", root.newSinceScrolledUp)
            : qsTr("Jump to latest")
        onClicked: root.scrollToBottom()
    }
}
