// SPDX-License-Identifier: GPL-3.0-or-later
// Only here so that a target exists to build a precompiled header that tests share
// (cmake/Precompiled.cmake).
