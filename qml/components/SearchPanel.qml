// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab
import Confab.Client

// Ctrl+F: search the messages of every room you are in. Results come as you type
// (SearchResultsModel waits for a pause), grouped by room, the matched words in bold.
// Up/Down move, Enter opens the message in its room, Esc closes.
Popup {
    id: root
    objectName: "searchPanel"

    function openHit(row: int) {
        const room = results.roomIdAt(row);
        const seq = results.seqAt(row);
        if (room === 0) // qmllint disable type
            return;
        root.close();
        MessageActions.jumpTo(room, seq);
    }

    modal: true
    focus: true
    background: PopupBackground {}
    x: ((parent ? parent.width : 0) - width) / 2
    y: 60
    width: Math.min(640, (parent ? parent.width : 640) - 48)
    height: Math.min(560, (parent ? parent.height : 560) - 100)
    padding: 10

    onAboutToShow: {
        field.selectAll();
        list.currentIndex = results.count > 0 ? 0 : -1;
    }
    onOpened: field.forceActiveFocus()

    SearchResultsModel {
        id: results
        query: field.text
        onCountChanged: {
            if (list.currentIndex < 0 && results.count > 0)
                list.currentIndex = 0;
        }
        onQueryChanged: list.currentIndex = -1
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        TextField {
            id: field
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search messages")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Search messages")
            Keys.onUpPressed: list.decrementCurrentIndex()
            Keys.onDownPressed: list.incrementCurrentIndex()
            Keys.onReturnPressed: root.activate()
            Keys.onEnterPressed: root.activate()
            Keys.onEscapePressed: root.close()
        }

        ListView {
            id: list
            objectName: "searchResults"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: results
            highlightMoveDuration: 0
            boundsBehavior: Flickable.StopAtBounds
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Search results")
            ScrollBar.vertical: ScrollBar {}

            section.property: "roomName"
            section.criteria: ViewSection.FullString
            // From the URL and parented to the list, as RoomSidebar.qml's sections: Qt 6.4
            // refuses an inline one here.
            section.delegate: Qt.createComponent(Qt.resolvedUrl("SearchSection.qml"),
                                                 Component.PreferSynchronous, list)
            delegate: SearchHitDelegate {
                id: hitDelegate
                width: list.width
                current: ListView.isCurrentItem
                onClicked: root.openHit(hitDelegate.index)
            }
        }

        Label {
            objectName: "searchStatus"
            Layout.fillWidth: true
            visible: text !== ""
            padding: 6
            wrapMode: Text.Wrap
            color: results.errorText !== "" ? Theme.error : Theme.mutedText
            text: results.errorText !== "" ? results.errorText
                  : field.text.trim() === "" ? qsTr("Find messages in all your rooms.")
                  : results.busy && results.count === 0 ? qsTr("Searching…")
                  : results.answered && results.count === 0
                    ? qsTr("No message matches “%1”.").arg(field.text.trim())
                  : ""
        }
    }

    // Enter: the highlighted hit; before the first answer, search at once.
    function activate() {
        if (list.currentIndex >= 0 && !results.busy)
            root.openHit(list.currentIndex);
        else if (!results.answered)
            results.searchNow();
    }
}
