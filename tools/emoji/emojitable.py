#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns Unicode's emoji-test.txt into the emoji picker's table (built into the app).

Input: emoji-test.txt (Debian: unicode-data, /usr/share/unicode/emoji/emoji-test.txt).
Output: UTF-8 text, one line per group ("=<group name>") followed by one line per emoji
("<emoji>\t<name>") in Unicode's order. Only fully-qualified emoji are kept; skin-tone
variants and the "Component" group (bare skin tones and hair styles) are left out, so the
grid shows each emoji once.

Usage: emojitable.py <emoji-test.txt> <output>
"""
import sys

SKIN_TONES = {0x1F3FB, 0x1F3FC, 0x1F3FD, 0x1F3FE, 0x1F3FF}


def table(lines):
    out = []
    group = None
    for line in lines:
        if line.startswith("# group:"):
            group = line.split(":", 1)[1].strip()
            if group != "Component":
                out.append("=" + group)
            continue
        if not line.strip() or line.startswith("#") or group == "Component":
            continue
        codes, rest = line.split(";", 1)
        status, comment = rest.split("#", 1)
        if status.strip() != "fully-qualified":
            continue
        points = [int(c, 16) for c in codes.split()]
        if SKIN_TONES.intersection(points):
            continue
        # The comment: "<emoji> E<version> <name>"
        _, _, name = comment.strip().split(" ", 2)
        out.append("".join(map(chr, points)) + "\t" + name)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = table(f)
    if sum(1 for r in rows if not r.startswith("=")) < 1000:
        sys.exit(f"emojitable.py: {sys.argv[1]} holds too few emoji; is it emoji-test.txt?")
    with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
