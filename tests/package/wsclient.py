#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A plain WebSocket client (standard library only) that signs in to a confabd and either
writes a message to the channel "packaged" or checks that the message is there.

    wsclient.py ws://127.0.0.1:8747 USER PASSWORD write TEXT
    wsclient.py ws://127.0.0.1:8747 USER PASSWORD read TEXT

tests/package/check-deb uses it against the installed package; exit 0 means it worked."""
import base64
import json
import os
import socket
import struct
import sys
import urllib.parse


class Client:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=15)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            f"GET / HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise SystemExit("wsclient: connection closed during the handshake")
            head += chunk
        if not head.startswith(b"HTTP/1.1 101"):
            raise SystemExit(f"wsclient: no upgrade: {head!r}")
        self.next_id = 1

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise SystemExit("wsclient: connection closed")
            data += chunk
        return data

    def frame(self):
        """The next text message (pings are answered, other frames skipped)."""
        while True:
            b0, b1 = self._read(2)
            length = b1 & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(length)
            opcode = b0 & 0x0F
            if opcode == 0x1:
                return json.loads(payload)
            if opcode == 0x8:
                raise SystemExit(f"wsclient: server closed the connection: {payload!r}")
            if opcode == 0x9:
                self._send(0xA, payload)

    def _send(self, opcode, payload):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def request(self, **fields):
        rid = self.next_id
        self.next_id += 1
        self._send(0x1, json.dumps({"id": rid, **fields}).encode())
        while True:
            f = self.frame()
            if f.get("id") == rid:
                if f.get("type") != "result":
                    raise SystemExit(f"wsclient: {fields['type']} failed: {f}")
                return f["data"]


def main():
    url, user, password, mode, text = sys.argv[1:6]
    c = Client(url)
    hello = c.frame()
    if hello.get("type") != "hello":
        raise SystemExit(f"wsclient: expected hello, got {hello}")
    rooms = c.request(type="login", username=user, password=password)["rooms"]
    room = next((r["id"] for r in rooms if r["name"] == "packaged"), None)
    if mode == "write":
        if room is None:
            room = c.request(type="create_room", name="packaged")["room"]["id"]
        c.request(type="send", room=room, txn="check-deb:1", text=text)
        print(f"wsclient: {user} wrote to room {room}")
        return
    if room is None:
        raise SystemExit("wsclient: the channel 'packaged' is gone")
    events = c.request(type="history", room=room, limit=50)["events"]
    if not any(e.get("text") == text for e in events):
        raise SystemExit(f"wsclient: message {text!r} not found in {events}")
    print(f"wsclient: {user} read back {text!r}")


if __name__ == "__main__":
    main()
