// SPDX-License-Identifier: GPL-3.0-or-later
// What any peer can send to a ws:// port once upgraded: ClientFrameReader sees every byte
// before anything else does. The first input byte picks how the rest is split into reads;
// the same bytes must decode to the same messages however a socket splits them, and no
// message may exceed its limit or be text that is not UTF-8.
#include "net/clientframereader.h"

#include <QByteArray>
#include <QList>
#include <cstdio>
#include <cstdlib>

using confab::server::ClientFrameReader;

namespace {

constexpr qint64 MaxText = 4096;
constexpr qint64 MaxBinary = 8192;

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

struct Outcome
{
    QList<std::pair<int, QByteArray>> messages;
    quint16 failure = 0;
};

Outcome decode(const QByteArray &bytes, qsizetype step)
{
    ClientFrameReader reader;
    reader.setLimits(MaxText, MaxBinary);
    Outcome outcome;
    QByteArray buffer;
    for (qsizetype at = 0; at < bytes.size() && !outcome.failure; at += step) {
        buffer.append(bytes.mid(at, step));
        for (;;) {
            qsizetype used = 0;
            ClientFrameReader::Message m;
            const auto s = reader.read(buffer, &used, &m);
            check(used >= 0 && used <= buffer.size(), "consumed more than it was given");
            check(s != ClientFrameReader::Step::NeedMore || used == 0, "NeedMore took bytes");
            buffer.remove(0, used);
            check(reader.heldBytes() <= MaxBinary, "a fragmented message grew past its limit");
            if (s == ClientFrameReader::Step::Failed) {
                outcome.failure = reader.failure().code;
                check(outcome.failure == 1002 || outcome.failure == 1007 || outcome.failure == 1009,
                    "failure with an unexpected close code");
                break;
            }
            if (s == ClientFrameReader::Step::NeedMore)
                break;
            if (s == ClientFrameReader::Step::Message) {
                if (m.kind == ClientFrameReader::Kind::Text) {
                    check(m.payload.size() <= MaxText, "text message over its limit");
                    check(QByteArrayView(m.payload).isValidUtf8(), "text message not UTF-8");
                }
                if (m.kind == ClientFrameReader::Kind::Binary)
                    check(m.payload.size() <= MaxBinary, "binary message over its limit");
                if (m.kind != ClientFrameReader::Kind::Text
                    && m.kind != ClientFrameReader::Kind::Binary)
                    check(m.payload.size() <= 125, "control frame over 125 bytes");
                outcome.messages.append({int(m.kind), m.payload});
            }
        }
    }
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype step = 1 + data[0] % 17;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const Outcome whole = decode(bytes, bytes.size() + 1);
    const Outcome split = decode(bytes, step);
    check(whole.failure == split.failure, "the split changed whether it failed");
    check(whole.messages == split.messages, "the split changed the messages");
    return 0;
}
