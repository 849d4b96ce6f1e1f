# SPDX-License-Identifier: GPL-3.0-or-later
# Read by cpack before it builds each package (CPACK_PROJECT_CONFIG_FILE).
# Each package's summary is the first line of its component's description; without this,
# CPack's DEB generator would put the project's one summary above both.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
