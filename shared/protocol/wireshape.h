// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/limits.h"

#include <QLatin1StringView>
#include <QtGlobal>
#include <cstddef>
#include <span>

/*!
 * \file
 * \brief The vocabulary that describes what the server sends: each reply and push is a
 * Shape, a list of Members (name, JSON type, whether it is always there, bounds).
 *
 * The encoders take their member names from these descriptions, tests/shared checks that
 * each encoder's output has exactly its shape's members, and the JSON Schema generator
 * (docs/protocol.schema.json) reads the same descriptions. Requests are described by
 * their FieldSpec tables (requesttype.h) instead.
 */
namespace confab::protocol::wire {

enum class JsonType
{
    String,
    Integer,
    Boolean,
    Object, //!< members given by Member::shape
    Array, //!< items given by Member::items (and Member::shape for objects)
    RequestId, //!< a request's id echoed back: a string or an integer (§3.1)
};

struct Shape;

/*! \brief One member of an object the server sends. */
struct Member
{
    QLatin1StringView name;
    JsonType type = JsonType::String;
    bool required = true; //!< false: present only in some cases, given in description
    const Shape *shape = nullptr; //!< Object, and Array of Object: what each object holds
    JsonType items = JsonType::String; //!< Array only: the items' type
    qint64 minimum = 0; //!< Integer (and Array of Integer): least value; String: least length
    qint64 maximum = 0; //!< Integer: greatest value; String: greatest length; 0: none
    QLatin1StringView constant; //!< String: the only value it takes (a frame's `type`)
    std::span<const QLatin1StringView> values; //!< String: the values it may take
    bool nullable = false; //!< RequestId: null when the request's id could not be read
    QLatin1StringView description;
};

/*!
 * \brief An object the server sends: its members, or (for a union) the shapes it may be,
 * told apart by a member with a constant value (a room event's `kind`).
 */
struct Shape
{
    QLatin1StringView name; //!< the JSON Schema definition's name
    std::span<const Member *const> members;
    std::span<const Shape *const> alternatives; //!< non-empty: a union; members is empty
    QLatin1StringView description;
};

/*! \brief A string literal as a wire name, for constexpr tables. */
template<std::size_t N> constexpr QLatin1StringView literal(const char (&s)[N])
{
    return QLatin1StringView(s, qsizetype(N - 1));
}

// Builders that keep the tables one line per member. (Not designated initializers: GCC's
// -Wextra asks for every member of those, defaults or not.)

template<std::size_t N> constexpr Member member(const char (&name)[N], JsonType type)
{
    Member m;
    m.name = literal(name);
    m.type = type;
    return m;
}

/*! \brief An integer from \a least to \a most (ids: 1, counts and sequences: 0). */
template<std::size_t N>
constexpr Member integer(const char (&name)[N], qint64 least, qint64 most = MaxSafeInteger)
{
    Member m = member(name, JsonType::Integer);
    m.minimum = least;
    m.maximum = most;
    return m;
}

/*! \brief A string of \a least to \a most characters (\a most 0: unbounded). */
template<std::size_t N>
constexpr Member string(const char (&name)[N], qint64 least = 0, qint64 most = 0)
{
    Member m = member(name, JsonType::String);
    m.minimum = least;
    m.maximum = most;
    return m;
}

/*! \brief A string that takes one of \a values (an enum's EnumNames::names()). */
template<std::size_t N>
constexpr Member oneOf(const char (&name)[N], std::span<const QLatin1StringView> values)
{
    Member m = member(name, JsonType::String);
    m.values = values;
    return m;
}

/*! \brief A string that is always \a value: a frame's `type`, an event's `kind`. */
template<std::size_t N> constexpr Member constant(const char (&name)[N], QLatin1StringView value)
{
    Member m = member(name, JsonType::String);
    m.constant = value;
    return m;
}

template<std::size_t N> constexpr Member boolean(const char (&name)[N])
{
    return member(name, JsonType::Boolean);
}

/*! \brief The id of the request a reply answers; \a nullable for errors (§3.2). */
template<std::size_t N> constexpr Member requestId(const char (&name)[N], bool nullable)
{
    Member m = member(name, JsonType::RequestId);
    m.nullable = nullable;
    return m;
}

template<std::size_t N> constexpr Member object(const char (&name)[N], const Shape &shape)
{
    Member m = member(name, JsonType::Object);
    m.shape = &shape;
    return m;
}

template<std::size_t N> constexpr Member arrayOf(const char (&name)[N], const Shape &shape)
{
    Member m = member(name, JsonType::Array);
    m.items = JsonType::Object;
    m.shape = &shape;
    return m;
}

/*! \brief An array of strings of \a least to \a most characters. */
template<std::size_t N>
constexpr Member arrayOfStrings(const char (&name)[N], qint64 least = 0, qint64 most = 0)
{
    Member m = string(name, least, most);
    m.type = JsonType::Array;
    m.items = JsonType::String;
    return m;
}

/*! \brief An array of integers from \a least to 2^53-1. */
template<std::size_t N> constexpr Member arrayOfIntegers(const char (&name)[N], qint64 least)
{
    Member m = integer(name, least);
    m.type = JsonType::Array;
    m.items = JsonType::Integer;
    return m;
}

/*! \brief \a m, present only when \a when says. */
template<std::size_t N> constexpr Member optional(Member m, const char (&when)[N])
{
    m.required = false;
    m.description = literal(when);
    return m;
}

/*! \brief \a m with a description for the schema's readers. */
template<std::size_t N> constexpr Member described(Member m, const char (&text)[N])
{
    m.description = literal(text);
    return m;
}

/*! \brief An object with \a members. */
template<std::size_t N, std::size_t D>
constexpr Shape objectShape(
    const char (&name)[N], std::span<const Member *const> members, const char (&description)[D])
{
    Shape s;
    s.name = literal(name);
    s.members = members;
    s.description = literal(description);
    return s;
}

/*! \brief A union: exactly one of \a alternatives, told apart by a constant member. */
template<std::size_t N, std::size_t D>
constexpr Shape unionShape(
    const char (&name)[N], std::span<const Shape *const> alternatives, const char (&description)[D])
{
    Shape s;
    s.name = literal(name);
    s.alternatives = alternatives;
    s.description = literal(description);
    return s;
}

} // namespace confab::protocol::wire
