// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtTest
import Confab
import Confab.Client

// The emoji picker: typing filters by name, arrows move, Enter picks and the pick becomes
// the first recently used emoji, Esc closes without picking.
Item {
    id: root
    width: 600
    height: 500

    EmojiPicker {
        id: picker
    }
    Composer {
        id: composer
        y: root.height - composer.height
        width: root.width
    }
    SignalSpy {
        id: pickedSpy
        target: picker
        signalName: "picked"
    }

    TestCase {
        name: "EmojiPicker"
        when: windowShown

        function typeText(text: string) {
            for (let i = 0; i < text.length; ++i)
                keyClick(text.charAt(i));
        }

        function grid() {
            return findChild(picker.contentItem, "emojiGrid");
        }

        function init() {
            pickedSpy.clear();
            AppSettings.recentEmoji = [];
            picker.open();
            tryVerify(() => picker.opened);
            tryVerify(() => findChild(picker.contentItem, "emojiSearchField").activeFocus);
        }

        function cleanup() {
            picker.close();
            tryVerify(() => !picker.visible);
        }

        function test_searchAndEnterPicks() {
            typeText("thumbs");
            tryCompare(grid(), "count", 2);
            compare(findChild(picker.contentItem, "emojiName").text, "thumbs up");
            keyClick(Qt.Key_Right); // the field has text: the cursor moves, not the grid
            compare(grid().currentIndex, 0);
            keyClick(Qt.Key_Down); // one row down: past the last, stays on the last
            compare(grid().currentIndex, 1);
            compare(findChild(picker.contentItem, "emojiName").text, "thumbs down");
            keyClick(Qt.Key_Return);
            compare(pickedSpy.count, 1);
            compare(pickedSpy.signalArguments[0][0], "👎");
            tryVerify(() => !picker.visible);
            compare(AppSettings.recentEmoji[0], "👎");

            // Open again: the pick is the first cell, in the "Recently used" part.
            picker.open();
            tryVerify(() => picker.opened);
            compare(grid().currentIndex, 0);
            compare(findChild(picker.contentItem, "emojiSectionLabel").text, "Recently used");
            compare(findChild(picker.contentItem, "emojiName").text, "thumbs down");
            keyClick(Qt.Key_Right);
            compare(findChild(picker.contentItem, "emojiSectionLabel").text, "Smileys & Emotion");
            compare(findChild(picker.contentItem, "emojiName").text, "grinning face");
        }

        function test_arrowsInTheGrid() {
            keyClick(Qt.Key_Right);
            keyClick(Qt.Key_Right);
            compare(grid().currentIndex, 2);
            keyClick(Qt.Key_Down);
            compare(grid().currentIndex, 2 + picker.columns);
            keyClick(Qt.Key_Left);
            keyClick(Qt.Key_Up);
            compare(grid().currentIndex, 1);
            keyClick(Qt.Key_Enter);
            compare(pickedSpy.count, 1);
            compare(pickedSpy.signalArguments[0][0], "😃");
        }

        function test_escapeCloses() {
            typeText("cat");
            keyClick(Qt.Key_Escape);
            tryVerify(() => !picker.visible);
            compare(pickedSpy.count, 0);
        }

        function test_clickPicks() {
            typeText(":party popper");
            tryCompare(grid(), "count", 1);
            const cell = grid().itemAtIndex(0);
            verify(cell);
            compare(cell.Accessible.name, "party popper");
            mouseClick(cell);
            compare(pickedSpy.count, 1);
            compare(pickedSpy.signalArguments[0][0], "🎉");
        }
    }

    TestCase {
        name: "ComposerEmoji"
        when: windowShown

        function test_buttonInsertsAtTheCursor() {
            composer.text = "nice ";
            composer.focusInput();
            composer.input.cursorPosition = composer.text.length;
            const button = findChild(composer, "emojiButton");
            verify(button);
            mouseClick(button);
            let picker = null;
            tryVerify(() => {
                picker = findChild(composer, "emojiPicker");
                return picker !== null && picker.opened;
            });
            tryVerify(() => findChild(picker.contentItem, "emojiSearchField").activeFocus);
            for (const c of "thumbs up")
                keyClick(c);
            keyClick(Qt.Key_Return);
            tryVerify(() => !picker.visible);
            compare(composer.text, "nice 👍");
            tryVerify(() => composer.input.activeFocus, 1000, "typing goes on in the composer");
        }
    }
}
