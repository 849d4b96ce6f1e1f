// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/roomevent.h"

#include "protocol/jsoninteger.h"
#include "protocol/limits.h"
#include "protocol/objectshapes.h"

#include <QJsonArray>
#include <climits>
#include <cmath>

namespace confab::protocol {

namespace {
// A JSON number as an integer. Casting a double outside qint64's range is
// undefined behaviour (found by tests/fuzz), so anything that is not a number
// within what the protocol allows (|n| <= 2^53-1) is refused.
std::optional<qint64> integerOf(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::abs(d) > double(MaxSafeInteger))
        return std::nullopt;
    return qint64(d);
}
} // namespace

QLatin1StringView eventKindName(EventKind kind)
{
    return EventKindNames.toName(kind);
}

std::optional<EventKind> eventKindFromName(QStringView name)
{
    return EventKindNames.fromName(name);
}

namespace {
QJsonArray reactionsJson(const QList<Reaction> &reactions)
{
    namespace w = wire::reaction;
    QJsonArray array;
    for (const Reaction &r : reactions)
        array.append(QJsonObject {{w::Key.name, r.key}, {w::Count.name, r.count},
            {w::Users.name, QJsonArray::fromStringList(r.users)}});
    return array;
}

QList<Reaction> reactionsFrom(const QJsonValue &value)
{
    namespace w = wire::reaction;
    QList<Reaction> reactions;
    const QJsonArray array = value.toArray();
    for (const auto &v : array) {
        const QJsonObject o = v.toObject();
        const auto count = integerOf(o.value(w::Count.name));
        if (!o.value(w::Key.name).isString() || !count || *count < 1)
            continue;
        Reaction r {o.value(w::Key.name).toString(), int(qMin<qint64>(*count, INT_MAX)), {}};
        const QJsonArray users = o.value(w::Users.name).toArray();
        for (const auto &u : users)
            r.users.append(u.toString());
        reactions.append(std::move(r));
    }
    return reactions;
}

void insertState(QJsonObject &o, const MessageState &state)
{
    namespace w = wire::room_event;
    if (state.editedAt > 0)
        o.insert(w::EditedAt.name, double(state.editedAt));
    if (state.redacted)
        o.insert(w::Redacted.name, true);
    if (state.changedSeq > 0)
        o.insert(w::ChangedSeq.name, double(state.changedSeq));
    if (!state.reactions.isEmpty())
        o.insert(w::Reactions.name, reactionsJson(state.reactions));
}

MessageState stateFrom(const QJsonObject &o)
{
    namespace w = wire::room_event;
    MessageState state;
    state.editedAt = integerOf(o.value(w::EditedAt.name)).value_or(0);
    state.redacted = o.value(w::Redacted.name).toBool();
    state.changedSeq = integerOf(o.value(w::ChangedSeq.name)).value_or(0);
    state.reactions = reactionsFrom(o.value(w::Reactions.name));
    return state;
}
} // namespace

QJsonObject RoomEvent::toJson() const
{
    namespace w = wire::room_event;
    QJsonObject o {
        {w::Id.name, double(id)},
        {w::Room.name, double(room)},
        {w::Seq.name, double(seq)},
        {w::Ts.name, double(timestamp)},
        {w::Kind.name, eventKindName(kind)},
        {w::Sender.name, sender},
    };
    switch (kind) {
    case EventKind::Message:
        o.insert(w::Text.name, text);
        o.insert(w::Txn.name, txn);
        if (!mentions.isEmpty())
            o.insert(w::Mentions.name, QJsonArray::fromStringList(mentions));
        if (replyTo > 0)
            o.insert(w::ReplyTo.name, double(replyTo));
        if (!attachments.isEmpty()) {
            QJsonArray files;
            for (const FileInfo &f : attachments)
                files.append(f.toJson());
            o.insert(w::Attachments.name, files);
        }
        insertState(o, state);
        break;
    case EventKind::Create:
        o.insert(w::Name.name, text);
        o.insert(w::Topic.name, topic);
        break;
    case EventKind::Topic:
        o.insert(w::Topic.name, topic);
        break;
    case EventKind::Edit:
        o.insert(w::Target.name, double(target));
        o.insert(w::NewText.name, text);
        break;
    case EventKind::Redact:
        o.insert(w::Target.name, double(target));
        break;
    case EventKind::React:
    case EventKind::Unreact:
        o.insert(w::Target.name, double(target));
        o.insert(w::Key.name, key);
        break;
    case EventKind::Join:
    case EventKind::Leave:
        break;
    case EventKind::Invite:
    case EventKind::Unban:
    case EventKind::Unmute:
    case EventKind::Add:
        o.insert(w::User.name, user);
        break;
    case EventKind::Kick:
    case EventKind::Ban:
    case EventKind::Mute:
        o.insert(w::User.name, user);
        if (!reason.isEmpty())
            o.insert(w::Reason.name, reason);
        if (until > 0 && kind != EventKind::Kick)
            o.insert(w::Until.name, double(until));
        break;
    case EventKind::Role:
        o.insert(w::User.name, user);
        o.insert(w::Role.name, role);
        break;
    case EventKind::Settings:
        o.insert(w::Private.name, isPrivate);
        o.insert(w::InvitesBy.name, invitesBy);
        break;
    }
    return o;
}

std::optional<RoomEvent> RoomEvent::fromJson(const QJsonObject &o)
{
    namespace w = wire::room_event;
    const auto kind = eventKindFromName(o.value(w::Kind.name).toString());
    const auto seq = integerOf(o.value(w::Seq.name));
    const auto room = integerOf(o.value(w::Room.name));
    if (!kind || !seq || !room || !o.value(w::Sender.name).isString())
        return std::nullopt;
    RoomEvent e;
    e.id = integerOf(o.value(w::Id.name)).value_or(0);
    e.room = *room;
    e.seq = *seq;
    e.timestamp = integerOf(o.value(w::Ts.name)).value_or(0);
    e.kind = *kind;
    e.sender = o.value(w::Sender.name).toString();
    e.txn = o.value(w::Txn.name).toString();
    e.text = *kind == EventKind::Create ? o.value(w::Name.name).toString()
                                        : o.value(w::Text.name).toString();
    e.topic = o.value(w::Topic.name).toString();
    const auto mentions = o.value(w::Mentions.name).toArray();
    for (const auto &m : mentions)
        e.mentions.append(m.toString());
    if (changesMessage(*kind)) {
        const auto target = integerOf(o.value(w::Target.name));
        if (!target || *target < 1)
            return std::nullopt;
        e.target = *target;
        e.key = o.value(w::Key.name).toString();
        if ((*kind == EventKind::React || *kind == EventKind::Unreact) && e.key.isEmpty())
            return std::nullopt;
    }
    if (namesUser(*kind)) {
        e.user = o.value(w::User.name).toString();
        if (e.user.isEmpty())
            return std::nullopt;
        e.reason = o.value(w::Reason.name).toString();
        e.until = qMax<qint64>(0, integerOf(o.value(w::Until.name)).value_or(0));
        e.role = o.value(w::Role.name).toString();
        if (*kind == EventKind::Role && !RoomRoleNames.fromName(e.role))
            return std::nullopt;
    }
    if (*kind == EventKind::Settings) {
        e.isPrivate = o.value(w::Private.name).toBool();
        e.invitesBy = o.value(w::InvitesBy.name).toString();
        if (!InvitePolicyNames.fromName(e.invitesBy))
            return std::nullopt;
    }
    if (*kind == EventKind::Message) {
        e.replyTo = qMax<qint64>(0, integerOf(o.value(w::ReplyTo.name)).value_or(0));
        e.state = stateFrom(o);
        for (const auto &v : o.value(w::Attachments.name).toArray()) {
            if (auto file = FileInfo::fromJson(v.toObject()))
                e.attachments.append(std::move(*file));
        }
    }
    return e;
}

std::optional<RoomEvent> RoomEvent::fromServer(const QJsonObject &o)
{
    namespace w = wire::room_event;
    if (auto e = fromJson(o))
        return e;
    RoomEvent unknown;
    unknown.room = jsonInteger(o.value(w::Room.name)).value_or(0);
    unknown.seq = jsonInteger(o.value(w::Seq.name)).value_or(0);
    if (unknown.room <= 0 || unknown.seq <= 0)
        return std::nullopt;
    unknown.id = -1;
    return unknown;
}

} // namespace confab::protocol
