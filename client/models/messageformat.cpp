// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/messageformat.h"

#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFragment>

using namespace Qt::StringLiterals;

namespace confab::client::messageformat {

namespace {

// Markdown would join the lines of a paragraph; a chat message keeps them as typed. A
// line break becomes a hard one ("\" at the end), except inside fenced code, which keeps
// its lines anyway, and after a line that ends a block (blank) where it means nothing.
QString withHardBreaks(const QString &text)
{
    const QStringList lines = text.split(u'\n');
    QString out;
    out.reserve(text.size() + lines.size() * 2);
    bool fenced = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(u"```"_s) || trimmed.startsWith(u"~~~"_s))
            fenced = !fenced;
        out += line;
        if (i + 1 == lines.size())
            break;
        const bool nextBlank = lines[i + 1].trimmed().isEmpty();
        const bool breaks = !fenced && !trimmed.isEmpty() && !nextBlank
            && !trimmed.startsWith(u"```"_s) && !trimmed.startsWith(u"~~~"_s)
            && !line.endsWith(u'\\');
        out += breaks ? u"\\\n"_s : u"\n"_s;
    }
    return out;
}

struct Edit
{
    int position = 0;
    int length = 0;
    QString text;
    QString href; //!< empty: plain text
    QTextCharFormat format;
};

// Images become a link to where they are (or plain text), links to other schemes plain
// text. Collected first, applied from the end so positions stay valid.
void sanitise(QTextDocument &doc)
{
    QList<Edit> edits;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid())
                continue;
            QTextCharFormat format = fragment.charFormat();
            if (format.isImageFormat()) {
                const QString source = format.toImageFormat().name();
                const QUrl url(source);
                QTextCharFormat plain;
                edits.append({fragment.position(), fragment.length(), source,
                    isAllowedLink(url) ? source : QString(), plain});
            } else if (format.isAnchor()) {
                const QString href = format.anchorHref();
                if (isAllowedLink(QUrl(href))) {
                    // The reader colours links a fixed blue: the theme's style sheet decides.
                    if (format.hasProperty(QTextFormat::ForegroundBrush)) {
                        format.clearForeground();
                        edits.append({fragment.position(), fragment.length(), fragment.text(), href,
                            format});
                    }
                    continue;
                }
                format.setAnchor(false);
                format.setAnchorHref({});
                format.setFontUnderline(false);
                format.clearForeground();
                edits.append({fragment.position(), fragment.length(), fragment.text(), {}, format});
            }
        }
    }
    for (auto it = edits.crbegin(); it != edits.crend(); ++it) {
        QTextCursor cursor(&doc);
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + it->length, QTextCursor::KeepAnchor);
        QTextCharFormat format = it->format;
        if (!it->href.isEmpty()) {
            format.setAnchor(true);
            format.setAnchorHref(it->href);
        }
        cursor.insertText(it->text, format);
    }
}

QString bodyOf(const QString &html)
{
    const qsizetype open = html.indexOf(u"<body"_s);
    const qsizetype start = open < 0 ? -1 : html.indexOf(u'>', open);
    const qsizetype end = html.lastIndexOf(u"</body>"_s);
    if (start < 0 || end < start)
        return html;
    return html.mid(start + 1, end - start - 1).trimmed();
}

} // namespace

bool usesMarkdown(QStringView text)
{
    // Inline syntax anywhere, or a block marker at the start of a line.
    // An underscore counts only where it can open emphasis: snake_case and URLs with
    // underscores stay on the plain path.
    static const QRegularExpression markers(
        u"[*`\\[\\\\]|~~|(?<!\\w)_(?=\\S)|"
        "(?:^|\\n)[ \\t]*(?:>|#{1,6}[ \\t]|[-+][ \\t]|[0-9]{1,9}[.)][ \\t]|    )"_s);
    return markers.match(text).hasMatch();
}

bool isAllowedLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid()
        && (scheme == "http"_L1 || scheme == "https"_L1 || scheme == "mailto"_L1
            || scheme == "confab"_L1);
}

QString toHtml(const QString &text)
{
    QTextDocument doc;
    // No HTML: Qt's reader (md4c) then takes tags for the text they are.
    doc.setMarkdown(withHardBreaks(text),
        QTextDocument::MarkdownFeatures(
            QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
    sanitise(doc);
    return bodyOf(doc.toHtml());
}

} // namespace confab::client::messageformat
