// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/requestcodec.h"

#include "protocol/hello.h"
#include "protocol/reactionkey.h"
#include "protocol/roles.h"
#include "protocol/selfservice.h"
#include "protocol/textrules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace confab::protocol {

namespace {

RequestError fieldError(const FieldSpec &spec, ErrorCode code, const QString &why)
{
    return RequestError {
        code, u"field '%1' %2"_s.arg(spec.name, why), QJsonValue::Null, QString(spec.name)};
}

// Errors about the frame as a whole, before an id could be read.
RequestError frameError(ErrorCode code, const QString &message)
{
    return RequestError {code, message, QJsonValue::Null, QString()};
}

bool isIntegerIn(const QJsonValue &v, qint64 low, qint64 high)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return std::isfinite(d) && std::floor(d) == d && d >= double(low) && d <= double(high);
}

// Shared checks for every string kind: type, length, encoding.
std::optional<RequestError> checkString(
    const FieldSpec &spec, const QJsonValue &value, qsizetype minChars, qsizetype maxChars)
{
    if (!value.isString())
        return fieldError(spec, ErrorCode::BadRequest, u"must be a string"_s);
    const QString s = value.toString();
    if (s.size() > maxChars)
        return fieldError(
            spec, ErrorCode::TooLarge, u"is longer than %1 characters"_s.arg(maxChars));
    if (s.size() < minChars)
        return fieldError(spec, ErrorCode::BadRequest, u"is too short"_s);
    if (hasUnpairedSurrogate(s))
        return fieldError(spec, ErrorCode::BadRequest, u"contains an unpaired surrogate"_s);
    return std::nullopt;
}

// Names, topics and queries: one line of text, without control characters; \a notBlank
// refuses one that is only whitespace.
std::optional<RequestError> checkLine(const FieldSpec &spec, const QJsonValue &value,
    qsizetype minChars, qsizetype maxChars, bool notBlank)
{
    if (auto e = checkString(spec, value, minChars, maxChars))
        return e;
    if (hasControlCharacter(value.toString()))
        return fieldError(spec, ErrorCode::BadRequest, u"contains a control character"_s);
    if (notBlank && value.toString().trimmed().isEmpty())
        return fieldError(spec, ErrorCode::BadRequest, u"is blank"_s);
    return std::nullopt;
}

std::optional<RequestError> checkCursors(const FieldSpec &spec, const QJsonValue &value)
{
    if (!value.isObject())
        return fieldError(spec, ErrorCode::BadRequest, u"must be an object"_s);
    const QJsonObject cursors = value.toObject();
    if (cursors.size() > MaxSyncRooms)
        return fieldError(spec, ErrorCode::TooLarge, u"has more than %1 rooms"_s.arg(MaxSyncRooms));
    for (auto it = cursors.begin(); it != cursors.end(); ++it) {
        bool ok = false;
        const qint64 room = it.key().toLongLong(&ok);
        if (!ok || room < 1 || room > MaxSafeInteger || it.key() != QString::number(room))
            return fieldError(spec, ErrorCode::BadRequest, u"keys must be room ids"_s);
        if (!isIntegerIn(it.value(), 0, MaxSafeInteger))
            return fieldError(spec, ErrorCode::BadRequest, u"values must be sequence numbers"_s);
    }
    return std::nullopt;
}

std::optional<RequestError> checkFileName(const FieldSpec &spec, const QJsonValue &value)
{
    if (auto e = checkLine(spec, value, 1, MaxFileNameLength, true))
        return e;
    const QString name = value.toString();
    if (name.contains(u'/') || name.contains(u'\\'))
        return fieldError(spec, ErrorCode::BadRequest, u"must be a file name, not a path"_s);
    return std::nullopt;
}

std::optional<RequestError> checkSha256(const FieldSpec &spec, const QJsonValue &value)
{
    if (auto e = checkString(spec, value, Sha256HexLength, Sha256HexLength))
        return e;
    const QString hex = value.toString();
    const bool lowerHex = std::all_of(hex.begin(), hex.end(),
        [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
    if (!lowerHex)
        return fieldError(spec, ErrorCode::BadRequest, u"must be 64 lowercase hex digits"_s);
    return std::nullopt;
}

std::optional<RequestError> checkFileIds(const FieldSpec &spec, const QJsonValue &value)
{
    if (!value.isArray())
        return fieldError(spec, ErrorCode::BadRequest, u"must be an array of file ids"_s);
    const QJsonArray ids = value.toArray();
    if (ids.size() > MaxAttachments)
        return fieldError(
            spec, ErrorCode::TooLarge, u"has more than %1 files"_s.arg(MaxAttachments));
    if (ids.isEmpty())
        return fieldError(spec, ErrorCode::BadRequest, u"must name at least one file"_s);
    QList<qint64> seen;
    for (const auto &id : ids) {
        if (!isIntegerIn(id, 1, MaxSafeInteger))
            return fieldError(spec, ErrorCode::BadRequest, u"must be an array of file ids"_s);
        const auto file = qint64(id.toDouble());
        if (seen.contains(file))
            return fieldError(spec, ErrorCode::BadRequest, u"names a file twice"_s);
        seen.append(file);
    }
    return std::nullopt;
}

std::optional<RequestError> checkUsernames(const FieldSpec &spec, const QJsonValue &value)
{
    constexpr int MaxOthers = MaxGroupMembers - 1;
    if (!value.isArray())
        return fieldError(spec, ErrorCode::BadRequest, u"must be an array of usernames"_s);
    const QJsonArray names = value.toArray();
    if (names.size() > MaxOthers)
        return fieldError(spec, ErrorCode::TooLarge, u"has more than %1 users"_s.arg(MaxOthers));
    if (names.isEmpty())
        return fieldError(spec, ErrorCode::BadRequest, u"must name at least one user"_s);
    QStringList seen;
    for (const auto &name : names) {
        if (!name.isString() || name.toString().size() > MaxUsernameLength
            || !isValidUsername(name.toString()))
            return fieldError(spec, ErrorCode::BadRequest, u"must be an array of usernames"_s);
        const QString key = name.toString().toCaseFolded();
        if (seen.contains(key))
            return fieldError(spec, ErrorCode::BadRequest, u"names a user twice"_s);
        seen.append(key);
    }
    return std::nullopt;
}

// A string that must be one of a fixed set of names.
template<typename Names>
std::optional<RequestError> checkName(
    const FieldSpec &spec, const QJsonValue &value, const Names &names, const QString &listed)
{
    if (!value.isString() || !names.fromName(value.toString()))
        return fieldError(spec, ErrorCode::BadRequest, u"must be one of %1"_s.arg(listed));
    return std::nullopt;
}

} // namespace

std::optional<RequestError> validateField(
    const FieldSpec &spec, const QJsonValue &value, const Limits &limits)
{
    switch (spec.kind) {
    case FieldKind::Username:
        if (auto e = checkString(spec, value, 1, MaxUsernameLength))
            return e;
        if (!isValidUsername(value.toString()))
            return fieldError(spec, ErrorCode::BadRequest,
                u"must be letters, digits, '_', '.' or '-', starting with a letter or digit"_s);
        return std::nullopt;
    case FieldKind::Password:
        return checkString(spec, value, 1, MaxPasswordLength);
    case FieldKind::Token:
        return checkString(spec, value, 1, MaxTokenLength);
    case FieldKind::InviteCode:
        return checkString(spec, value, 1, MaxInviteCodeLength);
    case FieldKind::Txn:
        if (auto e = checkString(spec, value, 1, MaxTxnLength))
            return e;
        if (!isValidTxn(value.toString()))
            return fieldError(
                spec, ErrorCode::BadRequest, u"must be letters, digits, '_', '.', ':' or '-'"_s);
        return std::nullopt;
    case FieldKind::RoomName:
        return checkLine(spec, value, 1, MaxRoomNameLength, true);
    case FieldKind::Topic:
        return checkLine(spec, value, 0, MaxTopicLength, false);
    case FieldKind::Text: {
        if (auto e = checkString(spec, value, 1, limits.maxTextBytes))
            return e;
        const QString text = value.toString();
        if (text.toUtf8().size() > limits.maxTextBytes)
            return fieldError(spec, ErrorCode::TooLarge,
                u"is longer than %1 UTF-8 bytes"_s.arg(limits.maxTextBytes));
        if (hasControlCharacter(text, MessageTextControls))
            return fieldError(spec, ErrorCode::BadRequest,
                u"contains a control character other than newline or tab"_s);
        if (text.trimmed().isEmpty())
            return fieldError(spec, ErrorCode::BadRequest, u"is blank"_s);
        return std::nullopt;
    }
    case FieldKind::Id:
        if (!isIntegerIn(value, 1, MaxSafeInteger))
            return fieldError(
                spec, ErrorCode::BadRequest, u"must be an integer from 1 to 2^53-1"_s);
        return std::nullopt;
    case FieldKind::Seq:
        if (!isIntegerIn(value, 0, MaxSafeInteger))
            return fieldError(
                spec, ErrorCode::BadRequest, u"must be an integer from 0 to 2^53-1"_s);
        return std::nullopt;
    case FieldKind::PageSize:
        if (!isIntegerIn(value, 1, limits.historyPageMax))
            return fieldError(spec, ErrorCode::BadRequest,
                u"must be an integer from 1 to %1"_s.arg(limits.historyPageMax));
        return std::nullopt;
    case FieldKind::Boolean:
        if (!value.isBool())
            return fieldError(spec, ErrorCode::BadRequest, u"must be true or false"_s);
        return std::nullopt;
    case FieldKind::Cursors:
        return checkCursors(spec, value);
    case FieldKind::ReactionKey:
        if (auto e = checkString(spec, value, 1, MaxReactionKeyLength))
            return e;
        if (!normalizedReactionKey(value.toString()))
            return fieldError(spec, ErrorCode::BadRequest, u"must be one emoji"_s);
        return std::nullopt;
    case FieldKind::SearchQuery:
        return checkLine(spec, value, 1, MaxSearchQueryLength, true);
    case FieldKind::Timestamp:
        if (!isIntegerIn(value, 0, MaxSafeInteger))
            return fieldError(
                spec, ErrorCode::BadRequest, u"must be an integer from 0 to 2^53-1"_s);
        return std::nullopt;
    case FieldKind::Offset:
        if (!isIntegerIn(value, 0, SearchCandidateCap - 1))
            return fieldError(spec, ErrorCode::BadRequest,
                u"must be an integer from 0 to %1"_s.arg(SearchCandidateCap - 1));
        return std::nullopt;
    case FieldKind::FileName:
        return checkFileName(spec, value);
    case FieldKind::FileSize:
        if (!isIntegerIn(value, 0, MaxSafeInteger))
            return fieldError(
                spec, ErrorCode::BadRequest, u"must be an integer from 0 to 2^53-1"_s);
        return std::nullopt;
    case FieldKind::Sha256:
        return checkSha256(spec, value);
    case FieldKind::FileIds:
        return checkFileIds(spec, value);
    case FieldKind::Role:
        return checkName(spec, value, RoomRoleNames, u"owner, moderator, member"_s);
    case FieldKind::InvitePolicy:
        return checkName(spec, value, InvitePolicyNames, u"members, moderators"_s);
    case FieldKind::Registration:
        return checkName(spec, value, RegistrationModeNames, u"open, invite, closed"_s);
    case FieldKind::Reason:
        return checkLine(spec, value, 0, MaxReasonLength, false);
    case FieldKind::Duration:
        if (!isIntegerIn(value, 1, MaxSanctionSeconds))
            return fieldError(spec, ErrorCode::BadRequest,
                u"must be an integer from 1 to %1"_s.arg(MaxSanctionSeconds));
        return std::nullopt;
    case FieldKind::InviteUses:
        if (!isIntegerIn(value, 1, MaxInviteUses))
            return fieldError(spec, ErrorCode::BadRequest,
                u"must be an integer from 1 to %1"_s.arg(MaxInviteUses));
        return std::nullopt;
    case FieldKind::DisplayName:
        return checkLine(spec, value, 0, MaxDisplayNameLength, false);
    case FieldKind::Status:
        return checkLine(spec, value, 0, MaxStatusLength, false);
    case FieldKind::DeviceName:
        return checkLine(spec, value, 0, MaxDeviceNameLength, false);
    case FieldKind::NotifyLevel:
        return checkName(spec, value, NotifyLevelNames, u"all, mentions, none"_s);
    case FieldKind::Usernames:
        return checkUsernames(spec, value);
    }
    return fieldError(spec, ErrorCode::Internal, u"has no rule"_s);
}

DecodedRequest decodeRequest(const QByteArray &utf8, const Limits &limits)
{
    if (utf8.size() > limits.maxFrameBytes)
        return frameError(
            ErrorCode::TooLarge, u"frame is larger than %1 bytes"_s.arg(limits.maxFrameBytes));
    if (!isValidUtf8(utf8))
        return frameError(ErrorCode::BadFrame, u"frame is not valid UTF-8"_s);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return frameError(ErrorCode::BadFrame,
            u"frame is not JSON: %1 at offset %2"_s.arg(parseError.errorString())
                .arg(parseError.offset));
    if (!doc.isObject())
        return frameError(ErrorCode::BadFrame, u"frame must be a JSON object"_s);
    QJsonObject object = doc.object();

    // The id comes first so that every later error can be tied to its request.
    const QJsonValue id = object.value("id"_L1);
    const bool idOk
        = (id.isString() && !id.toString().isEmpty() && id.toString().size() <= MaxRequestIdLength
              && !hasControlCharacter(id.toString()) && !hasUnpairedSurrogate(id.toString()))
        || isIntegerIn(id, 0, MaxSafeInteger);
    if (!idOk)
        return RequestError {ErrorCode::BadRequest,
            u"'id' must be a non-empty string of at most %1 characters or an integer"_s.arg(
                MaxRequestIdLength),
            QJsonValue::Null, u"id"_s};

    const QJsonValue typeValue = object.value("type"_L1);
    if (!typeValue.isString())
        return RequestError {ErrorCode::BadRequest, u"'type' must be a string"_s, id, u"type"_s};
    const auto type = requestTypeFromName(typeValue.toString());
    if (!type)
        return RequestError {ErrorCode::UnknownType,
            u"unknown request type '%1'"_s.arg(typeValue.toString().left(MaxQuotedNameLength)), id,
            u"type"_s};

    object.remove("id"_L1);
    object.remove("type"_L1);
    const auto specs = requestFields(*type);
    for (auto it = object.begin(); it != object.end(); ++it) {
        const bool known = std::any_of(
            specs.begin(), specs.end(), [&](const FieldSpec &s) { return it.key() == s.name; });
        if (!known)
            return RequestError {ErrorCode::BadRequest,
                u"unknown field '%1' for '%2'"_s.arg(
                    it.key().left(MaxQuotedNameLength), requestTypeName(*type)),
                id, it.key().left(MaxQuotedNameLength)};
    }
    for (const FieldSpec &spec : specs) {
        const QJsonValue value = object.value(spec.name);
        if (value.isUndefined()) {
            if (spec.requiredIn(object))
                return RequestError {ErrorCode::BadRequest, u"missing field '%1'"_s.arg(spec.name),
                    id, QString(spec.name)};
            continue;
        }
        if (auto error = validateField(spec, value, limits)) {
            error->id = id;
            return *error;
        }
    }
    RequestBody body = requestBody(*type, object);
    return Request {id, *type, std::move(object), std::move(body)};
}

} // namespace confab::protocol
