// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/moveaddress.h"

using namespace Qt::StringLiterals;

namespace confab::protocol {

QUrl moveAddress(const QString &text)
{
    // Said by the operator once and followed by every client: anything a URL parser might
    // read two ways is refused rather than guessed at.
    if (text.isEmpty() || text.size() > 2048 || text.trimmed() != text)
        return {};
    const QUrl url(text, QUrl::StrictMode);
    const bool schemeOk = url.scheme() == "ws"_L1 || url.scheme() == "wss"_L1;
    const bool bare = url.userInfo().isEmpty() && !url.hasQuery() && !url.hasFragment()
        && (url.path().isEmpty() || url.path() == "/"_L1);
    if (!url.isValid() || !schemeOk || url.host().isEmpty() || !bare)
        return {};
    // One form for "wss://host:8747/" and "wss://host:8747": clients key saved addresses,
    // tokens and caches by it.
    return url.adjusted(QUrl::StripTrailingSlash);
}

bool mayFollowMove(const QUrl &from, const QUrl &to)
{
    return to.scheme() == "wss"_L1 || from.scheme() == "ws"_L1;
}

} // namespace confab::protocol
