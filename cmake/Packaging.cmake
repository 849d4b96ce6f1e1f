# SPDX-License-Identifier: GPL-3.0-or-later
# Install rules and CPack: two Debian packages, `confabd` (the server, its unit and config) and
# `confab` (the desktop app), built by tools/package. Included from the top CMakeLists.txt.
include(GNUInstallDirs)

set(confab_packaging ${CMAKE_SOURCE_DIR}/packaging)

# --- confabd --------------------------------------------------------------------------------
install(TARGETS confabd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT confabd)
if(UNIX AND NOT APPLE)
    # Absolute: Debian's places, whatever the prefix (CPack's DEB prefix is /usr).
    install(FILES ${confab_packaging}/confabd.ini DESTINATION /etc/confab COMPONENT confabd)
    install(FILES ${confab_packaging}/confabd.service
        DESTINATION /lib/systemd/system COMPONENT confabd)
    install(FILES ${CMAKE_SOURCE_DIR}/docs/operations.md ${CMAKE_SOURCE_DIR}/docs/configuration.md
        ${confab_packaging}/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/confabd COMPONENT confabd)
endif()

# --- confab ---------------------------------------------------------------------------------
if(TARGET confab)
    install(TARGETS confab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT confab
        BUNDLE DESTINATION . COMPONENT confab)
    # The app finds these next to its binary (../share/confab/translations) before the copies
    # compiled into it, so a translation can be added or fixed without a rebuild.
    file(GLOB confab_ts CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/resources/translations/*.ts)
    foreach(ts ${confab_ts})
        get_filename_component(lang ${ts} NAME_WE)
        install(FILES ${CMAKE_BINARY_DIR}/qml/${lang}.qm
            DESTINATION ${CMAKE_INSTALL_DATADIR}/confab/translations COMPONENT confab)
    endforeach()
endif()
if(TARGET confab AND UNIX AND NOT APPLE)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/org.confab.Confab.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT confab)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/org.confab.Confab.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT confab)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/confab.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
        RENAME org.confab.Confab.svg COMPONENT confab)
    install(FILES ${confab_packaging}/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/confab COMPONENT confab)
    # PNGs in the hicolor sizes for desktops and panels that do not draw SVG icons, rendered
    # from the one SVG at build time (Debian: librsvg2-bin) so they never drift from it.
    find_program(CONFAB_RSVG_CONVERT rsvg-convert)
    if(CONFAB_RSVG_CONVERT)
        set(confab_pngs)
        foreach(size 16 22 24 32 48 64 128 256 512)
            set(png ${CMAKE_BINARY_DIR}/icons/${size}x${size}/org.confab.Confab.png)
            add_custom_command(OUTPUT ${png}
                COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons/${size}x${size}
                COMMAND ${CONFAB_RSVG_CONVERT} -w ${size} -h ${size}
                    -o ${png} ${CMAKE_SOURCE_DIR}/resources/icons/confab.svg
                DEPENDS ${CMAKE_SOURCE_DIR}/resources/icons/confab.svg
                VERBATIM)
            list(APPEND confab_pngs ${png})
            install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
                COMPONENT confab)
        endforeach()
        add_custom_target(confab_icon_pngs ALL DEPENDS ${confab_pngs})
    else()
        message(STATUS "rsvg-convert not found: the app's icon is installed as SVG only")
    endif()
endif()

# --- CPack ----------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME confab)
set(CPACK_PACKAGE_VENDOR "Confab")
set(CPACK_PACKAGE_CONTACT "Confab maintainers <confab@example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.org/confab")
set(CPACK_RESOURCE_FILE_LICENSE ${confab_packaging}/debian/copyright)
set(CPACK_STRIP_FILES ON)
set(CPACK_PROJECT_CONFIG_FILE ${confab_packaging}/CPackProjectConfig.cmake)
set(CPACK_COMPONENTS_ALL confabd)
if(TARGET confab)
    list(APPEND CPACK_COMPONENTS_ALL confab)
endif()
# The first line is the package's summary.
set(CPACK_COMPONENT_CONFABD_DESCRIPTION "self-hosted chat server for small teams
confabd is a small chat server speaking a JSON protocol over WebSockets, keeping
everything in SQLite. It runs as the system user confab under a hardened systemd
unit, with its data in /var/lib/confab and its settings in /etc/confab/confabd.ini.")
set(CPACK_COMPONENT_CONFAB_DESCRIPTION "desktop chat app for confabd servers
Channels, direct messages, files and search on a self-hosted confabd server; keeps
working from its local cache while offline and sends what was written once back.")

if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    # Debian's binaries find their libraries in the system paths, not by RPATH.
    set_target_properties(confabd PROPERTIES INSTALL_RPATH "")
    if(TARGET confab)
        set_target_properties(confab PROPERTIES INSTALL_RPATH "")
    endif()
    set(CPACK_GENERATOR DEB)
    set(CPACK_DEB_COMPONENT_INSTALL ON)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
    set(CPACK_DEBIAN_COMPRESSION_TYPE gzip) # xz takes far longer for a few MB less
    # Library dependencies from the binaries themselves (dpkg-shlibdeps, in dpkg-dev).
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_CONFABD_PACKAGE_NAME confabd)
    set(CPACK_DEBIAN_CONFABD_PACKAGE_SECTION net)
    # What dpkg-shlibdeps cannot see: plugins Qt loads at run time (the SQLite driver,
    # WebP for thumbnails), and useradd for the postinst.
    set(CPACK_DEBIAN_CONFABD_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-image-formats-plugins, passwd")
    # mDNS (discovery) goes through the system's responder; without it the beacon alone.
    set(CPACK_DEBIAN_CONFABD_PACKAGE_RECOMMENDS "avahi-daemon")
    set(CPACK_DEBIAN_CONFABD_PACKAGE_CONTROL_EXTRA
        ${confab_packaging}/debian/confabd/postinst ${confab_packaging}/debian/confabd/prerm
        ${confab_packaging}/debian/confabd/postrm ${confab_packaging}/debian/confabd/conffiles)
    set(CPACK_DEBIAN_CONFABD_PACKAGE_CONTROL_STRICT_PERMISSION ON)
    set(CPACK_DEBIAN_CONFAB_PACKAGE_NAME confab)
    set(CPACK_DEBIAN_CONFAB_PACKAGE_SECTION net)
    # The QML modules the UI imports (and those they import), the plugins Qt loads at run
    # time; none of them is a linked library, so dpkg-shlibdeps cannot know them, and a
    # missing one would only show when the app starts. tests/package/check-deb checks this
    # list against qml/'s imports and what the running app loads.
    set(CPACK_DEBIAN_CONFAB_PACKAGE_DEPENDS
        "qml6-module-qtqml, qml6-module-qtqml-models, qml6-module-qtqml-workerscript, \
qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-templates, \
qml6-module-qtquick-layouts, qml6-module-qtquick-window, qml6-module-qtquick-dialogs, \
qml6-module-qt-labs-folderlistmodel, libqt6sql6-sqlite, libqt6svg6, qt6-image-formats-plugins")
    # The token is kept by the desktop's Secret Service (QtKeychain); Wayland sessions.
    # avahi-daemon: servers nearby by mDNS too, not only by their beacon.
    set(CPACK_DEBIAN_CONFAB_PACKAGE_RECOMMENDS
        "gnome-keyring | kwalletmanager | keepassxc, qt6-wayland, avahi-daemon")
endif()

include(CPack)
