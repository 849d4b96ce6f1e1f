// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace confab::server::passwords {

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
// Fuzzer builds only (tests/fuzz defines it, the OSS-Fuzz convention): Argon2id's smallest
// parameters, so that an input that signs in costs microseconds, not tens of ms, and the
// fuzzer spends its time in the room, history and sync handlers. Same code path, same
// encoded format; never defined by a build that ships.
inline constexpr unsigned long long OpsLimit = 1;
inline constexpr std::size_t MemLimit = 8 * 1024;
#else
/*!
 * \brief Argon2id via libsodium with OWASP's parameters (19 MiB, t=2, p=1).
 * Deliberately slow (tens of ms): call from a worker thread, never the event loop.
 */
inline constexpr unsigned long long OpsLimit = 2;
inline constexpr std::size_t MemLimit = 19 * 1024 * 1024;
#endif

bool initialize();
/*! \brief The encoded hash string ($argon2id$v=19$m=19456,t=2,p=1$...), empty on failure. */
QString hash(const QString &password);
bool verify(const QString &encodedHash, const QString &password);
/*! \brief A hash of a random password: verifying against it costs what a real check costs. */
QString decoyHash();

} // namespace confab::server::passwords
