// SPDX-License-Identifier: GPL-3.0-or-later
//
// Every reply and push the encoders write has exactly the members its wire shape lists
// (protocol/*shapes.h), with the JSON types and bounds listed there: the tables the JSON
// Schema is generated from cannot drift from the codec.

#include "protocol/fileresults.h"
#include "protocol/frameshapes.h"
#include "protocol/protocolversion.h"
#include "protocol/searchresults.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace confab::protocol;
namespace wire = confab::protocol::wire;

namespace {

QString nameOf(QLatin1StringView name)
{
    return QString(name);
}

/*!
 * Checks \a value against shapes and members, recording every (shape, member) it saw so
 * that the test can tell that each listed member was written at least once.
 */
class ShapeChecker
{
public:
    QStringList problems;
    QSet<QString> seen;

    void object(const QJsonValue &value, const wire::Shape &shape, const QString &path)
    {
        if (!value.isObject()) {
            problems << path + u": not an object"_s;
            return;
        }
        const QJsonObject o = value.toObject();
        if (!shape.alternatives.empty()) {
            const wire::Shape *chosen = alternativeFor(o, shape);
            if (!chosen) {
                problems << path + u": matches no alternative of "_s + nameOf(shape.name);
                return;
            }
            object(value, *chosen, path);
            return;
        }
        for (const wire::Member *m : shape.members) {
            if (m->required && !o.contains(m->name))
                problems << path + u": required member "_s + nameOf(m->name) + u" missing"_s;
        }
        for (auto it = o.begin(); it != o.end(); ++it) {
            const wire::Member *m = memberOf(shape, it.key());
            if (!m) {
                problems << path + u": member "_s + it.key() + u" is not in "_s
                        + nameOf(shape.name);
                continue;
            }
            seen.insert(nameOf(shape.name) + u'.' + it.key());
            member(it.value(), *m, path + u'.' + it.key());
        }
    }

private:
    static const wire::Member *memberOf(const wire::Shape &shape, const QString &name)
    {
        for (const wire::Member *m : shape.members) {
            if (name == m->name)
                return m;
        }
        return nullptr;
    }

    static const wire::Shape *alternativeFor(const QJsonObject &o, const wire::Shape &shape)
    {
        for (const wire::Shape *alternative : shape.alternatives) {
            const bool constantsMatch = std::all_of(alternative->members.begin(),
                alternative->members.end(), [&](const wire::Member *m) {
                    return (m->constant.isEmpty() || o.value(m->name).toString() == m->constant)
                        && (!m->required || o.contains(m->name));
                });
            // Unions without a constant (a result's data) are told apart by their members.
            const QStringList keys = o.keys();
            const bool membersMatch = std::all_of(keys.begin(), keys.end(),
                [&](const QString &key) { return memberOf(*alternative, key) != nullptr; });
            if (constantsMatch && membersMatch)
                return alternative;
        }
        return nullptr;
    }

    void scalar(
        const QJsonValue &v, wire::JsonType type, const wire::Member &m, const QString &path)
    {
        switch (type) {
        case wire::JsonType::String: {
            if (!v.isString()) {
                problems << path + u": not a string"_s;
                return;
            }
            const QString s = v.toString();
            if (!m.constant.isEmpty() && s != m.constant)
                problems << path + u": not "_s + nameOf(m.constant);
            if (!m.values.empty()
                && std::none_of(m.values.begin(), m.values.end(),
                    [&](QLatin1StringView allowed) { return s == allowed; }))
                problems << path + u": "_s + s + u" is not an allowed value"_s;
            if (s.size() < m.minimum || (m.maximum > 0 && s.size() > m.maximum))
                problems << path + u": length out of bounds"_s;
            return;
        }
        case wire::JsonType::Integer: {
            const double d = v.toDouble(std::nan(""));
            if (!v.isDouble() || std::trunc(d) != d)
                problems << path + u": not an integer"_s;
            else if (d < double(m.minimum) || (m.maximum > 0 && d > double(m.maximum)))
                problems << path + u": out of bounds"_s;
            return;
        }
        case wire::JsonType::Boolean:
            if (!v.isBool())
                problems << path + u": not a boolean"_s;
            return;
        case wire::JsonType::Object:
            object(v, *m.shape, path);
            return;
        case wire::JsonType::RequestId:
            if (!v.isString() && !v.isDouble() && !(m.nullable && v.isNull()))
                problems << path + u": not a request id"_s;
            return;
        case wire::JsonType::Array:
            problems << path + u": nested arrays are not described"_s;
            return;
        }
    }

    void member(const QJsonValue &v, const wire::Member &m, const QString &path)
    {
        if (m.type != wire::JsonType::Array) {
            scalar(v, m.type, m, path);
            return;
        }
        if (!v.isArray()) {
            problems << path + u": not an array"_s;
            return;
        }
        const QJsonArray items = v.toArray();
        if (items.isEmpty())
            problems << path + u": empty, so its items go unchecked: fill it"_s;
        for (qsizetype i = 0; i < items.size(); ++i)
            scalar(items.at(i), m.items, m, path + u'[' + QString::number(i) + u']');
    }
};

RoomSummary directSummary()
{
    RoomSummary r;
    r.id = 7;
    r.direct = true;
    r.name = u"bob"_s;
    r.topic = u"t"_s;
    r.lastSeq = 9;
    r.memberCount = 2;
    r.members = {u"ana"_s, u"bob"_s};
    r.readSeq = 3;
    r.unread = 4;
    r.mentions = 1;
    return r;
}

RoomSummary channelSummary()
{
    RoomSummary r = directSummary();
    r.direct = false;
    r.name = u"general"_s;
    r.members.clear();
    r.isPrivate = true;
    r.invitesBy = u"moderators"_s;
    r.role = u"owner"_s;
    return r;
}

FileInfo imageFile()
{
    return FileInfo {7, u"cat.jpg"_s, 600'000, u"image/jpeg"_s, QString(64, u'2'), 1350, 900,
        Thumbnail {400, 267, 18'220, u"image/jpeg"_s}};
}

QList<RoomEvent> everyKindOfEvent()
{
    QList<RoomEvent> events;
    for (const auto &entry : EventKindNames) {
        RoomEvent e;
        e.id = 100 + events.size();
        e.room = 7;
        e.seq = 1 + events.size();
        e.timestamp = 1'700'000'000'123;
        e.kind = entry.value;
        e.sender = u"ana"_s;
        if (e.kind == EventKind::Message) {
            e.txn = u"a7f3:1"_s;
            e.text = u"hi @bob"_s;
            e.mentions = {u"bob"_s};
            e.replyTo = 1;
            // Every member of the state, though a redacted message has no reactions on
            // the wire: the shape checker looks at members, not at what goes together.
            e.state = {1'700'000'000'999, true, 9, {{u"👍"_s, 2, {u"ana"_s, u"bob"_s}}}};
            e.attachments = {imageFile()};
        } else if (changesMessage(e.kind)) {
            e.target = 2;
            e.text = u"hi again"_s;
            e.key = u"👍"_s;
        } else if (e.kind == EventKind::Create) {
            e.text = u"general"_s;
            e.topic = u"anything"_s;
        } else if (e.kind == EventKind::Topic) {
            e.topic = u"new"_s;
        } else if (namesUser(e.kind)) {
            e.user = u"bob"_s;
            e.reason = u"spam"_s;
            e.until = 1'700'000'600'000;
            e.role = u"moderator"_s;
        } else if (e.kind == EventKind::Settings) {
            e.isPrivate = true;
            e.invitesBy = u"members"_s;
        }
        events.append(e);
    }
    return events;
}

DirectoryEntry directoryEntry()
{
    return DirectoryEntry {7, u"general"_s, u"anything"_s, 3, true, true};
}

QJsonObject frameObject(const QByteArray &utf8)
{
    return QJsonDocument::fromJson(utf8).object();
}

// Every (shape, member) reachable from a frame, as ShapeChecker::seen spells them.
void collectMembers(const wire::Shape &shape, QSet<QString> &all, QSet<const wire::Shape *> &done)
{
    if (done.contains(&shape))
        return;
    done.insert(&shape);
    for (const wire::Shape *alternative : shape.alternatives)
        collectMembers(*alternative, all, done);
    for (const wire::Member *m : shape.members) {
        all.insert(nameOf(shape.name) + u'.' + nameOf(m->name));
        if (m->shape)
            collectMembers(*m->shape, all, done);
    }
}

} // namespace

class TestWireShapes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodersWriteTheirShapes();
    void channelSummaryOmitsOnlyOptionalMembers();
    void everyRequestHasAResultShape();
    void enumValuesAreTheNameTables();
    void shapeNamesAreNotFieldKindNames();
};

void TestWireShapes::encodersWriteTheirShapes()
{
    const QJsonValue id(42);
    const Invitation invitation {7, u"design"_s, u"Pixels"_s, true, u"bob"_s, 1'700'000'000'000};
    const Profile profile {u"ana"_s, u"Ana Lima"_s, u"in a meeting"_s, 12};
    RoomSummary muted = channelSummary();
    muted.notify = u"mentions"_s;
    SignedIn signedIn {u"ana"_s, u"tok"_s, 1'800'000'000'000, {directSummary(), muted}, true, true,
        {invitation}, profile, 1'800'000'000'000};
    const UserEntry adminView {u"bob"_s, true, true, false, true, 1'600'000'000'000, profile};
    const SessionEntry session {
        3, u"laptop"_s, u"127.0.0.1"_s, 1'700'000'000'000, 1'700'000'600'000, true, true};
    const AuditEntry audit {3, 1'700'000'000'000, u"ana"_s, u"disable_user"_s, u"bob"_s, {}};
    HistoryPage page {7, everyKindOfEvent(), true};
    SyncResult sync {{SyncRoom {directSummary(), everyKindOfEvent(), true, 2}}, {8, 9}};
    const ReadState readState {7, 5, 2, 1};
    MemberList members {{Member {u"ana"_s, true, u"owner"_s, std::nullopt, profile},
        Member {u"bob"_s, false, u"member"_s, 1'700'000'600'000}}};
    Directory directory {{directoryEntry()}};
    const SearchResults search {{{everyKindOfEvent().at(1), u"hi @bob"_s, {{3, 4}}}}, true};
    const ContextPage context {7, everyKindOfEvent(), true, false};
    Hello hello;
    hello.server = u"confabd/0.1.0"_s;
    hello.registration = u"invite"_s;
    hello.features = {u"directory_push"_s, u"files"_s};
    hello.serverId = u"6d3f0c52-6f8e-4b8a-9a43-7e1f0c2d9b11"_s;
    hello.name = u"Workshop"_s;
    hello.fingerprint = QString(64, u'b');
    hello.movedTo = u"wss://192.168.1.30:8747"_s;
    QJsonObject fileErrorDetails {{wire::error::Upload.name, 42}, {wire::error::Expected.name, 0},
        {wire::error::Offset.name, 0}, {wire::error::Limit.name, 20},
        {wire::error::QuotaBytes.name, 100}, {wire::error::UsedBytes.name, 90},
        {wire::error::Sha256.name, QString(64, u'a')}, {wire::error::File.name, 7},
        {wire::error::Until.name, 1'700'000'600'000.0}};

    QJsonObject errorDetails = frames::retryAfter(1001);
    errorDetails.insert(frames::offendingField(u"room"_s).begin().key(), u"room"_s);

    const QList<QByteArray> frames {
        hello.encode(),
        frames::result(id, signedIn.toJson()),
        frames::result(u"s1"_s, {}),
        frames::result(id, Pong {1'700'000'000'000}.toJson()),
        frames::result(id, SendAck {100, 7, 3, 1'700'000'000'000, u"t:1"_s}.toJson()),
        frames::result(id, EventSeq {4}.toJson()),
        frames::result(id, page.toJson()),
        frames::result(id, sync.toJson()),
        frames::result(id, readState.toJson()),
        frames::result(id, members.toJson()),
        frames::result(id, RoomResult {directSummary()}.toJson()),
        frames::result(id, directory.toJson()),
        frames::result(id, search.toJson()),
        frames::result(id, context.toJson()),
        frames::error(id, ErrorCode::RateLimited, u"slow down"_s, errorDetails),
        frames::error(QJsonValue(), ErrorCode::BadFrame, u"not JSON"_s),
        frames::event(everyKindOfEvent().at(1)),
        frames::room(directSummary()),
        frames::unread(readState),
        frames::presence({u"ana"_s}, {u"bob"_s}),
        frames::typing(7, u"ana"_s, true),
        frames::directory(directoryEntry()),
        frames::result(id, UploadState {42, 600'000, 262'144}.toJson()),
        frames::result(id, FileResult {imageFile()}.toJson()),
        frames::result(
            id, DownloadStarted {imageFile(), 1, 0, 18'220, 18'220, u"image/jpeg"_s}.toJson()),
        frames::error(QJsonValue(), ErrorCode::BadOffset, u"not there"_s, fileErrorDetails),
        frames::uploaded(42, 4'194'304),
        frames::result(id, UserList {{adminView, UserEntry {u"cy"_s, false}}}.toJson()),
        frames::result(id, UserResult {adminView}.toJson()),
        frames::result(id, ServerSettings {u"invite"_s}.toJson()),
        frames::result(id, InviteCode {u"abc"_s, 5}.toJson()),
        frames::result(id, AuditPage {{audit}}.toJson()),
        frames::invited(invitation),
        frames::inviteRemoved(7),
        frames::unlisted(7),
        frames::result(id, PasswordChanged {2}.toJson()),
        frames::result(id, SessionList {{session}}.toJson()),
        frames::result(id, profile.toJson()),
        frames::profile(profile),
        frames::dnd(0),
        frames::moved(u"wss://192.168.1.30:8747"_s),
    };

    ShapeChecker checker;
    for (const QByteArray &frame : frames)
        checker.object(
            frameObject(frame), wire::ServerFrameShape, QString::fromUtf8(frame.left(40)));
    QVERIFY2(checker.problems.isEmpty(), qPrintable(checker.problems.join(u'\n')));

    // Every member a shape lists was written by some encoder above: none is dead.
    QSet<QString> all;
    QSet<const wire::Shape *> done;
    collectMembers(wire::ServerFrameShape, all, done);
    const QSet<QString> unwritten = all - checker.seen;
    QVERIFY2(unwritten.isEmpty(), qPrintable(QStringList(unwritten.values()).join(u", "_s)));
    QCOMPARE(checker.seen, all);
}

void TestWireShapes::channelSummaryOmitsOnlyOptionalMembers()
{
    ShapeChecker checker;
    checker.object(channelSummary().toJson(), wire::RoomSummaryShape, u"channel"_s);
    RoomSummary outsider = channelSummary();
    outsider.hasReadState = false;
    checker.object(outsider.toJson(), wire::RoomSummaryShape, u"outsider"_s);
    SyncRoom noGap {channelSummary(), everyKindOfEvent(), false, 0};
    checker.object(noGap.toJson(), wire::SyncRoomShape, u"noGap"_s);
    RoomEvent quiet = everyKindOfEvent().at(1);
    quiet.mentions.clear();
    checker.object(quiet.toJson(), wire::RoomEventShape, u"no mentions"_s);
    QVERIFY2(checker.problems.isEmpty(), qPrintable(checker.problems.join(u'\n')));
    QVERIFY(!channelSummary().toJson().contains(wire::room_summary::Members.name));
}

void TestWireShapes::everyRequestHasAResultShape()
{
    for (const auto &entry : RequestTypeNames) {
        const wire::Shape &shape = wire::resultShape(entry.value);
        QVERIFY(std::find(wire::ResultDataShapes.begin(), wire::ResultDataShapes.end(), &shape)
            != wire::ResultDataShapes.end());
    }
    QCOMPARE(&wire::resultShape(RequestType::Send), &wire::SendAckShape);
    QCOMPARE(&wire::resultShape(RequestType::Typing), &wire::EmptyShape);
}

void TestWireShapes::enumValuesAreTheNameTables()
{
    QCOMPARE(wire::error::Code.values.size(), ErrorCodeNames.size());
    QCOMPARE(wire::error::Code.values.back(), ErrorCodeNames.toName(ErrorCode::AlreadyMember));
    QCOMPARE(wire::room_summary::Kind.values.size(), RoomKindNames.size());
    for (std::size_t i = 0; i < wire::ServerFrameShapes.size(); ++i) {
        const wire::Member *type = wire::ServerFrameShapes[i]->members.front();
        QCOMPARE(type->constant, ServerFrameTypeNames.toName(ServerFrameType(i)));
    }
    for (std::size_t i = 0; i < wire::RoomEventShapes.size(); ++i) {
        const auto &members = wire::RoomEventShapes[i]->members;
        const auto kind = std::find_if(members.begin(), members.end(),
            [](const wire::Member *m) { return !m->constant.isEmpty(); });
        QVERIFY(kind != members.end());
        QCOMPARE((*kind)->constant, EventKindNames.toName(EventKind(i)));
    }
}

// The schema's $defs hold the field kinds and the shapes side by side: a shape named like a
// kind would replace it there (create_invite's result once did).
void TestWireShapes::shapeNamesAreNotFieldKindNames()
{
    QSet<QString> all;
    QSet<const wire::Shape *> shapes;
    collectMembers(wire::ServerFrameShape, all, shapes);
    QVERIFY(shapes.size() > 20);
    for (const wire::Shape *shape : std::as_const(shapes)) {
        for (const auto &kind : FieldKindNames)
            QVERIFY2(nameOf(shape->name) != QString(kind.name), qPrintable(nameOf(shape->name)));
    }
}

QTEST_GUILESS_MAIN(TestWireShapes)
#include "tst_wireshapes.moc"
