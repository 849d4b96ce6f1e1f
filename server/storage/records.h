// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QString>

namespace confab::server {

enum class RoomKind
{
    Channel = 0,
    Direct = 1
};

struct UserRecord
{
    qint64 id = 0;
    QString name;
    QString passwordHash;
    bool disabled = false;
};

struct SessionRecord
{
    qint64 userId = 0;
    QString userName;
    qint64 expiresMs = 0;
    bool disabled = false;
};

struct RoomRecord
{
    qint64 id = 0;
    RoomKind kind = RoomKind::Channel;
    QString name;
    QString topic;
    QSet<qint64> members;
    qint64 lastSeq = 0;
};

} // namespace confab::server
