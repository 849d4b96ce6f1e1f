// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/completionmodel.h"
#include "models/memberlistmodel.h"
#include "session/profiles.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

using namespace Qt::StringLiterals;
using confab::client::CompletionModel;
using confab::client::MemberListModel;

namespace {

constexpr int NameRole = Qt::UserRole + 1;
constexpr int DirectRole = Qt::UserRole + 2;

// A room list or directory as the composer's completion reads it: by role name.
void addRoom(QStandardItemModel &model, const QString &name, bool direct = false)
{
    auto *item = new QStandardItem;
    item->setData(name, NameRole);
    item->setData(direct, DirectRole);
    model.appendRow(item);
}

} // namespace

class TestCompletionModel : public QObject
{
    Q_OBJECT

private:
    static QStringList labels(const CompletionModel &model)
    {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row)
            out.append(model.data(model.index(row), CompletionModel::LabelRole).toString());
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_members.emplace();
        m_members->setOwnUser(u"me"_s);
        m_members->setMembers({{u"me"_s, true}, {u"ana"_s, true}, {u"andrew"_s, false},
            {u"bob"_s, true}, {u"diana"_s, false}});
        m_rooms.emplace();
        m_rooms->setItemRoleNames({{NameRole, "name"}, {DirectRole, "isDirect"}});
        addRoom(*m_rooms, u"general"_s);
        addRoom(*m_rooms, u"ana"_s, true);
        addRoom(*m_rooms, u"random"_s);
        m_directory.emplace();
        m_directory->setItemRoleNames({{NameRole, "name"}});
        addRoom(*m_directory, u"gardening"_s);
        addRoom(*m_directory, u"General"_s);
        addRoom(*m_directory, u"legends"_s);
        m_model.emplace();
        m_tester.emplace(&*m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->setMembers(&*m_members);
        m_model->setRooms(&*m_rooms);
        m_model->setDirectory(&*m_directory);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void members()
    {
        QSignalSpy count(&*m_model, &CompletionModel::countChanged);
        const QString text = u"hi @an"_s;
        m_model->update(text, int(text.size()));
        QCOMPARE(m_model->kind(), CompletionModel::Member);
        // Starting with it first, then containing it; never oneself.
        QCOMPARE(labels(*m_model), (QStringList {u"ana"_s, u"andrew"_s, u"diana"_s}));
        QCOMPARE(m_model->replaceStart(), 3);
        QCOMPARE(m_model->replaceEnd(), 6);
        QCOMPARE(m_model->replacementAt(0), u"@ana "_s);
        QCOMPARE(m_model->replacementAt(3), QString());
        QCOMPARE(count.size(), 1);
        // The same word again changes nothing.
        m_model->update(text, int(text.size()));
        QCOMPARE(count.size(), 1);
        // Case does not matter; a bare @ lists everyone.
        m_model->update(u"@AN"_s, 3);
        QCOMPARE(labels(*m_model), (QStringList {u"ana"_s, u"andrew"_s, u"diana"_s}));
        m_model->update(u"@"_s, 1);
        QCOMPARE(m_model->rowCount(), 4);
        QVERIFY(!labels(*m_model).contains(u"me"_s));
    }

    void membersByDisplayName()
    {
        // §18.2: a display name finds the member; the pick inserts the username.
        confab::client::Profiles profiles(nullptr);
        m_members->setProfiles(&profiles);
        profiles.apply({u"bob"_s, u"Roberta Lima"_s, {}, 0});
        m_model->update(u"hi @lim"_s, 7);
        QCOMPARE(m_model->kind(), CompletionModel::Member);
        QCOMPARE(labels(*m_model), (QStringList {u"Roberta Lima"_s}));
        QCOMPARE(m_model->index(0).data(CompletionModel::DetailRole).toString(), u"@bob"_s);
        QCOMPARE(m_model->replacementAt(0), u"@bob "_s);
        m_model->update(u"@rob"_s, 4);
        QCOMPARE(m_model->replacementAt(0), u"@bob "_s);
        // The username still finds them, labelled with the display name.
        m_model->update(u"@bo"_s, 3);
        QCOMPARE(labels(*m_model), (QStringList {u"Roberta Lima"_s}));
        // A display name that changes while the list is open relabels it.
        profiles.apply({u"bob"_s, u"Bobby"_s, {}, 0});
        QCOMPARE(labels(*m_model), (QStringList {u"Bobby"_s}));
        m_members.reset(); // before the profiles it follows
    }

    void wordAroundTheCursor()
    {
        // The cursor inside "@andr|ew and": the whole name is replaced.
        const QString text = u"ask @andrew and"_s;
        m_model->update(text, 9);
        QCOMPARE(labels(*m_model), (QStringList {u"andrew"_s}));
        QCOMPARE(m_model->replaceStart(), 4);
        QCOMPARE(m_model->replaceEnd(), 11);
        // After the space the word is over.
        m_model->update(text, 12);
        QCOMPARE(m_model->kind(), CompletionModel::None);
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->replaceStart(), -1);
    }

    void notATrigger_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("mail address") << u"mail@an"_s;
        QTest::newRow("time") << u"at 12:30"_s;
        QTest::newRow("no match") << u"@zed"_s;
        QTest::newRow("emoji, one letter") << u":t"_s;
        QTest::newRow("plain text") << u"hello"_s;
        QTest::newRow("empty") << QString();
    }

    void notATrigger()
    {
        QFETCH(QString, text);
        m_model->update(text, int(text.size()));
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->kind(), CompletionModel::None);
    }

    void channels()
    {
        m_model->update(u"see (#gen"_s, 9);
        QCOMPARE(m_model->kind(), CompletionModel::Channel);
        // Joined channels first, the directory's others after; each name once, no direct rooms.
        QCOMPARE(labels(*m_model), (QStringList {u"general"_s, u"legends"_s}));
        QCOMPARE(m_model->replacementAt(0), u"#general "_s);
        QCOMPARE(m_model->replaceStart(), 5);
        m_model->update(u"#an"_s, 3);
        QCOMPARE(labels(*m_model), (QStringList {u"random"_s}));
    }

    void emoji()
    {
        m_model->update(u"great :thumbs"_s, 13);
        QCOMPARE(m_model->kind(), CompletionModel::Emoji);
        QCOMPARE(labels(*m_model), (QStringList {u"👍"_s, u"👎"_s}));
        QCOMPARE(m_model->data(m_model->index(0), CompletionModel::DetailRole).toString(),
            u"thumbs up"_s);
        QCOMPARE(m_model->replacementAt(0), u"👍"_s);
        QCOMPARE(m_model->replaceStart(), 6);
        QCOMPARE(m_model->replaceEnd(), 13);
        // Many matches: the list stays short.
        m_model->update(u":fa"_s, 3);
        QCOMPARE(m_model->rowCount(), CompletionModel::MaxRows);
    }

    void escapeDismissesThisWordOnly()
    {
        m_model->update(u"@an"_s, 3);
        QCOMPARE(m_model->rowCount(), 3);
        m_model->dismiss();
        QCOMPARE(m_model->rowCount(), 0);
        // Typing on in the same word: still dismissed.
        m_model->update(u"@and"_s, 4);
        QCOMPARE(m_model->rowCount(), 0);
        // Another word: completions again.
        m_model->update(u"@and @b"_s, 7);
        QCOMPARE(labels(*m_model), (QStringList {u"bob"_s}));
        // Back to the first word after it was left: completed again too.
        m_model->update(u"@and"_s, 4);
        QCOMPARE(labels(*m_model), (QStringList {u"andrew"_s}));
    }

    // The directory is listed after `#` was typed: the word is completed again.
    void sourceChangesCompleteAgain()
    {
        QSignalSpy count(&*m_model, &CompletionModel::countChanged);
        m_model->update(u"#zo"_s, 3);
        QCOMPARE(m_model->rowCount(), 0);
        addRoom(*m_directory, u"zoology"_s);
        QCOMPARE(labels(*m_model), (QStringList {u"zoology"_s}));
        m_members->addMember(u"zoe"_s, true);
        QCOMPARE(labels(*m_model), (QStringList {u"zoology"_s}));
        m_model->update(u"@zo"_s, 3);
        QCOMPARE(labels(*m_model), (QStringList {u"zoe"_s}));
        m_members->removeMember(u"zoe"_s);
        QCOMPARE(m_model->rowCount(), 0);
    }

    void sourcesGone()
    {
        m_members.reset();
        m_model->update(u"@an"_s, 3);
        QCOMPARE(m_model->rowCount(), 0);
        m_members.emplace();
    }

private:
    std::optional<MemberListModel> m_members;
    std::optional<QStandardItemModel> m_rooms;
    std::optional<QStandardItemModel> m_directory;
    std::optional<CompletionModel> m_model;
    std::optional<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(TestCompletionModel)
#include "tst_completionmodel.moc"
