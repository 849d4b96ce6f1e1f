// SPDX-License-Identifier: GPL-3.0-or-later
// decodeRequest() is the only code that sees a client's bytes before they are
// trusted. Besides crashes and UB, this checks what the server relies on: an
// accepted request has only known fields that pass their rules and survives a
// round trip, and a refusal carries one of the four validation codes.
#include "protocol/requestbuilder.h"
#include "protocol/requestcodec.h"
#include "protocol/textrules.h"

#include <QJsonValue>
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

bool validId(const QJsonValue &id)
{
    if (id.isString()) {
        const QString s = id.toString();
        return !s.isEmpty() && s.size() <= MaxRequestIdLength && !hasControlCharacter(s)
            && !hasUnpairedSurrogate(s);
    }
    if (!id.isDouble())
        return false;
    const double d = id.toDouble();
    return d >= 0 && d <= double(MaxSafeInteger) && double(qint64(d)) == d;
}

void checkAccepted(const Request &r, const Limits &limits)
{
    check(validId(r.id), "accepted request has an invalid id");
    check(!requestTypeName(r.type).isEmpty(), "accepted request has no type name");
    const auto specs = requestFields(r.type);
    for (auto it = r.fields.begin(); it != r.fields.end(); ++it) {
        const auto spec = std::find_if(
            specs.begin(), specs.end(), [&](const FieldSpec &s) { return it.key() == s.name; });
        check(spec != specs.end(), "accepted request carries an unknown field");
        check(!validateField(*spec, it.value(), limits), "accepted field breaks its rule");
    }
    for (const FieldSpec &s : specs)
        check(!s.requiredIn(r.fields) || r.fields.contains(s.name),
            "accepted request lacks a required field");

    // What a client builds from the same request must mean the same to the server.
    Limits roomy = limits;
    roomy.maxFrameBytes = 64 * 1024 * 1024;
    const QByteArray again = OutgoingRequest {r.type, r.fields}.encode(r.id);
    const auto redecoded = decodeRequest(again, roomy);
    const auto *r2 = std::get_if<Request>(&redecoded);
    check(r2, "re-encoded request is refused");
    check(r2->id == r.id && r2->type == r.type && r2->fields == r.fields,
        "re-encoded request decodes differently");
}

void checkRefused(const RequestError &e)
{
    check(e.code == ErrorCode::BadFrame || e.code == ErrorCode::BadRequest
            || e.code == ErrorCode::UnknownType || e.code == ErrorCode::TooLarge,
        "refusal with a code validation never gives");
    check(!e.message.isEmpty(), "refusal without a message");
    check(e.id.isNull() || validId(e.id), "refusal echoes an invalid id");
    if (e.code == ErrorCode::BadFrame)
        check(e.id.isNull() && e.field.isEmpty(), "bad_frame tied to an id or field");
    if (e.field == "id"_L1)
        check(e.id.isNull(), "invalid id echoed");
    if (e.code == ErrorCode::UnknownType)
        check(e.field == "type"_L1, "unknown_type without field 'type'");
    check(e.field.size() <= 64, "field name longer than 64 characters");
}

void decodeWith(const QByteArray &bytes, const Limits &limits)
{
    const auto decoded = decodeRequest(bytes, limits);
    if (const auto *r = std::get_if<Request>(&decoded))
        checkAccepted(*r, limits);
    else
        checkRefused(std::get<RequestError>(decoded));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(
        reinterpret_cast<const char *>(data), qsizetype(std::min<size_t>(size, 1 << 20)));
    decodeWith(bytes, Limits {});
    // Tight limits reach the too_large branches with short inputs.
    Limits tight;
    tight.maxFrameBytes = 4096;
    tight.maxTextBytes = 8;
    tight.historyPageMax = 3;
    decodeWith(bytes, tight);
    return 0;
}
