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

// §9.2: "@" not after a name character, then the longest run of name characters less
// any trailing "." and "-"; the name must be a username (1-32, letter or digit first).
struct Mention
{
    qsizetype start = 0; //!< of the "@"
    qsizetype length = 0; //!< "@" and name
    QString user;
};

QList<Mention> findMentions(QStringView text)
{
    static const QRegularExpression at(u"(?<![A-Za-z0-9_.-])@([A-Za-z0-9_.-]+)"_s);
    QList<Mention> found;
    for (auto it = at.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        QStringView name = match.capturedView(1);
        while (!name.isEmpty() && (name.endsWith(u'.') || name.endsWith(u'-')))
            name.chop(1);
        if (name.isEmpty() || name.size() > 32 || !name.front().isLetterOrNumber())
            continue;
        found.append(Mention {match.capturedStart(), name.size() + 1, name.toString()});
    }
    return found;
}

QString mentionHref(const QString &user)
{
    return u"confab://user/"_s + user.toLower();
}

QString mentionLabel(const QString &user, const DisplayName &names)
{
    const QString shown = names ? names(user) : QString();
    return u'@' + (shown.isEmpty() ? user : shown);
}

void appendEscaped(QString &out, QStringView part)
{
    out += part.toString().toHtmlEscaped().replace(u'\n', "<br>"_L1);
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

// Mentions in the document's text (not in links or code) become mention links.
void linkMentions(QTextDocument &doc, const DisplayName &names)
{
    QList<Edit> edits;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        // Code shows what was typed.
        const QTextBlockFormat blockFormat = block.blockFormat();
        if (blockFormat.hasProperty(QTextFormat::BlockCodeFence) || blockFormat.nonBreakableLines())
            continue;
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid())
                continue;
            QTextCharFormat format = fragment.charFormat();
            if (format.isAnchor() || format.fontFixedPitch())
                continue;
            for (const Mention &m : findMentions(fragment.text())) {
                format.setFontWeight(QFont::DemiBold);
                edits.append({int(fragment.position() + m.start), int(m.length),
                    mentionLabel(m.user, names), mentionHref(m.user), format});
            }
        }
    }
    for (auto it = edits.crbegin(); it != edits.crend(); ++it) {
        QTextCursor cursor(&doc);
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + it->length, QTextCursor::KeepAnchor);
        QTextCharFormat format = it->format;
        format.setAnchor(true);
        format.setAnchorHref(it->href);
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

void appendPlain(QString &out, QStringView part, const DisplayName &names)
{
    qsizetype done = 0;
    for (const Mention &m : findMentions(part)) {
        appendEscaped(out, part.mid(done, m.start - done));
        out += "<a href=\""_L1 + mentionHref(m.user).toHtmlEscaped()
            + "\" style=\"font-weight:600\">"_L1 + mentionLabel(m.user, names).toHtmlEscaped()
            + "</a>"_L1;
        done = m.start + m.length;
    }
    appendEscaped(out, part.mid(done));
}

QString mentionedUser(const QUrl &link)
{
    if (link.scheme().compare("confab"_L1, Qt::CaseInsensitive) != 0
        || link.host().compare("user"_L1, Qt::CaseInsensitive) != 0)
        return {};
    return link.path().mid(1);
}

QString toHtml(const QString &text, const DisplayName &names)
{
    QTextDocument doc;
    // No HTML: Qt's reader (md4c) then takes tags for the text they are.
    doc.setMarkdown(withHardBreaks(text),
        QTextDocument::MarkdownFeatures(
            QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
    sanitise(doc);
    linkMentions(doc, names);
    return bodyOf(doc.toHtml());
}

} // namespace confab::client::messageformat
