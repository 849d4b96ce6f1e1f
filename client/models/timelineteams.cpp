// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline's lines for team events (§17.7): invitations, moderation, roles, settings.
#include "models/timelinemodel.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;
using confab::protocol::EventKind;

namespace confab::client {

namespace {

// A row keeps one text; team events keep their few members in it, joined by a character
// no username, role or policy holds and a reason may not contain (§17.8: no controls).
constexpr QChar Separator = u'\x1f';

enum Field
{
    User,
    Reason,
    Until,
    RoleName,
    Private,
    InvitesBy,
    FieldCount,
};

QString untilText(qint64 until)
{
    const QDateTime end = QDateTime::fromMSecsSinceEpoch(until);
    return QLocale().toString(end, QLocale::ShortFormat);
}

QString roleText(const QString &role)
{
    if (role == u"owner")
        return TimelineModel::tr("owner");
    if (role == u"moderator")
        return TimelineModel::tr("moderator");
    return TimelineModel::tr("member");
}

// "ana kicked bob" + ": reason" when one was given.
QString withReason(const QString &line, const QString &reason)
{
    return reason.isEmpty() ? line : TimelineModel::tr("%1: %2").arg(line, reason);
}

} // namespace

QString TimelineModel::teamDetails(const protocol::RoomEvent &event)
{
    QStringList fields(FieldCount);
    fields[User] = event.user;
    fields[Reason] = event.reason;
    fields[Until] = event.until > 0 ? QString::number(event.until) : QString();
    fields[RoleName] = event.role;
    fields[Private] = event.isPrivate ? u"1"_s : QString();
    fields[InvitesBy] = event.invitesBy;
    return fields.join(Separator);
}

QString TimelineModel::teamText(
    EventKind kind, const QString &senderName, const QString &details) const
{
    QStringList f = details.split(Separator);
    f.resize(FieldCount);
    const QString sender = shownName(senderName);
    const QString user = shownName(f.at(User));
    const QString &reason = f.at(Reason);
    const qint64 until = f.at(Until).toLongLong();
    switch (kind) {
    case EventKind::Invite:
        return tr("%1 invited %2").arg(sender, user);
    case EventKind::Add:
        return tr("%1 added %2").arg(sender, user);
    case EventKind::Kick:
        return withReason(tr("%1 removed %2").arg(sender, user), reason);
    case EventKind::Ban:
        return withReason(until > 0
                ? tr("%1 banned %2 until %3").arg(sender, user, untilText(until))
                : tr("%1 banned %2").arg(sender, user),
            reason);
    case EventKind::Unban:
        return tr("%1 lifted the ban on %2").arg(sender, user);
    case EventKind::Mute:
        return withReason(until > 0 ? tr("%1 muted %2 until %3").arg(sender, user, untilText(until))
                                    : tr("%1 muted %2").arg(sender, user),
            reason);
    case EventKind::Unmute:
        return tr("%1 unmuted %2").arg(sender, user);
    case EventKind::Role:
        return tr("%1 made %2 %3").arg(sender, user, roleText(f.at(RoleName)));
    case EventKind::Settings: {
        const bool isPrivate = !f.at(Private).isEmpty();
        const bool moderators = f.at(InvitesBy) == u"moderators";
        if (isPrivate)
            return moderators
                ? tr("%1 made the channel private; only moderators may invite").arg(sender)
                : tr("%1 made the channel private; any member may invite").arg(sender);
        return moderators ? tr("%1 made the channel public; only moderators may invite").arg(sender)
                          : tr("%1 made the channel public; any member may invite").arg(sender);
    }
    default:
        return details;
    }
}

} // namespace confab::client
