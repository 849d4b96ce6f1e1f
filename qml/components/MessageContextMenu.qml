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

    // Opens at (x, y) in parentItem; by keyboard the first action is highlighted, so
    // Enter copies.
    function openFor(parentItem: Item, x: real, y: real, messageText: string, link: string,
                     byKeyboard: bool) {
        root.messageText = messageText;
        root.link = link;
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
    // Actions on the message itself (Reply, Edit, Delete, …) go here, below a
    // MenuSeparator, each enabled from what openFor() is told about the row (own message,
    // delivered); the timeline passes those from the row's roles.
}
