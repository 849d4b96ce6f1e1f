// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>
#include <QStringView>
#include <array>
#include <cstddef>
#include <optional>

namespace confab::protocol {

/*! \brief One enumerator and its wire spelling. */
template<typename E> struct EnumName
{
    E value;
    QLatin1StringView name;

    template<std::size_t N>
    constexpr EnumName(E v, const char (&literal)[N])
        : value(v)
        , name(literal, qsizetype(N - 1))
    { }
};

/*!
 * \brief The wire names of an enum whose enumerators run 0, 1, 2, …: the one table both
 * directions read, and the list the JSON Schema generator enumerates.
 *
 * The constructor is consteval and checks that entry i names enumerator i, so a table with
 * a gap, a duplicate or entries out of order does not compile, and toName() is an index.
 */
template<typename E, std::size_t N> class EnumNames
{
public:
    consteval explicit EnumNames(std::array<EnumName<E>, N> entries)
        : m_entries(entries)
    {
        for (std::size_t i = 0; i < N; ++i) {
            if (std::size_t(m_entries[i].value) != i)
                throw "EnumNames: entry i must name enumerator i"; // a compile error
            if (m_entries[i].name.isEmpty())
                throw "EnumNames: empty wire name";
            for (std::size_t j = 0; j < i; ++j) {
                if (sameName(m_entries[j].name, m_entries[i].name))
                    throw "EnumNames: duplicate wire name";
            }
        }
    }

    /*! \brief The wire name; empty for a value outside the enum. */
    constexpr QLatin1StringView toName(E value) const
    {
        const auto i = std::size_t(value);
        return i < N ? m_entries[i].name : QLatin1StringView();
    }

    std::optional<E> fromName(QStringView name) const
    {
        for (const auto &e : m_entries) {
            if (name == e.name)
                return e.value;
        }
        return std::nullopt;
    }

    /*! \brief Every wire name, in enum order: the values a JSON Schema `enum` allows. */
    constexpr std::array<QLatin1StringView, N> names() const
    {
        std::array<QLatin1StringView, N> all {};
        for (std::size_t i = 0; i < N; ++i)
            all[i] = m_entries[i].name;
        return all;
    }

    static constexpr std::size_t size() { return N; }
    constexpr auto begin() const { return m_entries.begin(); }
    constexpr auto end() const { return m_entries.end(); }

private:
    // QLatin1StringView's operator== is not constexpr in Qt 6.4.
    static constexpr bool sameName(QLatin1StringView a, QLatin1StringView b)
    {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a.data()[i] != b.data()[i])
                return false;
        }
        return true;
    }

    std::array<EnumName<E>, N> m_entries;
};

/*!
 * \brief Builds the table: `enumNames<Kind>({{Kind::A, "a"}, {Kind::B, "b"}})`. Only the
 * enum is named; the count comes from the list.
 */
template<typename E, std::size_t N>
consteval EnumNames<E, N> enumNames(const EnumName<E> (&entries)[N])
{
    return EnumNames<E, N>(std::to_array(entries));
}

} // namespace confab::protocol
