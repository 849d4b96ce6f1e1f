// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtTest
import Confab
import Confab.Client

// The connection banner's texts for each connection state.
Item {
    id: root
    width: 600
    height: 100

    ConnectionBanner {
        id: banner
        width: root.width
    }

    TestCase {
        name: "ConnectionBanner"
        when: windowShown

        function test_offlineCountsDown() {
            banner.connectionState = ConnectionState.Offline;
            banner.seconds = 7;
            verify(banner.visible);
            verify(banner.height > 0);
            compare(banner.message, "Offline — reconnecting in 7 s");
            compare(findChild(banner, "connectionBannerText").text, banner.message);
            verify(findChild(banner, "retryNowButton").visible);
            compare(banner.Accessible.name, banner.message);
            banner.seconds = 6;
            compare(banner.message, "Offline — reconnecting in 6 s");
        }

        function test_offlineWithoutCountdown() {
            banner.connectionState = ConnectionState.Offline;
            banner.seconds = 0;
            compare(banner.message, "Offline — reconnecting…");
        }

        function test_connecting() {
            banner.connectionState = ConnectionState.Resuming;
            verify(banner.visible);
            compare(banner.message, "Connecting…");
            verify(!findChild(banner, "retryNowButton").visible);
        }

        function test_onlineHidesIt() {
            banner.connectionState = ConnectionState.Live;
            verify(!banner.visible);
            compare(banner.implicitHeight, 0);
        }

        function test_retryNowIsAButton() {
            banner.connectionState = ConnectionState.Offline;
            const retry = findChild(banner, "retryNowButton");
            compare(retry.Accessible.role, Accessible.Button);
            compare(retry.text, "Retry now");
            // Signed out, retryNow() has nothing to do; clicking must simply not fail.
            mouseClick(retry);
        }
    }
}
