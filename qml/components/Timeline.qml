// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// The current room's messages. Scrolling rules: at the bottom, new messages keep the view
// at the bottom; scrolled up, the view stays put and "Jump to latest" counts what arrived;
// near the top, older messages load and the message that was at the top stays there.
Item {
    id: root

    readonly property TimelineModel timeline: CurrentRoom.timeline
    readonly property alias view: list
    // Text typed while the timeline (or a message in it) has the keyboard: the page puts
    // it in the composer.
    signal textTyped(string text)

    // The keyboard's place in the timeline (TimelineKeyboard.seq).
    property alias keyboardSeq: keyboard.seq
    // Follow new messages only while the user is at the bottom.
    property bool atBottom: true
    property int newSinceScrolledUp: 0
    // The seq at the top of the view while older messages load (0: none pending).
    property real anchorSeq: 0
    // A room was opened: place the view once its messages are there.
    property bool initialPlacementPending: true
    // The user moved the view since it was placed: a later landing must not move it back.
    property bool userScrolledSincePlacement: false
    // A jump (MessageActions.jumpTo) waits for the room's first placement: placed there.
    property real jumpSeq: 0
    readonly property bool windowActive: root.Window.active
    readonly property bool userScrolling: list.moving || scrollBar.pressed

    onWindowActiveChanged: readTimer.restart()
    Component.onCompleted: root.updateModel()

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
        if (!root.timeline || list.count === 0 || list.height <= 0 || root.timeline.landingPending)
            return;
        root.initialPlacementPending = false;
        root.userScrolledSincePlacement = false;
        if (root.jumpSeq > 0) {
            const seq = root.jumpSeq;
            root.jumpSeq = 0;
            root.showMessage(seq);
            return;
        }
        // The first unread row at the top; ListView stops at the end when the unread rows
        // fit in the last screenful, so that case lands at the bottom by itself.
        const firstUnread = root.timeline.firstUnreadRow();
        if (firstUnread >= 0)
            list.positionViewAtIndex(firstUnread, ListView.Beginning);
        else
            list.positionViewAtEnd();
        root.atBottom = root.distanceFromBottom() < 40;
        root.newSinceScrolledUp = 0;
        readTimer.restart();
    }

    // A jump's message in the middle of the view; the view no longer follows the bottom.
    function showMessage(seq: real) {
        const row = root.timeline ? root.timeline.rowForSeq(seq) : -1;
        if (row < 0)
            return;
        list.positionViewAtIndex(row, ListView.Center);
        root.userScrolledSincePlacement = true;
        root.keyboardSeq = seq;
        root.updateAtBottom();
        readTimer.restart();
    }

    function maybeLoadOlder() {
        if (!root.timeline || !root.timeline.hasMoreBefore || CurrentRoom.loadingOlder
                || root.initialPlacementPending || list.count === 0 || list.height <= 0)
            return;
        if (list.contentY - list.originY > list.height)
            return;
        // At the bottom (a short room), the bottom is what stays in place after the insert.
        if (!root.atBottom) {
            const topRow = list.indexAt(10, list.contentY + 1);
            root.anchorSeq = root.timeline.seqAt(topRow >= 0 ? topRow : 0);
        }
        CurrentRoom.loadOlder();
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
        // Not before the view is placed: rows it passes on the way were never shown.
        if (!root.timeline || !root.windowActive || list.count === 0 || root.initialPlacementPending)
            return;
        let row = list.indexAt(10, list.contentY + list.height - 2);
        if (row < 0)
            row = root.distanceFromBottom() <= 1 ? list.count - 1 : -1;
        const topRow = Math.max(0, list.indexAt(10, list.contentY + 1));
        for (; row >= topRow; --row) {
            const seq = root.timeline.seqAt(row);
            if (seq > 0) {
                CurrentRoom.markRead(seq);
                return;
            }
        }
    }

    // The view gets the room's model only once it has a size: without one it would create a
    // delegate for every row (501 from the cache at start-up instead of the ~50 on screen).
    function updateModel() {
        const next = list.width > 0 && list.height > 0 ? root.timeline : null;
        if (list.model === next)
            return;
        // Qt 6.4 hands delegates pooled for the previous room's model to the next model
        // without refreshing all of their roles: another room's rows, out of order, showed
        // in this one (issue 10). Turning reuse off drains the pool and lets the delegates
        // on screen go; reuse within one room is kept.
        list.reuseItems = false;
        list.model = next;
        list.reuseItems = true;
    }

    onTimelineChanged: {
        root.updateModel();
        list.currentIndex = -1;
        root.keyboardSeq = 0;
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
            } else if (root.atBottom || (first === last && root.timeline.seqAt(first) === 0)) {
                // New messages, or an older page above a view that shows the bottom; or
                // the user's own message just written (unsent rows have no seq): the view
                // goes down to it wherever it was.
                root.atBottom = true;
                bottomTimer.restart();
            } else if (first > 0) {
                root.newSinceScrolledUp += last - first + 1;
            }
            readTimer.restart();
        }
        function onLandingPendingChanged() {
            if (root.initialPlacementPending)
                placeTimer.restart();
        }
    }
    Connections {
        target: MessageActions
        function onJumpReady(seq: real) {
            // The rows a jump loaded above must not pull a view that was at the bottom
            // back down (bottomTimer checks this).
            root.atBottom = false;
            root.jumpSeq = seq;
            if (root.initialPlacementPending)
                placeTimer.restart();
            else
                jumpTimer.restart();
        }
    }
    Connections {
        target: CurrentRoom
        function onLandingRequested() {
            if (root.userScrolledSincePlacement)
                return;
            root.initialPlacementPending = true;
            placeTimer.restart();
        }
        function onLoadingOlderChanged() {
            // A page that added nothing (or failed) must not leave a stale anchor behind.
            if (!CurrentRoom.loadingOlder)
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
        id: jumpTimer
        interval: 0
        onTriggered: {
            const seq = root.jumpSeq;
            root.jumpSeq = 0;
            root.showMessage(seq);
        }
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
        // Set by root.updateModel(), never bound: see there.
        model: null
        // No current item: ListView would otherwise scroll back to row 0 to show it
        // whenever the model changes.
        currentIndex: -1
        highlightFollowsCurrentItem: false
        clip: true
        reuseItems: true
        boundsBehavior: Flickable.StopAtBounds
        cacheBuffer: 800
        Accessible.role: Accessible.List
        // A 1:1 room is heard by the other user's display name, as its header shows it.
        Accessible.name: qsTr("Messages in %1").arg(CurrentRoom.direct && !CurrentRoom.group
            ? (Profiles.revision, Profiles.displayName(CurrentRoom.name)) : CurrentRoom.name)

        // From the URL, not inline: Qt 6.4's views give header items a context of their
        // own, which components bound to this file refuse.
        // Parented to the list, so the JavaScript collector never deletes it under the view
        // (see RoomSidebar.qml's section delegate).
        header: Qt.createComponent(Qt.resolvedUrl("TimelineStart.qml"), Component.PreferSynchronous,
                                   list)

        delegate: MessageDelegate {
            id: row
            width: ListView.view.width
            keyboardFocused: list.activeFocus && row.seq > 0 && row.seq === root.keyboardSeq
            onContextMenuRequested: (position, link) => {
                const at = row.mapToItem(root, position.x, position.y);
                messageMenu.openFor(root, at.x, at.y, row.text, link, false, row.seq, row.isOwn,
                                    row.actionable);
            }
            onReactRequested: (anchor) => root.openReactionPicker(row.seq, anchor)
            onDeleteRequested: root.confirmDelete(row.seq)
            onImageClicked: (attachment) => fileActions.openImage(attachment)
            onSaveClicked: (attachment) => fileActions.save(attachment)
        }

        // One Tab stop: Up/Down move from message to message, the Menu key (or
        // Shift+F10) opens the message's menu, Ctrl+C copies the message.
        activeFocusOnTab: true
        keyNavigationEnabled: false
        onActiveFocusChanged: {
            if (list.activeFocus)
                keyboard.toScreen();
        }
        Keys.onPressed: (event) => keyboard.handleKey(event)

        // Only the user's scrolling (wheel, drag, scroll bar) decides whether the view
        // follows new messages. Layout moves contentY too (delegates replacing estimated
        // heights); those must not unpin the view, and a pinned view is re-pinned after them.
        onContentYChanged: {
            if (root.userScrolling) {
                root.updateAtBottom();
                root.userScrolledSincePlacement = true;
            }
            root.maybeLoadOlder();
            readTimer.restart();
        }
        onMovementEnded: root.updateAtBottom()
        onContentHeightChanged: {
            if (root.atBottom && !root.initialPlacementPending && !root.userScrolling)
                bottomTimer.restart();
        }
        onWidthChanged: root.updateModel()
        onHeightChanged: {
            root.updateModel();
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

    // The menu of the message the keyboard is on, below its first line.
    function openKeyboardMenu() {
        const row = keyboard.row();
        if (row < 0)
            return;
        list.positionViewAtIndex(row, ListView.Contain);
        const item = list.itemAtIndex(row) as MessageDelegate;
        if (!item)
            return;
        const at = item.mapToItem(root, Theme.avatarSize + 28, Math.min(item.height, 32));
        messageMenu.openFor(root, at.x, at.y, item.text, "", true, item.seq, item.isOwn,
                            item.actionable);
    }

    TimelineKeyboard {
        id: keyboard
        view: list
        timeline: root.timeline
        onMoved: root.updateAtBottom()
        onMenuRequested: root.openKeyboardMenu()
        onTextTyped: (text) => root.textTyped(text)
    }

    MessageContextMenu {
        id: messageMenu
        onReactRequested: (seq) => root.openReactionPicker(seq, null)
        onDeleteRequested: (seq) => root.confirmDelete(seq)
    }

    // The emoji picker for reactions and the question before a deletion.
    TimelineActions {
        id: timelineActions
        anchors.fill: parent
    }
    // The image viewer and the save dialog.
    TimelineFileActions {
        id: fileActions
        anchors.fill: parent
    }
    function openReactionPicker(seq: real, anchor: var) {
        timelineActions.openReactionPicker(seq);
    }
    function confirmDelete(seq: real) {
        timelineActions.confirmDelete(seq);
    }

    BusyIndicator {
        anchors.top: parent.top
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.topMargin: 8
        running: CurrentRoom.loadingOlder
        visible: running
        Accessible.name: qsTr("Loading older messages")
    }

    JumpToLatestButton {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        visible: !root.atBottom && list.count > 0
        newCount: root.newSinceScrolledUp
        onClicked: root.scrollToBottom()
    }
}
