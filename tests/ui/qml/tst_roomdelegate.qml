// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtTest
import Confab

// A sidebar row: badges for unread messages and mentions, the accessible text.
Item {
    id: root
    width: 260
    height: 100

    Component {
        id: rowComponent
        RoomDelegate {
            width: root.width
            roomId: 5
            name: "general"
            isDirect: false
            isGroup: false
            isPrivate: false
            unread: 0
            mentions: 0
            quiet: false
            muted: false
            accessibleText: "general"
        }
    }

    TestCase {
        name: "RoomDelegate"
        when: windowShown

        function test_noBadgesWhenRead() {
            const row = createTemporaryObject(rowComponent, root);
            verify(!findChild(row, "unreadBadge").visible);
            verify(!findChild(row, "mentionBadge").visible);
            compare(row.Accessible.name, "general");
            compare(row.Accessible.role, Accessible.ListItem);
        }

        // §18.4: a group is marked as several people, not with a direct room's "@".
        function test_groupMark() {
            const channel = createTemporaryObject(rowComponent, root);
            const group = createTemporaryObject(rowComponent, root,
                { isDirect: true, isGroup: true, name: "bob, carol" });
            verify(findChild(channel, "roomKindMark").visible);
            verify(!findChild(channel, "groupRoomMark").visible);
            verify(!findChild(group, "roomKindMark").visible);
            verify(findChild(group, "groupRoomMark").visible);
            compare(findChild(group, "roomRowName").text, "bob, carol");
        }

        function test_badges() {
            const row = createTemporaryObject(rowComponent, root,
                { unread: 3, mentions: 1, accessibleText: "general, 3 unread, 1 mention" });
            const unread = findChild(row, "unreadBadge");
            const mention = findChild(row, "mentionBadge");
            verify(unread.visible);
            compare(unread.text, "3");
            verify(mention.visible);
            compare(mention.text, "@1");
            compare(row.Accessible.name, "general, 3 unread, 1 mention");
        }

        // §18.3: the model's quiet greys the unread count (and the bold name); muted greys
        // mentions too.
        function test_quietLevelsGreyTheirCounts() {
            const loud = createTemporaryObject(rowComponent, root, { unread: 3, mentions: 1 });
            const quiet = createTemporaryObject(rowComponent, root,
                { unread: 3, mentions: 1, quiet: true });
            const silent = createTemporaryObject(rowComponent, root,
                { unread: 3, mentions: 1, quiet: true, muted: true });
            const unreadOf = row => findChild(row, "unreadBadge");
            const mentionOf = row => findChild(row, "mentionBadge");
            verify(unreadOf(quiet).visible);
            compare(unreadOf(quiet).text, "3");
            verify(!Qt.colorEqual(unreadOf(quiet).color, unreadOf(loud).color));
            verify(Qt.colorEqual(mentionOf(quiet).color, mentionOf(loud).color));
            verify(!Qt.colorEqual(mentionOf(silent).color, mentionOf(loud).color));
            verify(Qt.colorEqual(unreadOf(silent).color, unreadOf(quiet).color));
            const nameOf = row => findChild(row, "roomRowName");
            verify(nameOf(loud).font.bold);
            verify(!nameOf(quiet).font.bold);
        }

        function test_bigCountsAreCapped() {
            const row = createTemporaryObject(rowComponent, root, { unread: 10000, mentions: 150 });
            compare(findChild(row, "unreadBadge").text, "999+");
            compare(findChild(row, "mentionBadge").text, "@99+");
        }

        function test_clickSignals() {
            const row = createTemporaryObject(rowComponent, root);
            const spy = createTemporaryObject(signalSpy, root, { target: row, signalName: "clicked" });
            mouseClick(row);
            compare(spy.count, 1);
        }
    }

    Component {
        id: signalSpy
        SignalSpy {}
    }
}
