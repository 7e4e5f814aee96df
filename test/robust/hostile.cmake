# The hostile native client (test/robust/hostile.c; docs/personality.md,
# "Trust boundary"): a static musl program as /init that keeps secrets
# and runs hostile children making raw native calls through a `syscall`
# instruction inside libposix.
#   robust.hostile   12 children x 2,000 garbage messages after the
#                    targeted attacks; HOSTILE_SEED, HOSTILE_CHILDREN,
#                    HOSTILE_MESSAGES on the command line replay or widen
# The ABI headers come from a folder of two links (tern, posix), so no
# libsys header can shadow one of musl's.
set(HOSTILE_INC ${CMAKE_CURRENT_BINARY_DIR}/hostile-include)
file(MAKE_DIRECTORY ${HOSTILE_INC})
foreach(d tern posix)
  if(NOT EXISTS ${HOSTILE_INC}/${d})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/libsys/include/${d} ${HOSTILE_INC}/${d} SYMBOLIC)
  endif()
endforeach()
add_linux_program(robust_hostile hostile.c hostile_asm.S INCLUDES ${HOSTILE_INC}
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/native.h)

set(HOSTILE_CPIO ${CMAKE_CURRENT_BINARY_DIR}/hostile.cpio)
get_property(HOSTILE_BIN GLOBAL PROPERTY TERN_LINUX_PROGRAM_robust_hostile)
add_custom_command(OUTPUT ${HOSTILE_CPIO}
  COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/mkinitramfs.py -o ${HOSTILE_CPIO} --file /init=${HOSTILE_BIN}
  DEPENDS ${HOSTILE_BIN} ${PROJECT_SOURCE_DIR}/scripts/mkinitramfs.py VERBATIM)
add_custom_target(robust_hostile_initramfs ALL DEPENDS ${HOSTILE_CPIO})
add_dependencies(robust_hostile_initramfs robust_hostile)
add_test(NAME robust.hostile
  COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/qemu_run.py --kernel $<TARGET_FILE:kernel>
    --initrd ${HOSTILE_CPIO} --append "console=ttyS0" --timeout 300
    --expect "^HOSTILE: a syscall gadget at 0x7fc0"
    --expect "^HOSTILE: ([0-9]+) targeted attacks, \\1 refused, 0 leaks$"
    --expect "^hostile: a normal program runs$"
    --expect "^HOSTILE: PASS$" --expect "init \\(pid 1\\) exited with status 0"
    --reject "PANIC" --reject "HOSTILE (LEAK|BREACH|FAILURE)" --reject "root: server .* died")
set_tests_properties(robust.hostile PROPERTIES LABELS "robust" TIMEOUT 400)
