// SPDX-License-Identifier: GPL-3.0-or-later
pragma Singleton
pragma ComponentBehavior: Bound
import QtQuick
import Confab.Client

// The app's colours and spacing in one place, so light and dark stay consistent.
// Controls take their colours from the Material style; these cover what it has no role for.
QtObject {
    id: root

    readonly property bool dark: AppSettings.darkMode

    readonly property color accent: root.dark ? "#8c9eff" : "#4f5bd5"
    readonly property color window: root.dark ? "#17191d" : "#ffffff"
    readonly property color sidebar: root.dark ? "#1f2228" : "#f3f4f8"
    readonly property color sidebarSelected: root.dark ? "#343a4a" : "#dfe2f5"
    readonly property color divider: root.dark ? "#2e323a" : "#e2e4ea"
    readonly property color text: root.dark ? "#e6e7ea" : "#1d1f24"
    readonly property color mutedText: root.dark ? "#9aa0ab" : "#646a75"
    readonly property color link: root.dark ? "#9fb0ff" : "#3346c2"
    readonly property color mentionBackground: root.dark ? "#3a3320" : "#fff6dc"
    readonly property color unreadBadge: root.dark ? "#4a5060" : "#5c6370"
    readonly property color mentionBadge: "#d93a3a"
    readonly property color online: "#2fa84f"
    readonly property color offline: root.dark ? "#5c6270" : "#b5bac4"
    readonly property color newMessages: "#e0542e"
    readonly property color error: root.dark ? "#ff8a80" : "#c62828"
    readonly property color bannerOffline: root.dark ? "#5a2a2a" : "#fde4e1"
    readonly property color bannerConnecting: root.dark ? "#4a4320" : "#fff3cd"
    readonly property color hover: root.dark ? "#22262d" : "#f6f7fa"

    readonly property int spacing: 8
    readonly property int sidebarWidth: 250
    readonly property int memberListWidth: 210
    readonly property int avatarSize: 36

    // Sender colours: pleasant on both backgrounds, cycled by name.
    readonly property var senderColors: root.dark
        ? ["#ff8a80", "#ffb74d", "#aed581", "#4dd0e1", "#90caf9", "#ce93d8", "#f48fb1", "#80cbc4"]
        : ["#c62828", "#e65100", "#2e7d32", "#00838f", "#1565c0", "#6a1b9a", "#ad1457", "#00695c"]

    function senderColor(name: string): color {
        let h = 0;
        for (let i = 0; i < name.length; ++i)
            h = (h * 31 + name.charCodeAt(i)) % 1000003;
        return root.senderColors[h % root.senderColors.length];
    }
}
