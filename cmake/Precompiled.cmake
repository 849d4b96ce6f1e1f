# SPDX-License-Identifier: GPL-3.0-or-later
# Precompiled headers. Most of a clean build's compile time went into parsing the same Qt
# headers again for every file (about 3 of 5 s per file on 2 cores); a precompiled header
# parses them once per target. CMake's own target_precompile_headers is portable (GCC,
# Clang and MSVC each get their own format), so nothing here is compiler-specific.
option(CONFAB_PCH "Precompile the Qt and standard headers most files include" ON)

# ccache caches files built with a precompiled header only with this sloppiness (the
# header's macros and __TIME__ are part of the .gch, not of the file's text).
if(CONFAB_PCH AND CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env
        "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
        ${CMAKE_CXX_COMPILER_LAUNCHER})
endif()

set(CONFAB_PCH_CORE
    <QtCore/QObject> <QtCore/QString> <QtCore/QStringList> <QtCore/QList> <QtCore/QHash>
    <QtCore/QSet> <QtCore/QByteArray> <QtCore/QDateTime> <QtCore/QJsonArray>
    <QtCore/QJsonDocument> <QtCore/QJsonObject> <QtCore/QJsonValue> <QtCore/QLoggingCategory>
    <QtCore/QPointer> <QtCore/QTimer> <QtCore/QVariant>
    <algorithm> <functional> <memory> <optional>)

# confab_precompile(target [extra headers...]): the common headers plus the target's own.
function(confab_precompile target)
    if(CONFAB_PCH)
        target_precompile_headers(${target} PRIVATE ${CONFAB_PCH_CORE} ${ARGN})
    endif()
endfunction()

# Tests: one precompiled header per folder and set of libraries, shared by the tests with
# that set (REUSE_FROM). A header is only valid where the macros match, and Qt Test defines
# the folder (QT_TESTCASE_BUILDDIR) and each linked module (QT_GUI_LIB: QTEST_MAIN differs),
# so tests in one folder with the same libraries are exactly the ones that can share. Making
# the header costs as much as about four tests save, so smaller sets go without.
set(CONFAB_PCH_MIN_TESTS 4)

function(confab_precompile_test target)
    if(NOT CONFAB_PCH)
        return()
    endif()
    cmake_parse_arguments(ARG "" "" "LIBRARIES" ${ARGN})
    string(MD5 key "${ARG_LIBRARIES}")
    string(SUBSTRING "${key}" 0 8 key)
    get_directory_property(keys CONFAB_PCH_KEYS)
    if(NOT keys)
        # Once the folder's CMakeLists.txt is read, every test in it is known.
        cmake_language(DEFER CALL _confab_share_test_headers)
    endif()
    if(NOT key IN_LIST keys)
        set_property(DIRECTORY APPEND PROPERTY CONFAB_PCH_KEYS ${key})
        set_property(DIRECTORY PROPERTY CONFAB_PCH_LIBS_${key} "${ARG_LIBRARIES}")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CONFAB_PCH_TESTS_${key} ${target})
endfunction()

function(_confab_share_test_headers)
    file(RELATIVE_PATH folder "${CMAKE_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
    string(MAKE_C_IDENTIFIER "${folder}" folder)
    get_directory_property(keys CONFAB_PCH_KEYS)
    foreach(key IN LISTS keys)
        get_directory_property(tests CONFAB_PCH_TESTS_${key})
        list(LENGTH tests count)
        if(count LESS CONFAB_PCH_MIN_TESTS)
            continue()
        endif()
        get_directory_property(libraries CONFAB_PCH_LIBS_${key})
        set(donor confab_pch_${folder}_${key})
        add_library(${donor} OBJECT "${CMAKE_SOURCE_DIR}/cmake/pch_donor.cpp")
        target_link_libraries(${donor} PRIVATE Qt6::Test ${libraries})
        set_target_properties(${donor} PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)
        # <QtTest/QtTest>, the module header most tests include, brings all of QtCore (about
        # 430 headers): parsed once here, it took a quarter off each test's compile time.
        target_precompile_headers(${donor} PRIVATE ${CONFAB_PCH_CORE}
            <QtTest/QtTest> <QtTest/QSignalSpy> <QtCore/QTemporaryDir> <QtCore/QElapsedTimer>)
        foreach(test IN LISTS tests)
            target_precompile_headers(${test} REUSE_FROM ${donor})
            # A test includes its own .moc, so AUTOMOC's file is empty: loading the header
            # for it would cost a second and save nothing.
            set_source_files_properties(
                "${CMAKE_CURRENT_BINARY_DIR}/${test}_autogen/mocs_compilation.cpp"
                PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
        endforeach()
    endforeach()
endfunction()
