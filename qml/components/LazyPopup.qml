// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick

// A dialog or popup created the first time it is opened, not with the page: the chat
// page's seven dialogs cost ~50 ms of the start before the first painted timeline, and
// most sessions open none of them. Fill the page with it, so the popup's parent has the
// page's size. (Not a Loader: Qt 6.4's Loader leaves `item` null for a Popup.)
Item {
    id: root

    // The popup's QML file, resolved by the page that declares this.
    property url source
    // The dialog once created (its own type, a Popup).
    property var popup: null

    // The popup, created now if it was not yet (null if its file failed to load): for
    // popups that are told what to show before they open.
    function create(): var {
        if (!root.popup) {
            const component = Qt.createComponent(root.source, Component.PreferSynchronous, root);
            if (component.status !== Component.Ready) {
                console.warn(component.errorString());
                return null;
            }
            root.popup = component.createObject(root);
        }
        return root.popup;
    }

    function open() {
        if (root.create())
            root.popup.open();
    }
}
