// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>
#include <QUrl>

/*!
 * \file
 * \brief A message's text as the rich text the timeline draws: a safe Markdown subset.
 *
 * Rendered: **bold**, *italics*, ~~strike~~, `inline code`, fenced and indented code
 * blocks (monospace), > quotes, - and 1. lists, links and bare URLs, line breaks as typed.
 * Refused: raw HTML (shown as the text it is: Qt's Markdown reader runs without HTML),
 * images (never loaded: shown as a link to their address), and links to anything but
 * http, https, mailto and confab (shown as plain text).
 */
namespace confab::client::messageformat {

/*! \brief Whether \a text uses any Markdown at all; plain text takes a faster path. */
bool usesMarkdown(QStringView text);

/*! \brief Whether a link to \a url may be followed from a message. */
bool isAllowedLink(const QUrl &url);

/*! \brief The HTML body (no head, no document style) for \a text, for a RichText item. */
QString toHtml(const QString &text);

} // namespace confab::client::messageformat
