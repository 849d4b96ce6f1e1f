// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/emojimodel.h"
#include "models/emojitable.h"
#include "settings/appsettings.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::AppSettings;
using confab::client::EmojiModel;
using confab::client::EmojiTable;

class TestEmojiModel : public QObject
{
    Q_OBJECT

private:
    static QStringList names(const EmojiModel &model, int first, int count)
    {
        QStringList out;
        for (int row = first; row < first + count && row < model.rowCount(); ++row)
            out.append(model.data(model.index(row), EmojiModel::NameRole).toString());
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
        m_ini.emplace(m_dir->filePath(u"confab.ini"_s), QSettings::IniFormat);
        m_settings.emplace(&*m_ini);
    }

    void cleanup()
    {
        m_settings.reset();
        m_ini.reset();
        m_dir.reset();
    }

    // The table is Unicode's, built from emoji-test.txt: names and groups as Unicode has them.
    void tableFromUnicodeData()
    {
        const EmojiTable &table = EmojiTable::instance();
        QVERIFY2(table.emoji().size() > 1500, qPrintable(QString::number(table.emoji().size())));
        QCOMPARE(table.groups().first(), u"Smileys & Emotion"_s);
        QVERIFY(table.groups().contains(u"Flags"_s));
        QVERIFY(!table.groups().contains(u"Component"_s));
        const int thumbs = table.indexOf(u"👍"_s);
        QVERIFY(thumbs >= 0);
        QCOMPARE(table.emoji().at(thumbs).name, u"thumbs up"_s);
        QCOMPARE(table.groups().at(table.emoji().at(thumbs).group), u"People & Body"_s);
        // Fully qualified only, and no skin-tone variants in the grid.
        QVERIFY(table.indexOf(u"❤️"_s) >= 0);
        QCOMPARE(table.indexOf(u"❤"_s), -1);
        QCOMPARE(table.indexOf(u"👍🏽"_s), -1);
    }

    void allEmojiInGroupOrder()
    {
        EmojiModel model(&*m_settings, nullptr);
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), int(EmojiTable::instance().emoji().size()));
        QCOMPARE(model.recentCount(), 0);
        QCOMPARE(model.data(model.index(0), EmojiModel::NameRole).toString(), u"grinning face"_s);
        QCOMPARE(model.data(model.index(0), EmojiModel::GroupNameRole).toString(),
            u"Smileys & Emotion"_s);
        QCOMPARE(model.data(model.index(0), EmojiModel::RecentRole).toBool(), false);
        int lastGroup = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const int group = model.data(model.index(row), EmojiModel::GroupRole).toInt();
            QVERIFY(group >= lastGroup);
            lastGroup = group;
        }
        const int flags = int(model.groups().indexOf(u"Flags"_s));
        const int firstFlag = model.firstRowOfGroup(flags);
        QVERIFY(firstFlag > 0);
        QCOMPARE(model.data(model.index(firstFlag), EmojiModel::GroupRole).toInt(), flags);
        QCOMPARE(model.data(model.index(firstFlag - 1), EmojiModel::GroupRole).toInt(), flags - 1);
    }

    void filterByName_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("first");
        QTest::newRow("colon") << u":thumbs"_s << u"👍"_s;
        QTest::newRow("case") << u"THUMBS UP"_s << u"👍"_s;
        QTest::newRow("underscore") << u":thumbs_down:"_s << u"👎"_s;
        // A word that starts with the query comes before a name that merely contains it.
        QTest::newRow("word start") << u"ear"_s << u"👂"_s;
    }

    void filterByName()
    {
        QFETCH(QString, filter);
        QFETCH(QString, first);
        EmojiModel model(&*m_settings, nullptr);
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy count(&model, &EmojiModel::countChanged);
        model.setFilter(filter);
        QCOMPARE(count.size(), 1);
        QVERIFY(model.rowCount() > 0);
        QCOMPARE(model.emojiAt(0), first);
        const QString query = EmojiTable::normalizedQuery(filter);
        for (const QString &name : names(model, 0, model.rowCount()))
            QVERIFY2(name.toLower().contains(query), qPrintable(name));
    }

    void filterMatchesNothing()
    {
        EmojiModel model(&*m_settings, nullptr);
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter(u"zzzqqq"_s);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.emojiAt(0), QString());
        QCOMPARE(model.firstRowOfGroup(0), -1);
        model.setFilter(QString());
        QCOMPARE(model.rowCount(), int(EmojiTable::instance().emoji().size()));
    }

    void recentFirstAndPersisted()
    {
        {
            EmojiModel model(&*m_settings, nullptr);
            QAbstractItemModelTester tester(
                &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            const int all = model.rowCount();
            model.noteUsed(u"👍"_s);
            model.noteUsed(u"🎉"_s);
            model.noteUsed(u"👍"_s); // again: to the front, not twice
            model.noteUsed(u"not an emoji"_s);
            QCOMPARE(model.recentCount(), 2);
            QCOMPARE(model.rowCount(), all + 2);
            QCOMPARE(model.emojiAt(0), u"👍"_s);
            QCOMPARE(model.emojiAt(1), u"🎉"_s);
            QCOMPARE(model.data(model.index(1), EmojiModel::RecentRole).toBool(), true);
            QCOMPARE(model.data(model.index(2), EmojiModel::RecentRole).toBool(), false);
            // Filtered: recently used matches first, and each emoji once.
            model.setFilter(u"thumbs"_s);
            QCOMPARE(model.recentCount(), 1);
            QCOMPARE(model.emojiAt(0), u"👍"_s);
            QCOMPARE(model.emojiAt(1), u"👎"_s);
            QCOMPARE(model.rowCount(), 2);
        }
        m_ini->sync();
        // Another model, and the next start, see the same list.
        QSettings reread(m_dir->filePath(u"confab.ini"_s), QSettings::IniFormat);
        AppSettings again(&reread);
        EmojiModel model(&again, nullptr);
        QCOMPARE(model.recentCount(), 2);
        QCOMPARE(model.emojiAt(0), u"👍"_s);
    }

    void recentCapped()
    {
        EmojiModel model(&*m_settings, nullptr);
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EmojiModel other(&*m_settings, nullptr);
        const auto &all = EmojiTable::instance().emoji();
        for (int i = 0; i < EmojiModel::MaxRecent + 6; ++i)
            model.noteUsed(all.at(i).key);
        QCOMPARE(model.recentCount(), EmojiModel::MaxRecent);
        QCOMPARE(m_settings->recentEmoji().size(), EmojiModel::MaxRecent);
        QCOMPARE(model.emojiAt(0), all.at(EmojiModel::MaxRecent + 5).key);
        // Every picker follows the one list.
        QCOMPARE(other.recentCount(), EmojiModel::MaxRecent);
        QCOMPARE(other.emojiAt(0), model.emojiAt(0));
    }

    // What a key typed into the picker costs (a model reset over 1,870 names); run with
    // -iterations N for a figure.
    void filterCost()
    {
        EmojiModel model(&*m_settings, nullptr);
        QBENCHMARK
        {
            model.setFilter(u"fa"_s);
            model.setFilter(u"face"_s);
        }
        QVERIFY(model.rowCount() > 0);
    }

private:
    std::optional<QTemporaryDir> m_dir;
    std::optional<QSettings> m_ini;
    std::optional<AppSettings> m_settings;
};

QTEST_GUILESS_MAIN(TestEmojiModel)
#include "tst_emojimodel.moc"
