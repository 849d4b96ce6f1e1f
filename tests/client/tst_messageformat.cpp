// SPDX-License-Identifier: GPL-3.0-or-later
// A message's Markdown as the timeline draws it: the subset renders, and hostile input
// (HTML, scripts, remote images, javascript: links) comes out as harmless text.
#include "models/messageformat.h"

#include <QTextDocument>
#include <QtTest>

using namespace Qt::StringLiterals;
namespace fmt = confab::client::messageformat;

namespace {

// What a reader sees: the HTML's text.
QString shownText(const QString &html)
{
    QTextDocument doc;
    doc.setHtml(html);
    return doc.toPlainText();
}

} // namespace

class TestMessageFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainTextTakesTheFastPath()
    {
        QVERIFY(!fmt::usesMarkdown(u"hello <world> & see https://x.org."_s));
        QVERIFY(!fmt::usesMarkdown(u"3 + 4 = 7, #general"_s));
        QVERIFY(!fmt::usesMarkdown(u"snake_case and http://x.org/wiki/A_(b)"_s));
        QVERIFY(fmt::usesMarkdown(u"an _italic_ word"_s));
        QVERIFY(fmt::usesMarkdown(u"**bold**"_s));
        QVERIFY(fmt::usesMarkdown(u"a\n> quoted"_s));
        QVERIFY(fmt::usesMarkdown(u"- one\n- two"_s));
        QVERIFY(fmt::usesMarkdown(u"[x](http://x.org)"_s));
    }

    void subsetRenders()
    {
        const QString html = fmt::toHtml(
            u"**bold** *it* ~~gone~~ `code`\n\n```\nint x;\n```\n> quoted\n\n- one\n- two\n\n"
            "1. first\n\n[site](https://example.org) and https://bare.org"_s);
        QVERIFY2(html.contains(u"font-weight:700"_s) || html.contains(u"font-weight:600"_s),
            qPrintable(html));
        QVERIFY(html.contains(u"font-style:italic"_s));
        QVERIFY(html.contains(u"line-through"_s));
        QVERIFY(html.contains(u"monospace"_s));
        QVERIFY(html.contains(u"<li"_s));
        QVERIFY(html.contains(u"<ol"_s));
        QVERIFY(html.contains(u"href=\"https://example.org\""_s));
        QVERIFY(html.contains(u"href=\"https://bare.org\""_s));
        // Links take the theme's colour (the timeline's style sheet), not a fixed blue.
        QVERIFY2(!html.contains(u"#0000ff"_s), qPrintable(html));
        QVERIFY(!html.contains(u"<html"_s) && !html.contains(u"<body"_s));
        const QString text = shownText(html);
        QVERIFY(text.contains(u"int x;"_s));
        QVERIFY(!text.contains(u"**"_s));
    }

    void lineBreaksStayAsTyped()
    {
        const QString html = fmt::toHtml(u"*one*\ntwo\nthree"_s);
        QCOMPARE(shownText(html).count(u'\n') + shownText(html).count(QChar(0x2028)), 2);
    }

    void rawHtmlIsText()
    {
        const QString html = fmt::toHtml(u"**hi** <script>alert(1)</script> <b>x</b>"_s);
        QVERIFY2(!html.contains(u"<script"_s) && !html.contains(u"<b>"_s), qPrintable(html));
        QVERIFY(shownText(html).contains(u"<script>alert(1)</script>"_s));
        QVERIFY(shownText(html).contains(u"<b>x</b>"_s));
    }

    void imagesAreNeverLoaded()
    {
        for (const QString &input : {u"*x* <img src=http://evil.example/t.png>"_s,
                 u"![x](http://evil.example/t.png)"_s, u"![x](file:///etc/passwd) _y_"_s}) {
            const QString html = fmt::toHtml(input);
            QVERIFY2(!html.contains(u"<img"_s, Qt::CaseInsensitive), qPrintable(html));
        }
        // A remote image becomes a link to where it is.
        const QString html = fmt::toHtml(u"![x](http://evil.example/t.png)"_s);
        QVERIFY2(html.contains(u"href=\"http://evil.example/t.png\""_s), qPrintable(html));
        QVERIFY(!fmt::toHtml(u"![x](file:///etc/passwd)"_s).contains(u"href"_s));
    }

    void onlySafeLinkSchemes()
    {
        const QString html = fmt::toHtml(
            u"[a](javascript:alert(1)) [b](data:text/html,x) [c](file:///etc) "
            "[d](mailto:ana@example.org) [e](confab://h:1/room/2/3) [f](JavaScript:x)"_s);
        QVERIFY2(!html.contains(u"javascript:"_s, Qt::CaseInsensitive), qPrintable(html));
        QVERIFY(!html.contains(u"data:"_s));
        QVERIFY(!html.contains(u"file:"_s));
        QVERIFY(html.contains(u"href=\"mailto:ana@example.org\""_s));
        QVERIFY(html.contains(u"href=\"confab://h:1/room/2/3\""_s));
        // The words stay readable.
        const QString text = shownText(html);
        for (const QString &word : {u"a"_s, u"b"_s, u"c"_s, u"f"_s})
            QVERIFY(text.contains(word));
    }

    // Mentions keep "@username" in the text but show "@Display Name" as a mention link,
    // on both the plain and the Markdown path; a new name relabels the next rendering.
    void mentionsShowDisplayNames()
    {
        QHash<QString, QString> names {{u"ana"_s, u"Ana <Lima>"_s}};
        const fmt::DisplayName lookup
            = [&names](const QString &user) { return names.value(user.toLower(), user); };
        QString plain;
        fmt::appendPlain(plain, u"hi @Ana, and @bob. mail@ana.org\n@ana-"_s, lookup);
        QCOMPARE(shownText(plain), u"hi @Ana <Lima>, and @bob. mail@ana.org\n@Ana <Lima>-"_s);
        QVERIFY2(plain.contains(u"<a href=\"confab://user/ana\""_s), qPrintable(plain));
        QVERIFY2(plain.contains(u"<a href=\"confab://user/bob\""_s), qPrintable(plain));
        QVERIFY2(!plain.contains(u"<Lima>"_s), qPrintable(plain)); // escaped
        QCOMPARE(plain.count(u"<a "_s), 3); // mail@ana.org is no mention

        const QString md = fmt::toHtml(u"**hey** @ana see `@ana` and [x](https://x.org)"_s, lookup);
        QCOMPARE(shownText(md), u"hey @Ana <Lima> see @ana and x"_s);
        QVERIFY2(md.contains(u"href=\"confab://user/ana\""_s), qPrintable(md));
        QCOMPARE(md.count(u"confab://user/"_s), 1); // not inside code

        const QString fenced = fmt::toHtml(u"```\n@ana\n```"_s, lookup);
        QVERIFY2(!fenced.contains(u"confab://user/"_s), qPrintable(fenced));

        // A `profile` push changes the name: the next rendering shows it.
        names.insert(u"ana"_s, u"Ana Souza"_s);
        plain.clear();
        fmt::appendPlain(plain, u"@ana"_s, lookup);
        QCOMPARE(shownText(plain), u"@Ana Souza"_s);
        QCOMPARE(shownText(fmt::toHtml(u"*x* @ana"_s, lookup)), u"x @Ana Souza"_s);
        // Without names, the username; too long a run mentions nobody.
        plain.clear();
        const QString tooLong = u"@ana @"_s + QString(33, u'a');
        fmt::appendPlain(plain, tooLong, {});
        QCOMPARE(shownText(plain), tooLong);
        QCOMPARE(plain.count(u"<a "_s), 1);
        QCOMPARE(fmt::mentionedUser(QUrl(u"confab://user/ana"_s)), u"ana"_s);
        QVERIFY(fmt::mentionedUser(QUrl(u"https://user/ana"_s)).isEmpty());
    }
};

QTEST_MAIN(TestMessageFormat)
#include "tst_messageformat.moc"
