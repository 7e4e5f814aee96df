# BusyBox from Debian's source package, built statically with musl-gcc
# (scripts/busybox_src.sh; docs/userland.md). The target `busybox` makes
#   ${CMAKE_BINARY_DIR}/busybox/busybox        the static binary
#   ${CMAKE_BINARY_DIR}/busybox/busybox.links  its applets' install paths
# (TERN_BUSYBOX and TERN_BUSYBOX_LINKS). The source is fetched once into
# ~/.cache/tern/busybox-src (TERN_BUSYBOX_SRC_CACHE overrides) and the
# objects stay in the build tree, so a rebuild neither refetches nor
# recompiles; the command reruns only when cmake/busybox.config or the
# script changes. TERN_HAVE_BUSYBOX is OFF without musl-gcc or with
# -DTERN_BUSYBOX=OFF (then the default initramfs has no userland).
option(TERN_BUSYBOX "Build BusyBox from Debian's source package (needs apt-get source)" ON)
set(TERN_BUSYBOX_DIR ${CMAKE_BINARY_DIR}/busybox)
set(TERN_BUSYBOX ${TERN_BUSYBOX_DIR}/busybox)
set(TERN_BUSYBOX_LINKS ${TERN_BUSYBOX_DIR}/busybox.links)
set(TERN_BUSYBOX_CONFIG ${PROJECT_SOURCE_DIR}/cmake/busybox.config)
if(TERN_BUSYBOX AND TERN_HAVE_MUSL)
  set(TERN_HAVE_BUSYBOX ON)
  add_custom_command(OUTPUT ${TERN_BUSYBOX} ${TERN_BUSYBOX_LINKS}
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/busybox_src.sh build ${TERN_BUSYBOX_DIR}
            ${TERN_BUSYBOX_CONFIG} ${TERN_LINUX_HEADERS}
    DEPENDS ${PROJECT_SOURCE_DIR}/scripts/busybox_src.sh ${TERN_BUSYBOX_CONFIG}
    COMMENT "BusyBox (Debian source, musl-gcc, static)" VERBATIM)
  add_custom_target(busybox ALL DEPENDS ${TERN_BUSYBOX} ${TERN_BUSYBOX_LINKS})
else()
  set(TERN_HAVE_BUSYBOX OFF)
endif()

if(TERN_HAVE_BUSYBOX)
  add_subdirectory(${PROJECT_SOURCE_DIR}/test/userland ${CMAKE_BINARY_DIR}/test/userland)
endif()
