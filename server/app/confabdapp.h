// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace confab::server {

/*!
 * \brief Exit codes of confabd, documented in docs/operations.md.
 */
enum ExitCode
{
    ExitOk = 0,
    ExitFailure = 1,
    ExitUsage = 2, //!< bad command line or configuration
    ExitListen = 3, //!< the address or port cannot be used
    ExitDatabase = 4, //!< the database cannot be opened, read or migrated
    ExitTls = 5, //!< the TLS certificate or key cannot be loaded
    ExitInUse = 6, //!< another confabd serves the data folder (serve, restore)
};

/*! \brief confabd's whole command line: serve, or run an admin subcommand. */
int runConfabd(int argc, char **argv);

} // namespace confab::server
