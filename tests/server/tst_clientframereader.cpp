// SPDX-License-Identifier: GPL-3.0-or-later
// The decoder of what clients send (RFC 6455 §5) and the server's side of the opening
// handshake (§4.2), apart from sockets: frames split at every byte, fragments, limits
// judged from the header alone, and the RFC's own handshake example. tst_hostile_framing
// sends the violations to the real server.
#include "net/clientframereader.h"
#include "net/httpprobe.h"
#include "net/websockethandshake.h"

#include <QtEndian>
#include <QtTest>

using confab::server::ClientFrameReader;
using confab::server::HttpRequestHead;
namespace handshake = confab::server::websockethandshake;
using Kind = ClientFrameReader::Kind;
using Step = ClientFrameReader::Step;

namespace {

QByteArray maskedFrame(int opcode, QByteArrayView payload, bool fin = true)
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | opcode));
    const auto size = quint64(payload.size());
    if (size < 126) {
        f.append(char(0x80 | size));
    } else if (size <= 0xFFFF) {
        f.append(char(0x80 | 126));
        char b[2];
        qToBigEndian(quint16(size), b);
        f.append(b, 2);
    } else {
        f.append(char(0x80 | 127));
        char b[8];
        qToBigEndian(size, b);
        f.append(b, 8);
    }
    const char key[4] = {'\x12', '\x34', '\x56', '\x78'};
    f.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        f.append(char(payload[i] ^ key[i & 3]));
    return f;
}

/*! \brief Feeds \a bytes as a socket might, \a step bytes at a time; the messages read. */
QList<ClientFrameReader::Message> readAll(
    ClientFrameReader &reader, const QByteArray &bytes, qsizetype step, Step *last = nullptr)
{
    QList<ClientFrameReader::Message> messages;
    QByteArray buffer;
    for (qsizetype at = 0; at < bytes.size(); at += step) {
        buffer.append(bytes.mid(at, step));
        for (;;) {
            qsizetype used = 0;
            ClientFrameReader::Message m;
            const Step s = reader.read(buffer, &used, &m);
            buffer.remove(0, used);
            if (last)
                *last = s;
            if (s == Step::Message)
                messages.append(m);
            if (s == Step::NeedMore || s == Step::Failed)
                break;
        }
    }
    return messages;
}

} // namespace

class TestClientFrameReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void messagesSurviveAnySplit_data()
    {
        QTest::addColumn<int>("step");
        for (int step : {1, 2, 3, 7, 64, 100000})
            QTest::addRow("%d bytes at a time", step) << step;
    }

    void messagesSurviveAnySplit()
    {
        QFETCH(int, step);
        ClientFrameReader reader;
        reader.setLimits(200000, 200000);
        const QByteArray big(70000, 'b'); // a 64-bit length
        const QByteArray mid(300, 'm'); // a 16-bit length
        const QByteArray bytes = maskedFrame(1, "{\"id\":1}") + maskedFrame(2, mid)
            + maskedFrame(1, "frag", false) + maskedFrame(9, "ping") + maskedFrame(0, "ment")
            + maskedFrame(1, big) + maskedFrame(0xA, "");
        Step last = Step::NeedMore;
        const auto got = readAll(reader, bytes, step, &last);
        QCOMPARE(last, Step::NeedMore);
        QCOMPARE(got.size(), 6);
        QCOMPARE(got[0].kind, Kind::Text);
        QCOMPARE(got[0].payload, QByteArray("{\"id\":1}"));
        QCOMPARE(got[1].kind, Kind::Binary);
        QCOMPARE(got[1].payload, mid);
        // A control frame between fragments comes out first (§5.4).
        QCOMPARE(got[2].kind, Kind::Ping);
        QCOMPARE(got[2].payload, QByteArray("ping"));
        QCOMPARE(got[3].kind, Kind::Text);
        QCOMPARE(got[3].payload, QByteArray("fragment"));
        QCOMPARE(got[4].payload, big);
        QCOMPARE(got[5].kind, Kind::Pong);
        QCOMPARE(reader.heldBytes(), 0);
        // The close frame after them is read once it is whole.
        qsizetype used = 0;
        ClientFrameReader::Message close;
        const QByteArray closeFrame = maskedFrame(8,
            "\x03\xe8"
            "bye");
        QCOMPARE(reader.read(closeFrame, &used, &close), Step::Message);
        QCOMPARE(used, closeFrame.size());
        QCOMPARE(close.kind, Kind::Close);
        QCOMPARE(close.closeCode, quint16(1000));
        QCOMPARE(close.payload, QByteArray("bye"));
    }

    void closeWithoutCodeIs1005()
    {
        ClientFrameReader reader;
        qsizetype used = 0;
        ClientFrameReader::Message m;
        QCOMPARE(reader.read(maskedFrame(8, ""), &used, &m), Step::Message);
        QCOMPARE(m.closeCode, quint16(1005));
    }

    void limitsAreJudgedFromTheHeader()
    {
        ClientFrameReader reader;
        reader.setLimits(100, 1000);
        // Only the header of a 101-byte text frame: refused before its payload exists.
        const QByteArray header = maskedFrame(1, QByteArray(101, 'x')).first(6);
        qsizetype used = 0;
        ClientFrameReader::Message m;
        QCOMPARE(reader.read(header, &used, &m), Step::Failed);
        QCOMPARE(reader.failure().code, quint16(1009));
        QCOMPARE(reader.failure().reason, QLatin1StringView("message larger than maxFrameBytes"));

        // Binary has its own, larger limit; fragments count together.
        ClientFrameReader binary;
        binary.setLimits(100, 1000);
        Step last = Step::NeedMore;
        QCOMPARE(readAll(binary, maskedFrame(2, QByteArray(1000, 'b')), 4096, &last).size(), 1);
        readAll(binary,
            maskedFrame(2, QByteArray(600, 'b'), false) + maskedFrame(0, QByteArray(401, 'b')),
            4096, &last);
        QCOMPARE(last, Step::Failed);
        QCOMPARE(binary.failure().code, quint16(1009));
        QCOMPARE(binary.heldBytes(), 0);
    }

    void violationsNameTheirCode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QByteArray unmasked = maskedFrame(1, "{}");
        unmasked[1] = char(2); // mask bit off, key and payload now read as payload
        unmasked.truncate(4);
        unmasked[2] = '{';
        unmasked[3] = '}';
        QTest::newRow("unmasked") << unmasked << 1002;
        QTest::newRow("rsv1") << QByteArray(1, char(0xC1)) + maskedFrame(1, "x").mid(1) << 1002;
        QTest::newRow("opcode 3") << maskedFrame(3, "x") << 1002;
        QTest::newRow("fragmented ping") << maskedFrame(9, "x", false) << 1002;
        QTest::newRow("long ping") << maskedFrame(9, QByteArray(126, 'p')) << 1002;
        QTest::newRow("orphan continuation") << maskedFrame(0, "x") << 1002;
        QTest::newRow("text inside text")
            << maskedFrame(1, "a", false) + maskedFrame(1, "b") << 1002;
        QTest::newRow("close of one byte") << maskedFrame(8, "\x03") << 1002;
        QTest::newRow("close code 1005") << maskedFrame(8, "\x03\xed") << 1002;
        QTest::newRow("close reason not utf-8") << maskedFrame(8, "\x03\xe8\xff") << 1007;
        QTest::newRow("overlong utf-8") << maskedFrame(1, "\xc0\xaf") << 1007;
        QTest::newRow("utf-8 split across fragments, then broken")
            << maskedFrame(1, "\xe2", false) + maskedFrame(0, "\x28\xa1") << 1007;
    }

    void violationsNameTheirCode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        ClientFrameReader reader;
        Step last = Step::NeedMore;
        readAll(reader, bytes, bytes.size(), &last);
        QCOMPARE(last, Step::Failed);
        QCOMPARE(int(reader.failure().code), code);
        QVERIFY(!reader.failure().reason.isEmpty());
        // Once failed, it reads nothing more.
        qsizetype used = 0;
        ClientFrameReader::Message m;
        QCOMPARE(reader.read(maskedFrame(1, "{}"), &used, &m), Step::Failed);
        QCOMPARE(used, 0);
    }

    void utf8SplitAcrossFragmentsIsFine()
    {
        ClientFrameReader reader;
        const QByteArray euro = "\xe2\x82\xac";
        const auto got = readAll(
            reader, maskedFrame(1, euro.first(1), false) + maskedFrame(0, euro.mid(1)), 1000);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].payload, euro);
    }

    void handshakeMatchesTheRfcExample()
    {
        // RFC 6455 §1.3.
        QCOMPARE(handshake::acceptValue("dGhlIHNhbXBsZSBub25jZQ=="),
            QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        HttpRequestHead head;
        QCOMPARE(HttpRequestHead::parse("GET /chat HTTP/1.1\r\nHost: server.example.com\r\n"
                                        "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                        "Sec-WebSocket-Version: 13\r\n\r\n",
                     &head),
            HttpRequestHead::Parse::Complete);
        QCOMPARE(handshake::check(head), handshake::Verdict::Accept);
        const QByteArray response = handshake::switchingProtocols(head);
        QVERIFY(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        QVERIFY(response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(response.endsWith("\r\n\r\n"));
    }

    void handshakeRefusals_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("verdict");
        const QByteArray good = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        const int bad = int(handshake::Verdict::BadRequest);
        QTest::newRow("POST") << QByteArray(
            "POST / HTTP/1.1\r\n" + good + "Sec-WebSocket-Version: 13\r\n")
                              << bad;
        QTest::newRow("no Connection: upgrade") << QByteArray(
            "GET / HTTP/1.1\r\nUpgrade: websocket\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n") << bad;
        QTest::newRow("short key")
            << QByteArray("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n")
            << bad;
        QTest::newRow("no key") << QByteArray(
            "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Version: 13\r\n")
                                << bad;
        QTest::newRow("version 8")
            << QByteArray("GET / HTTP/1.1\r\n" + good + "Sec-WebSocket-Version: 8\r\n")
            << int(handshake::Verdict::WrongVersion);
    }

    void handshakeRefusals()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, verdict);
        HttpRequestHead parsed;
        const QByteArray whole = head + "\r\n";
        QCOMPARE(HttpRequestHead::parse(whole, &parsed), HttpRequestHead::Parse::Complete);
        QCOMPARE(int(handshake::check(parsed)), verdict);
    }
};

QTEST_APPLESS_MAIN(TestClientFrameReader)
#include "tst_clientframereader.moc"
