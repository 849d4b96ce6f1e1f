// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import Confab
import Confab.Client

// Ctrl+F and the room header's search button open the search panel, created on first
// use; only when the server offers search (hello's `search` feature). Fill the page.
Item {
    id: root

    readonly property bool available: feature.available

    function open() {
        if (root.available)
            panel.open();
    }

    // Asked only whether the server offers search; the panel has its own for the results.
    SearchResultsModel {
        id: feature
    }
    Shortcut {
        sequence: "Ctrl+F"
        enabled: root.available
        onActivated: root.open()
    }
    LazyPopup {
        id: panel
        anchors.fill: parent
        source: Qt.resolvedUrl("SearchPanel.qml")
    }
}
