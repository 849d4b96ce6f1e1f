// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>
#include <QUrl>
#include <functional>

/*!
 * \file
 * \brief A message's text as the rich text the timeline draws: a safe Markdown subset.
 *
 * Rendered: **bold**, *italics*, ~~strike~~, `inline code`, fenced and indented code
 * blocks (monospace), > quotes, - and 1. lists, links and bare URLs, line breaks as typed.
 * Refused: raw HTML (shown as the text it is: Qt's Markdown reader runs without HTML),
 * images (never loaded: shown as a link to their address), and links to anything but
 * http, https, mailto and confab (shown as plain text).
 *
 * `@username` mentions (found as the server finds them, docs/protocol.md §9.2) become
 * links to `confab://user/<username>` labelled "@" and the user's display name (§18.2);
 * the text itself keeps the username.
 */
namespace confab::client::messageformat {

/*! \brief How a mentioned user is shown: their display name, or the username itself. */
using DisplayName = std::function<QString(const QString &user)>;

/*! \brief Whether \a text uses any Markdown at all; plain text takes a faster path. */
bool usesMarkdown(QStringView text);

/*! \brief Whether a link to \a url may be followed from a message. */
bool isAllowedLink(const QUrl &url);

/*! \brief The HTML body (no head, no document style) for \a text, for a RichText item;
 * mentions are labelled by \a names (none: by the username). */
QString toHtml(const QString &text, const DisplayName &names = {});

/*! \brief Appends \a part, plain text, to \a out as HTML: escaped, line breaks kept, and
 * mentions linked and labelled by \a names (none: by the username). */
void appendPlain(QString &out, QStringView part, const DisplayName &names = {});

/*! \brief The user a mention link names ("confab://user/ana" is "ana"); empty for any
 * other link. */
QString mentionedUser(const QUrl &link);

} // namespace confab::client::messageformat
