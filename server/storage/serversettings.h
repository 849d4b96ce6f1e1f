// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

namespace confab::server {

class StatementCache;
class WriteContext;

/*!
 * \brief Server settings changed from the app (§17.5). A value stored here overrides the
 * configuration file's from then on; a key never set leaves the file's value in force.
 */
namespace serversettings {

//! The registration mode: "open", "invite" or "closed".
inline constexpr QLatin1StringView RegistrationKey {"registration"};

/*! \brief The value stored for \a key; empty when it was never set from the app. */
std::optional<QString> value(StatementCache &db, QLatin1StringView key);
bool value(WriteContext &ctx, QLatin1StringView key, std::optional<QString> *value);
bool setValue(WriteContext &ctx, QLatin1StringView key, const QString &value);
/*! \brief A write that leaves nothing behind, to learn whether the database takes writes. */
bool probeWrite(WriteContext &ctx);

} // namespace serversettings
} // namespace confab::server
