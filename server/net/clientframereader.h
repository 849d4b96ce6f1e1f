// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>

namespace confab::server {

/*!
 * \brief Decodes what a WebSocket client sends (RFC 6455 §5): masked frames, fragmented
 * messages, control frames, with the checks of §5 and §7 and Confab's size limits.
 *
 * It reads one frame per call from bytes the caller buffers, and hands back whole
 * messages. A violation names the close code the RFC gives it; the caller closes with it.
 * Sizes are checked from the frame header, before any of the payload is buffered.
 */
class ClientFrameReader
{
public:
    enum class Kind
    {
        Text,
        Binary,
        Ping,
        Pong,
        Close,
    };
    struct Message
    {
        Kind kind = Kind::Text;
        QByteArray payload; //!< for Close, the reason
        quint16 closeCode = 0; //!< for Close: 1005 when the frame carried none
    };
    enum class Step
    {
        Message, //!< \a out holds a whole message or a control frame
        Fragment, //!< a part of a message was taken; read on
        NeedMore, //!< the next frame is not complete yet; nothing was taken
        Failed, //!< see failure(); the connection must close
    };
    struct Failure
    {
        quint16 code = 0;
        QLatin1StringView reason;
    };

    /*! \brief Largest text and binary messages, reassembled; larger ones fail with 1009. */
    void setLimits(qint64 maxText, qint64 maxBinary)
    {
        m_maxText = maxText;
        m_maxBinary = maxBinary;
    }

    /*! \brief Takes at most one frame from the start of \a data; \a consumed says how much. */
    Step read(QByteArrayView data, qsizetype *consumed, Message *out);
    /*! \brief How many bytes the frame at the start of \a data needs in all, once known. */
    static qint64 frameSize(QByteArrayView data);
    const Failure &failure() const { return m_failure; }
    /*! \brief Bytes held for a fragmented message still open. */
    qsizetype heldBytes() const { return m_fragments.size(); }

private:
    Step fail(quint16 code, QLatin1StringView reason);

    QByteArray m_fragments; //!< the message being reassembled
    Kind m_fragmentKind = Kind::Text;
    bool m_inMessage = false;
    qint64 m_maxText = 65536;
    qint64 m_maxBinary = 65536;
    Failure m_failure;
};

} // namespace confab::server
