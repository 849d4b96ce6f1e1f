// SPDX-License-Identifier: GPL-3.0-or-later
// What a client does with a server's bytes: decodeServerFrame() and
// RoomEvent::fromJson(). A hostile or broken server must not crash a client or
// make it compute garbage through undefined behaviour.
#include "protocol/errorcode.h"
#include "protocol/hello.h"
#include "protocol/results.h"
#include "protocol/roomevent.h"
#include "protocol/serverframe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace confab::protocol;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

void checkEvent(const QJsonObject &object)
{
    const auto event = RoomEvent::fromJson(object);
    if (!event)
        return;
    // The wire form of a decoded event is canonical: decoding it again is stable.
    const auto once = RoomEvent::fromJson(event->toJson());
    check(once.has_value(), "an event's own JSON is refused");
    const auto twice = RoomEvent::fromJson(once->toJson());
    check(twice.has_value() && *twice == *once, "event JSON round trip is not stable");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(
        reinterpret_cast<const char *>(data), qsizetype(std::min<size_t>(size, 1 << 20)));
    if (const auto frame = decodeServerFrame(bytes)) {
        check(!serverFrameTypeName(frame->type).isEmpty(), "frame type without a name");
        (void)frame->data();
        if (frame->type == ServerFrameType::Error)
            check(errorCodeFromName(errorCodeName(frame->error)) == frame->error,
                "error code name round trip");
        if (const auto event = frame->roomEvent())
            checkEvent(event->toJson());
        // Every typed view a client reads must take any frame without undefined behaviour,
        // and what it accepts must survive its own encoding.
        (void)frame->presence();
        (void)frame->typing();
        (void)frame->readState();
        if (const auto entry = frame->directoryEntry())
            check(DirectoryEntry::fromJson(entry->toJson()) == entry, "directory round trip");
        if (const auto summary = frame->roomSummary())
            check(RoomSummary::fromJson(summary->toJson()).has_value(), "summary round trip");
        if (const auto hello = Hello::fromJson(frame->body))
            check(Hello::fromJson(QJsonDocument::fromJson(hello->encode()).object()).has_value(),
                "hello round trip");
        const QJsonObject data = frame->data();
        (void)SignedIn::fromJson(data);
        (void)SendAck::fromJson(data);
        (void)EventSeq::fromJson(data);
        (void)HistoryPage::fromJson(data);
        (void)SyncResult::fromJson(data);
        (void)ReadState::fromJson(data);
        (void)MemberList::fromJson(data);
        (void)RoomResult::fromJson(data);
        (void)Directory::fromJson(data);
        (void)Pong::fromJson(data);
        checkEvent(frame->body.value("event"_L1).toObject());
    }
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (doc.isObject())
        checkEvent(doc.object());
    return 0;
}
