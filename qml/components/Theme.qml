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
    readonly property string linkName: root.dark ? "#9fb0ff" : "#3346c2"
    readonly property color link: root.linkName
    // Rich text takes the links' colour from a style sheet. Built from the name, not from
    // the color: Qt 6.4's compiled bindings crash now and then turning a color into text
    // (segfault in QV4::QObjectMethod::callInternal, seen in tst_uitimeline).
    readonly property string linkStyle: "<style>a { color: " + root.linkName + "; }</style>"
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
    readonly property int sidebarWidth: 264
    readonly property int memberListWidth: 210
    readonly property int avatarSize: 36
    // The platform's colour emoji font, asked for by name where emoji are shown on their own
    // (picker, completion): Qt 6.4 otherwise takes the first font with a glyph, often
    // DejaVu's black-and-white one, and splits sequences (😮‍💨) across fonts.
    readonly property string emojiFontFamily: Qt.platform.os === "windows" ? "Segoe UI Emoji"
                                              : Qt.platform.os === "osx" ? "Apple Color Emoji"
                                              : "Noto Color Emoji"

    // One colour per person, the same everywhere: saturated for avatars (white initials
    // stay readable), lighter for names on the dark background.
    readonly property var avatarColors: ["#c62828", "#d84315", "#2e7d32", "#00838f", "#1565c0",
        "#6a1b9a", "#ad1457", "#4e6a00", "#5d4037", "#3949ab"]
    readonly property var darkNameColors: ["#ff8a80", "#ffab91", "#a5d6a7", "#80deea", "#90caf9",
        "#ce93d8", "#f48fb1", "#c5e1a5", "#bcaaa4", "#9fa8da"]

    function colorIndex(name: string): int {
        // FNV-1a: close names ("ana", "alice") still land on different colours.
        let h = 2166136261;
        for (let i = 0; i < name.length; ++i) {
            h ^= name.charCodeAt(i);
            h = Math.imul(h, 16777619) >>> 0;
        }
        return h % root.avatarColors.length;
    }

    function avatarColor(name: string): color {
        return root.avatarColors[root.colorIndex(name)];
    }

    function senderColor(name: string): color {
        const index = root.colorIndex(name);
        return root.dark ? root.darkNameColors[index] : root.avatarColors[index];
    }
}
