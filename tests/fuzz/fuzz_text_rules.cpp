// SPDX-License-Identifier: GPL-3.0-or-later
// The text rules (UTF-8 and surrogate checks, usernames, txn ids, mentions)
// decide what is stored and who is notified, so beyond crashes this checks
// that they agree with each other and with the codec's field rules.
#include "protocol/requestcodec.h"
#include "protocol/textrules.h"

#include <QStringDecoder>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace confab::protocol;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

void checkText(const QString &text)
{
    const QStringList mentions = extractMentions(text);
    const QString lower = text.toLower();
    for (qsizetype i = 0; i < mentions.size(); ++i) {
        const QString &m = mentions[i];
        check(isValidUsername(m), "mention is not a valid username");
        check(m == m.toLower(), "mention is not lower-cased");
        check(lower.contains(u'@' + m), "mention does not occur in the text");
        check(mentions.indexOf(m) == i, "mention listed twice");
    }

    const bool username = isValidUsername(text);
    if (username)
        check(!hasControlCharacter(text) && !hasUnpairedSurrogate(text) && text.size() <= 32,
            "valid username with a control character, surrogate or over 32 characters");
    // The codec's field rule must accept exactly the valid usernames.
    static constexpr FieldSpec UserField {"username"_L1, FieldKind::Username, true};
    check(!validateField(UserField, text, Limits {}) == username,
        "username rule and isValidUsername() disagree");
    static constexpr FieldSpec TxnField {"txn"_L1, FieldKind::Txn, true};
    check(!validateField(TxnField, text, Limits {}) == isValidTxn(text),
        "txn rule and isValidTxn() disagree");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(
        reinterpret_cast<const char *>(data), qsizetype(std::min<size_t>(size, 1 << 16)));

    // Valid UTF-8 decodes without loss and never to an unpaired surrogate.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    check(isValidUtf8(bytes) == !decoder.hasError(), "isValidUtf8() is not deterministic");
    if (isValidUtf8(bytes))
        check(!hasUnpairedSurrogate(decoded), "valid UTF-8 decoded to an unpaired surrogate");
    checkText(QString::fromUtf8(bytes));

    // The same bytes as raw UTF-16: what JSON \u escapes can produce, surrogates included.
    const QString units(reinterpret_cast<const QChar *>(data), qsizetype(size / 2));
    checkText(units);
    return 0;
}
