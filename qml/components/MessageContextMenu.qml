// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Confab
import Confab.Client

// What can be done with one message. The timeline owns one of these and opens it for the
// row that was right-clicked (or the focused row, with the Menu key or Shift+F10), telling
// it the message's text as written and the link under the pointer; rows keep nothing.
Menu {
    id: root
    objectName: "messageContextMenu"

    // Material's menu background is drawn with a shader effect that the software renderer
    // (which the app picks where GL is software) leaves out: the items would float.
    background: PopupBackground {
        implicitWidth: 200
    }

    // The message as written (TimelineModel's text role), not the HTML it is drawn from.
    property string messageText
    // The link under the pointer, or empty.
    property string link
    // The message: its seq (0: not stored yet), whether it is the user's own, and whether
    // it takes changes (stored, not deleted, the server has `conversations`).
    property real seq: 0
    property bool own: false
    property bool actionable: false

    // React and Delete need the timeline (its emoji picker, its confirmation).
    signal reactRequested(real seq)
    signal deleteRequested(real seq)

    // Opens at (x, y) in parentItem; by keyboard the first action is highlighted, so
    // Enter copies.
    function openFor(parentItem: Item, x: real, y: real, messageText: string, link: string,
                     byKeyboard: bool, seq: real, own: bool, actionable: bool) {
        root.messageText = messageText;
        root.link = link;
        root.seq = seq;
        root.own = own;
        root.actionable = actionable;
        root.popup(parentItem, x, y);
        if (byKeyboard)
            root.currentIndex = 0;
    }

    function copyText() {
        Clipboard.setText(root.messageText);
        root.close();
    }

    function copyLink() {
        Clipboard.setText(root.link);
        root.close();
    }

    MenuItem {
        objectName: "copyTextMenuItem"
        text: qsTr("Copy text")
        Accessible.role: Accessible.MenuItem
        Accessible.name: text
        onTriggered: root.copyText()
        Keys.onReturnPressed: root.copyText()
        Keys.onEnterPressed: root.copyText()
    }
    MenuItem {
        objectName: "copyLinkMenuItem"
        // Shown only on a link; kept in place so the menu's order does not change.
        visible: root.link.length > 0
        height: visible ? implicitHeight : 0
        text: qsTr("Copy link address")
        Accessible.role: Accessible.MenuItem
        Accessible.name: text
        onTriggered: root.copyLink()
        Keys.onReturnPressed: root.copyLink()
        Keys.onEnterPressed: root.copyLink()
    }
    MenuItem {
        objectName: "copyMessageLinkMenuItem"
        visible: root.seq > 0
        height: visible ? implicitHeight : 0
        text: qsTr("Copy link to message")
        Accessible.role: Accessible.MenuItem
        Accessible.name: text
        onTriggered: MessageActions.copyLink(root.seq)
    }
    MenuSeparator {
        visible: root.actionable
        height: visible ? implicitHeight : 0
    }
    MenuItem {
        objectName: "replyMenuItem"
        visible: root.actionable
        height: visible ? implicitHeight : 0
        text: qsTr("Reply")
        Accessible.role: Accessible.MenuItem
        Accessible.name: text
        onTriggered: MessageActions.startReply(root.seq)
    }
    MenuItem {
        objectName: "reactMenuItem"
        visible: root.actionable
        height: visible ? implicitHeight : 0
        text: qsTr("React…")
        Accessible.role: Accessible.MenuItem
        Accessible.name: qsTr("React")
        onTriggered: root.reactRequested(root.seq)
    }
    MenuItem {
        objectName: "editMenuItem"
        visible: root.actionable && root.own
        height: visible ? implicitHeight : 0
        text: qsTr("Edit")
        Accessible.role: Accessible.MenuItem
        Accessible.name: text
        onTriggered: MessageActions.startEdit(root.seq)
    }
    MenuItem {
        objectName: "deleteMenuItem"
        visible: root.actionable && root.own
        height: visible ? implicitHeight : 0
        text: qsTr("Delete…")
        Accessible.role: Accessible.MenuItem
        Accessible.name: qsTr("Delete")
        onTriggered: root.deleteRequested(root.seq)
    }
}
