// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import Confab

// The background of dialogs and popups. Material's own draws its shadow with a shader
// effect, which the software renderer (no GPU, remote sessions) leaves out entirely,
// background included; a plain rectangle with a border shows everywhere.
Rectangle {
    id: root

    color: Theme.window
    radius: 8
    border.color: Theme.dark ? "#3a3f48" : "#cfd3db"
}
