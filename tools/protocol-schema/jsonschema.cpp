// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonschema.h"

#include "protocol/frameshapes.h"
#include "protocol/hello.h"
#include "protocol/protocolversion.h"
#include "protocol/requesttype.h"
#include "protocol/roles.h"
#include "protocol/selfservice.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace confab::tools {

namespace {

using namespace confab::protocol;
using wire::JsonType;

// Descriptions are UTF-8 literals (they cite "§"), not Latin-1.
QString text(QLatin1StringView utf8)
{
    return QString::fromUtf8(utf8.data(), utf8.size());
}

QJsonObject ref(const QString &definition)
{
    return {{u"$ref"_s, QString(u"#/$defs/"_s + definition)}};
}

// Character rules are written as `"not": containsAnyOf(forbidden)`, not as an anchored
// "^[allowed]*$": Python's re, which python-jsonschema uses, lets `$` match before a final
// newline, so the anchored form would let "name\n" through.
QJsonObject containsAnyOf(const QString &characterClass)
{
    return {{u"pattern"_s, QString(u'[' + characterClass + u']')}};
}

// The control characters of §4 (U+0000-U+001F, U+007F-U+009F).
const QString ControlCharacters = u"\\u0000-\\u001f\\u007f-\\u009f"_s;

QJsonObject boundedString(qint64 least, qint64 most)
{
    QJsonObject s {{u"type"_s, u"string"_s}};
    if (least > 0)
        s.insert(u"minLength"_s, double(least));
    if (most > 0)
        s.insert(u"maxLength"_s, double(most));
    return s;
}

QJsonObject boundedInteger(qint64 least, qint64 most)
{
    return {{u"type"_s, u"integer"_s}, {u"minimum"_s, double(least)}, {u"maximum"_s, double(most)}};
}

template<typename Names> QJsonObject enumSchema(const Names &names)
{
    QJsonArray values;
    for (QLatin1StringView v : names)
        values.append(QString(v));
    return {{u"type"_s, u"string"_s}, {u"enum"_s, values}};
}

// The rule of each request field kind (§4). Lengths count UTF-16 code units on the server
// and code points in JSON Schema, so these bounds never refuse what the server accepts.
QJsonObject fieldKindSchema(FieldKind kind)
{
    QJsonObject s;
    switch (kind) {
    case FieldKind::Username:
        s = boundedString(1, MaxUsernameLength);
        s.insert(u"pattern"_s, u"^[A-Za-z0-9]"_s);
        s.insert(u"not"_s, containsAnyOf(u"^A-Za-z0-9_.-"_s));
        s.insert(u"description"_s, u"Compared case-insensitively."_s);
        break;
    case FieldKind::Password:
        s = boundedString(1, MaxPasswordLength);
        s.insert(u"description"_s,
            u"register also needs at least %1 characters (weak_password)."_s.arg(
                MinPasswordLength));
        break;
    case FieldKind::Token:
        s = boundedString(1, MaxTokenLength);
        break;
    case FieldKind::InviteCode:
        s = boundedString(1, MaxInviteCodeLength);
        break;
    case FieldKind::Txn:
        s = boundedString(1, MaxTxnLength);
        s.insert(u"not"_s, containsAnyOf(u"^A-Za-z0-9_.:-"_s));
        break;
    case FieldKind::RoomName:
        s = boundedString(1, MaxRoomNameLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters));
        s.insert(u"description"_s, u"Not blank; the server trims it."_s);
        break;
    case FieldKind::Topic:
        s = boundedString(0, MaxTopicLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters));
        break;
    case FieldKind::Text:
        s = boundedString(1, 0);
        s.insert(u"not"_s, containsAnyOf(u"\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f"_s));
        s.insert(u"description"_s,
            u"At most limits.maxTextBytes UTF-8 bytes; not blank; \\n and \\t allowed."_s);
        break;
    case FieldKind::Id:
        s = boundedInteger(1, MaxSafeInteger);
        break;
    case FieldKind::Seq:
        s = boundedInteger(0, MaxSafeInteger);
        break;
    case FieldKind::PageSize:
        s = {{u"type"_s, u"integer"_s}, {u"minimum"_s, 1},
            {u"description"_s, u"At most limits.historyPageMax."_s}};
        break;
    case FieldKind::Boolean:
        s = {{u"type"_s, u"boolean"_s}};
        break;
    case FieldKind::Cursors:
        s = {{u"type"_s, u"object"_s}, {u"maxProperties"_s, MaxSyncRooms},
            {u"propertyNames"_s,
                QJsonObject {{u"pattern"_s, u"^[1-9]"_s}, {u"not"_s, containsAnyOf(u"^0-9"_s)}}},
            {u"additionalProperties"_s, ref(FieldKindNames.toName(FieldKind::Seq))},
            {u"description"_s, u"Room id (canonical decimal) -> the client's cursor."_s}};
        break;
    case FieldKind::ReactionKey:
        s = boundedString(1, MaxReactionKeyLength);
        s.insert(u"description"_s,
            u"One RGI emoji (UTS #51); one missing only its U+FE0F is accepted with it."_s);
        break;
    case FieldKind::SearchQuery:
        s = boundedString(1, MaxSearchQueryLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters));
        s.insert(u"description"_s, u"Not blank."_s);
        break;
    case FieldKind::Timestamp:
        s = boundedInteger(0, MaxSafeInteger);
        s.insert(u"description"_s, u"ms since the Unix epoch."_s);
        break;
    case FieldKind::Offset:
        s = boundedInteger(0, SearchCandidateCap - 1);
        break;
    case FieldKind::FileName:
        s = boundedString(1, MaxFileNameLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters + u"/\\\\"_s));
        s.insert(u"description"_s, u"Not blank; a name, not a path."_s);
        break;
    case FieldKind::FileSize:
        s = boundedInteger(0, MaxSafeInteger);
        s.insert(u"description"_s, u"Bytes."_s);
        break;
    case FieldKind::Sha256:
        s = boundedString(Sha256HexLength, Sha256HexLength);
        s.insert(u"not"_s, containsAnyOf(u"^0-9a-f"_s));
        break;
    case FieldKind::FileIds:
        s = {{u"type"_s, u"array"_s}, {u"minItems"_s, 1}, {u"maxItems"_s, MaxAttachments},
            {u"uniqueItems"_s, true}, {u"items"_s, ref(FieldKindNames.toName(FieldKind::Id))}};
        break;
    case FieldKind::Role:
        s = enumSchema(RoomRoleNames.names());
        break;
    case FieldKind::InvitePolicy:
        s = enumSchema(InvitePolicyNames.names());
        break;
    case FieldKind::Registration:
        s = enumSchema(RegistrationModeNames.names());
        break;
    case FieldKind::Reason:
        s = boundedString(0, MaxReasonLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters));
        break;
    case FieldKind::Duration:
        s = boundedInteger(1, MaxSanctionSeconds);
        s.insert(u"description"_s, u"Seconds."_s);
        break;
    case FieldKind::InviteUses:
        s = boundedInteger(1, MaxInviteUses);
        break;
    case FieldKind::DisplayName:
        s = boundedString(0, MaxDisplayNameLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters));
        s.insert(u"description"_s, u"\"\" removes it."_s);
        break;
    case FieldKind::Status:
        s = boundedString(0, MaxStatusLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters));
        break;
    case FieldKind::DeviceName:
        s = boundedString(0, MaxDeviceNameLength);
        s.insert(u"not"_s, containsAnyOf(ControlCharacters));
        break;
    case FieldKind::NotifyLevel:
        s = enumSchema(NotifyLevelNames.names());
        break;
    case FieldKind::Usernames:
        s = {{u"type"_s, u"array"_s}, {u"minItems"_s, 1}, {u"maxItems"_s, MaxGroupMembers - 1},
            {u"uniqueItems"_s, true}, {u"items"_s, ref(FieldKindNames.toName(FieldKind::Username))},
            {u"description"_s, u"Distinct case-insensitively."_s}};
        break;
    }
    return s;
}

QJsonObject requestIdSchema()
{
    QJsonObject string = boundedString(1, MaxRequestIdLength);
    string.insert(u"not"_s, containsAnyOf(ControlCharacters));
    return {{u"oneOf"_s, QJsonArray {string, boundedInteger(0, MaxSafeInteger)}},
        {u"description"_s, u"Echoed in the reply (§3.1)."_s}};
}

QString requestDefinition(RequestType type, const QString &suffix)
{
    QString name;
    const QStringList words = QString(RequestTypeNames.toName(type)).split(u'_');
    for (const QString &word : words)
        name += word.left(1).toUpper() + word.mid(1);
    return name + suffix;
}

QJsonObject requestSchema(RequestType type)
{
    QJsonObject properties {{u"id"_s, ref(u"RequestId"_s)},
        {u"type"_s, QJsonObject {{u"const"_s, RequestTypeNames.toName(type)}}}};
    QJsonArray required {u"id"_s, u"type"_s};
    QJsonArray eitherOr; // a field required unless another is there: one of the two
    for (const FieldSpec &field : requestFields(type)) {
        properties.insert(field.name, ref(FieldKindNames.toName(field.kind)));
        if (field.required && field.waivedBy.isEmpty())
            required.append(QString(field.name));
        else if (field.required)
            eitherOr = {QJsonObject {{u"required"_s, QJsonArray {QString(field.name)}}},
                QJsonObject {{u"required"_s, QJsonArray {QString(field.waivedBy)}}}};
    }
    QJsonObject schema {{u"type"_s, u"object"_s}, {u"properties"_s, properties},
        {u"required"_s, required}, {u"additionalProperties"_s, false}};
    if (!eitherOr.isEmpty())
        schema.insert(u"anyOf"_s, eitherOr);
    return schema;
}

QJsonObject valueSchema(const wire::Member &m, JsonType type)
{
    switch (type) {
    case JsonType::String: {
        QJsonObject s = boundedString(m.minimum, m.maximum);
        if (!m.constant.isEmpty())
            s.insert(u"const"_s, m.constant);
        if (!m.values.empty()) {
            QJsonArray values;
            for (QLatin1StringView v : m.values)
                values.append(QString(v));
            s.insert(u"enum"_s, values);
        }
        return s;
    }
    case JsonType::Integer:
        return boundedInteger(m.minimum, m.maximum);
    case JsonType::Boolean:
        return {{u"type"_s, u"boolean"_s}};
    case JsonType::Object:
        return ref(m.shape->name);
    case JsonType::RequestId:
        if (m.nullable)
            return {{u"anyOf"_s,
                QJsonArray {ref(u"RequestId"_s), QJsonObject {{u"type"_s, u"null"_s}}}}};
        return ref(u"RequestId"_s);
    case JsonType::Array:
        break; // arrays of arrays are not part of the protocol
    }
    return {};
}

QJsonObject memberSchema(const wire::Member &m)
{
    QJsonObject s = m.type == JsonType::Array
        ? QJsonObject {{u"type"_s, u"array"_s}, {u"items"_s, valueSchema(m, m.items)}}
        : valueSchema(m, m.type);
    if (!m.description.isEmpty())
        s.insert(u"description"_s, text(m.description));
    return s;
}

QJsonObject shapeSchema(const wire::Shape &shape)
{
    QJsonObject s;
    if (!shape.alternatives.empty()) {
        QJsonArray alternatives;
        for (const wire::Shape *a : shape.alternatives)
            alternatives.append(ref(a->name));
        s.insert(u"anyOf"_s, alternatives);
    } else {
        QJsonObject properties;
        QJsonArray required;
        for (const wire::Member *m : shape.members) {
            properties.insert(m->name, memberSchema(*m));
            if (m->required)
                required.append(QString(m->name));
        }
        s = {{u"type"_s, u"object"_s}, {u"properties"_s, properties}, {u"required"_s, required},
            {u"additionalProperties"_s, false}};
    }
    if (!shape.description.isEmpty())
        s.insert(u"description"_s, text(shape.description));
    return s;
}

// Every shape reachable from \a shape, each once.
void addShapes(const wire::Shape &shape, QJsonObject &defs)
{
    if (defs.contains(shape.name))
        return;
    defs.insert(shape.name, shapeSchema(shape));
    for (const wire::Shape *a : shape.alternatives)
        addShapes(*a, defs);
    for (const wire::Member *m : shape.members) {
        if (m->shape)
            addShapes(*m->shape, defs);
    }
}

} // namespace

QJsonObject protocolJsonSchema()
{
    QJsonObject defs;
    for (const auto &kind : FieldKindNames)
        defs.insert(kind.name, fieldKindSchema(kind.value));
    defs.insert(u"RequestId"_s, requestIdSchema());

    addShapes(wire::ServerFrameShape, defs);
    // The reply to each request: a result carrying that request's data, or an error.
    QJsonArray requests;
    for (const auto &type : RequestTypeNames) {
        const QString request = requestDefinition(type.value, u"Request"_s);
        defs.insert(request, requestSchema(type.value));
        requests.append(ref(request));
        const QJsonObject result {{u"allOf"_s, QJsonArray {ref(wire::ResultShape.name)}},
            {u"properties"_s,
                QJsonObject {{wire::result::Data.name, ref(wire::resultShape(type.value).name)}}}};
        defs.insert(requestDefinition(type.value, u"Reply"_s),
            QJsonObject {{u"oneOf"_s, QJsonArray {result, ref(wire::ErrorShape.name)}},
                {u"description"_s,
                    u"The reply to %1."_s.arg(RequestTypeNames.toName(type.value))}});
    }
    defs.insert(u"ClientFrame"_s,
        QJsonObject {
            {u"oneOf"_s, requests}, {u"description"_s, u"Any request a client may send (§5)."_s}});

    return {{u"$schema"_s, u"https://json-schema.org/draft/2020-12/schema"_s},
        {u"title"_s, u"Confab wire protocol, version %1"_s.arg(Version)},
        {u"description"_s,
            u"Every frame of the Confab protocol (docs/protocol.md): requests (ClientFrame, "
            "<Type>Request), replies (<Type>Reply, Result, Error) and pushes (ServerFrame). "
            "Strict: it describes exactly what this server sends, so unknown members are "
            "refused; clients must still ignore members and types they do not know (§15). "
            "Generated by tools/protocol-schema from shared/protocol; do not edit."_s},
        {u"$defs"_s, defs},
        {u"anyOf"_s, QJsonArray {ref(u"ClientFrame"_s), ref(u"ServerFrame"_s)}}};
}

} // namespace confab::tools
