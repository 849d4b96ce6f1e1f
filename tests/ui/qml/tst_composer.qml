// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtTest
import Confab
import Confab.Client

// The composer: Enter sends, Shift+Enter is a new line, blank text and text over the
// server's byte limit are not sent, the remaining bytes appear near the limit.
Item {
    id: root
    width: 600
    height: 200

    Composer {
        id: composer
        width: root.width
    }
    SignalSpy {
        id: sendSpy
        target: composer
        signalName: "sendRequested"
    }

    TestCase {
        name: "Composer"
        when: windowShown

        function typeText(text: string) {
            for (let i = 0; i < text.length; ++i)
                keyClick(text.charAt(i));
        }

        function init() {
            composer.text = "";
            sendSpy.clear();
            composer.focusInput();
            tryVerify(() => composer.input.activeFocus);
        }

        function test_enterSends() {
            typeText("hi there");
            compare(composer.text, "hi there");
            keyClick(Qt.Key_Return);
            compare(sendSpy.count, 1);
            compare(sendSpy.signalArguments[0][0], "hi there");
            compare(composer.text, "", "the composer is emptied after sending");
        }

        function test_keypadEnterSends() {
            typeText("x");
            keyClick(Qt.Key_Enter);
            compare(sendSpy.count, 1);
        }

        function test_shiftEnterIsNewLine() {
            typeText("one");
            keyClick(Qt.Key_Return, Qt.ShiftModifier);
            typeText("two");
            compare(sendSpy.count, 0);
            compare(composer.text, "one\ntwo");
            keyClick(Qt.Key_Return);
            compare(sendSpy.count, 1);
            compare(sendSpy.signalArguments[0][0], "one\ntwo");
        }

        function test_blankIsNotSent() {
            typeText("   ");
            keyClick(Qt.Key_Return);
            compare(sendSpy.count, 0);
            const send = findChild(composer, "sendButton");
            verify(send);
            verify(!send.enabled);
        }

        function test_sendButton() {
            typeText("by mouse");
            const send = findChild(composer, "sendButton");
            verify(send.enabled);
            mouseClick(send);
            compare(sendSpy.count, 1);
            compare(sendSpy.signalArguments[0][0], "by mouse");
        }

        function test_limit() {
            const max = MessageSender.maxTextBytes;
            verify(max > 100, "the session knows the server's limit: " + max);
            const limitLabel = findChild(composer, "limitLabel");
            const send = findChild(composer, "sendButton");

            composer.text = "short";
            verify(!limitLabel.visible, "no counter far from the limit");

            // "é" is two bytes in UTF-8: the counter counts bytes, not characters.
            composer.text = "é".repeat(max / 2 - 5);
            compare(composer.remaining, 10);
            verify(limitLabel.visible);
            verify(limitLabel.text.indexOf("10") >= 0, limitLabel.text);
            verify(send.enabled);

            composer.text = "x".repeat(max + 3);
            compare(composer.remaining, -3);
            verify(limitLabel.text.indexOf("3") >= 0, limitLabel.text);
            verify(!send.enabled);
            composer.focusInput();
            keyClick(Qt.Key_Return);
            compare(sendSpy.count, 0, "text over the limit is not sent");
            verify(composer.text.length > 0, "and is kept for editing");
        }
    }
}
