// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import Confab
import Confab.Client

// The keyboard in the timeline. One Tab stop: Up/Down move from message to message, the
// Menu key (or Shift+F10) asks for the message's menu, Ctrl+C copies the message, and text
// typed goes to the composer. The timeline's ListView hands its keys to handleKey().
QtObject {
    id: keyboard

    required property ListView view
    property TimelineModel timeline: null
    // The keyboard's place, by seq so that an older page loading above does not move it
    // (0: none). Messages still being sent have no seq: it skips them.
    property real seq: 0

    // The view moved to show the keyboard's row.
    signal moved()
    // The Menu key: the menu of the message on row().
    signal menuRequested()
    signal textTyped(string text)

    // The row the keyboard is on, or -1.
    function row(): int {
        return keyboard.seq > 0 && keyboard.timeline ? keyboard.timeline.rowForSeq(keyboard.seq) : -1;
    }

    // Focus arriving: the keyboard starts on the last message on screen unless it is on one.
    function toScreen() {
        const list = keyboard.view;
        if (!keyboard.timeline || list.count === 0)
            return;
        const current = keyboard.row();
        const top = list.indexAt(10, list.contentY + 1);
        let bottom = list.indexAt(10, list.contentY + list.height - 2);
        if (bottom < 0)
            bottom = list.count - 1;
        if (current >= 0 && current >= top && current <= bottom)
            return;
        for (let r = bottom; r >= 0; --r) {
            if (keyboard.timeline.seqAt(r) > 0) {
                keyboard.seq = keyboard.timeline.seqAt(r);
                return;
            }
        }
    }

    function move(step: int) {
        const list = keyboard.view;
        if (!keyboard.timeline || list.count === 0)
            return;
        let next = keyboard.row();
        if (next < 0) {
            keyboard.toScreen();
            next = keyboard.row();
        } else {
            next += step;
        }
        while (next >= 0 && next < list.count && keyboard.timeline.seqAt(next) <= 0)
            next += step;
        if (next < 0 || next >= list.count)
            return;
        keyboard.seq = keyboard.timeline.seqAt(next);
        list.positionViewAtIndex(next, ListView.Contain);
        keyboard.moved();
    }

    function handleKey(event: var) {
        // Ctrl+C (Qt maps the Mac's Command key to it).
        if (event.key === Qt.Key_C && event.modifiers === Qt.ControlModifier) {
            const item = keyboard.view.itemAtIndex(keyboard.row()) as MessageDelegate;
            if (item)
                Clipboard.setText(item.text);
        } else if (event.modifiers & (Qt.AltModifier | Qt.ControlModifier)) {
            return;
        } else if (event.key === Qt.Key_Up || event.key === Qt.Key_Down) {
            keyboard.move(event.key === Qt.Key_Up ? -1 : 1);
        } else if (event.key === Qt.Key_Menu
                   || (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier))) {
            keyboard.menuRequested();
        } else if (event.text.length > 0 && event.text.charCodeAt(0) >= 32
                   && event.text.charCodeAt(0) !== 127) {
            // Typing after clicking a message (to select or copy it) is writing a message.
            keyboard.textTyped(event.text);
        } else {
            return;
        }
        event.accepted = true;
    }
}
