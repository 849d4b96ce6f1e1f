// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/clientframereader.h"

#include <QtEndian>

using namespace Qt::StringLiterals;

namespace confab::server {

namespace {

constexpr quint8 OpContinuation = 0x0;
constexpr quint8 OpText = 0x1;
constexpr quint8 OpBinary = 0x2;
constexpr quint8 OpClose = 0x8;
constexpr quint8 OpPing = 0x9;
constexpr quint8 OpPong = 0xA;

constexpr quint16 ProtocolError = 1002;
constexpr quint16 InvalidData = 1007;
constexpr quint16 TooBig = 1009;

struct Header
{
    bool fin = false;
    quint8 opcode = 0;
    quint8 reserved = 0;
    bool masked = false;
    quint64 length = 0;
    qsizetype size = 0; //!< bytes of the header, mask included
};

/*! \brief Parses the header at the start of \a data; false if it is not all there yet. */
bool parseHeader(QByteArrayView data, Header *h)
{
    if (data.size() < 2)
        return false;
    const auto b0 = quint8(data[0]);
    const auto b1 = quint8(data[1]);
    h->fin = b0 & 0x80;
    h->reserved = (b0 >> 4) & 0x7;
    h->opcode = b0 & 0x0F;
    h->masked = b1 & 0x80;
    const quint8 len7 = b1 & 0x7F;
    qsizetype at = 2;
    if (len7 == 126) {
        if (data.size() < 4)
            return false;
        h->length = qFromBigEndian<quint16>(data.data() + 2);
        at = 4;
    } else if (len7 == 127) {
        if (data.size() < 10)
            return false;
        h->length = qFromBigEndian<quint64>(data.data() + 2);
        at = 10;
    } else {
        h->length = len7;
    }
    h->size = at + (h->masked ? 4 : 0);
    return data.size() >= h->size;
}

bool isControl(quint8 opcode)
{
    return opcode & 0x8;
}

/*! \brief Close codes a peer may send (RFC 6455 §7.4; 1004-1006 and 1015 never go on the wire). */
bool isSendableCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
}

void unmask(char *out, const char *in, qsizetype size, const char *key)
{
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char(in[i] ^ key[i & 3]);
}

} // namespace

ClientFrameReader::Step ClientFrameReader::fail(quint16 code, QLatin1StringView reason)
{
    m_failure = {code, reason};
    m_fragments.clear();
    m_inMessage = false;
    return Step::Failed;
}

qint64 ClientFrameReader::frameSize(QByteArrayView data)
{
    Header h;
    if (!parseHeader(data, &h) || h.length > quint64(std::numeric_limits<qint64>::max() / 2))
        return -1;
    return h.size + qint64(h.length);
}

ClientFrameReader::Step ClientFrameReader::read(
    QByteArrayView data, qsizetype *consumed, Message *out)
{
    *consumed = 0;
    if (m_failure.code)
        return Step::Failed;
    Header h;
    if (!parseHeader(data, &h))
        return Step::NeedMore;
    // No extension is negotiated, so no reserved bit may be set (§5.2).
    if (h.reserved)
        return fail(ProtocolError, "reserved bits set"_L1);
    const bool control = isControl(h.opcode);
    if (h.opcode != OpContinuation && h.opcode != OpText && h.opcode != OpBinary
        && h.opcode != OpClose && h.opcode != OpPing && h.opcode != OpPong)
        return fail(ProtocolError, "reserved opcode"_L1);
    if (control && (!h.fin || h.length > 125))
        return fail(ProtocolError, "control frame fragmented or over 125 bytes"_L1);
    if (h.opcode == OpContinuation && !m_inMessage)
        return fail(ProtocolError, "continuation frame without a message"_L1);
    if ((h.opcode == OpText || h.opcode == OpBinary) && m_inMessage)
        return fail(ProtocolError, "new message inside a fragmented one"_L1);
    if (h.length >> 63)
        return fail(ProtocolError, "payload length with its top bit set"_L1);
    // §5.1: a server must close on an unmasked client frame.
    if (!h.masked)
        return fail(ProtocolError, "client frame not masked"_L1);
    if (!control) {
        const Kind kind = h.opcode == OpContinuation ? m_fragmentKind
            : h.opcode == OpText                     ? Kind::Text
                                                     : Kind::Binary;
        const qint64 limit = kind == Kind::Text ? m_maxText : m_maxBinary;
        const quint64 total = quint64(m_inMessage ? m_fragments.size() : 0) + h.length;
        if (h.length > quint64(limit) || total > quint64(limit)) {
            return fail(TooBig,
                kind == Kind::Text ? "message larger than maxFrameBytes"_L1
                                   : "binary message larger than 17 + maxChunkBytes"_L1);
        }
    }
    const auto length = qsizetype(h.length);
    if (data.size() < h.size + length)
        return Step::NeedMore;
    *consumed = h.size + length;
    const char *key = data.data() + h.size - 4;
    const char *payload = data.data() + h.size;

    if (control) {
        out->payload.resize(length);
        unmask(out->payload.data(), payload, length, key);
        out->closeCode = 0;
        if (h.opcode == OpPing) {
            out->kind = Kind::Ping;
        } else if (h.opcode == OpPong) {
            out->kind = Kind::Pong;
        } else {
            out->kind = Kind::Close;
            if (length == 1)
                return fail(ProtocolError, "close payload of one byte"_L1);
            out->closeCode = 1005;
            if (length >= 2) {
                out->closeCode = qFromBigEndian<quint16>(out->payload.constData());
                out->payload.remove(0, 2);
                if (!isSendableCloseCode(out->closeCode))
                    return fail(ProtocolError, "invalid close code"_L1);
                if (!QByteArrayView(out->payload).isValidUtf8())
                    return fail(InvalidData, "Invalid UTF-8 code encountered."_L1);
            }
        }
        return Step::Message;
    }

    if (h.opcode != OpContinuation) {
        m_fragmentKind = h.opcode == OpText ? Kind::Text : Kind::Binary;
        if (h.fin) {
            // The usual case, a message in one frame: unmasked straight into its own array.
            out->kind = m_fragmentKind;
            out->closeCode = 0;
            out->payload = QByteArray(length, Qt::Uninitialized);
            unmask(out->payload.data(), payload, length, key);
            if (out->kind == Kind::Text && !QByteArrayView(out->payload).isValidUtf8())
                return fail(InvalidData, "Invalid UTF-8 code encountered."_L1);
            return Step::Message;
        }
        m_inMessage = true;
        m_fragments.clear();
    }
    const qsizetype at = m_fragments.size();
    m_fragments.resize(at + length);
    unmask(m_fragments.data() + at, payload, length, key);
    if (!h.fin)
        return Step::Fragment;
    m_inMessage = false;
    out->kind = m_fragmentKind;
    out->closeCode = 0;
    out->payload = std::exchange(m_fragments, {});
    if (out->kind == Kind::Text && !QByteArrayView(out->payload).isValidUtf8())
        return fail(InvalidData, "Invalid UTF-8 code encountered."_L1);
    return Step::Message;
}

} // namespace confab::server
