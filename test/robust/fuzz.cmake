# The Linux-syscall fuzzer (test/robust/fuzz_main.c; docs/testing.md,
# "Robustness"): a static musl program as /init.
#   robust.fuzz          100,000 calls, 4 workers, the fixed default seed
#   scripts/fuzz_seeds.sh   the opt-in long runs (10^6 calls, many seeds)
# fuzz_implemented.h lists every syscall libposix implements (its
# posix_sys_* symbols), so the fuzzer calls each one the build has.
set(FUZZ_IMPL ${CMAKE_CURRENT_BINARY_DIR}/fuzz_implemented.h)
add_custom_command(OUTPUT ${FUZZ_IMPL}
  COMMAND sh -c "nm '$<TARGET_FILE:libposix>' | sed -n 's/.* T posix_sys_\\(.*\\)/FZ_IMPL(\\1)/p' | sort -u > '${FUZZ_IMPL}'"
  DEPENDS libposix VERBATIM)
add_custom_target(fuzz_implemented DEPENDS ${FUZZ_IMPL})
# hostile_asm.S and native.h: the supervisor's native call for the
# kernel's interrupts-off figures (the ABI headers as hostile.cmake has them).
add_linux_program(robust_fuzz fuzz_main.c fuzz_gen.c fuzz_asm.S hostile_asm.S
  INCLUDES ${CMAKE_CURRENT_BINARY_DIR} ${CMAKE_CURRENT_BINARY_DIR}/hostile-include
  DEPENDS ${FUZZ_IMPL} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz.h ${CMAKE_CURRENT_SOURCE_DIR}/native.h)
add_dependencies(robust_fuzz fuzz_implemented)

set(FUZZ_CPIO ${CMAKE_CURRENT_BINARY_DIR}/fuzz.cpio)
get_property(FUZZ_BIN GLOBAL PROPERTY TERN_LINUX_PROGRAM_robust_fuzz)
add_custom_command(OUTPUT ${FUZZ_CPIO}
  COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/mkinitramfs.py -o ${FUZZ_CPIO} --file /init=${FUZZ_BIN}
  DEPENDS ${FUZZ_BIN} ${PROJECT_SOURCE_DIR}/scripts/mkinitramfs.py VERBATIM)
add_custom_target(robust_fuzz_initramfs ALL DEPENDS ${FUZZ_CPIO})
add_dependencies(robust_fuzz_initramfs robust_fuzz)
add_test(NAME robust.fuzz
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_run.py
    ${PROJECT_SOURCE_DIR}/scripts/qemu_run.py --kernel $<TARGET_FILE:kernel>
    --initrd ${FUZZ_CPIO} --append "console=ttyS0 irqoff_stats FUZZ_CALLS=100000" --timeout 400
    --expect "^FUZZ: PASS$" --expect "init \\(pid 1\\) exited with status 0"
    --expect "^FUZZ system whole:" --expect "^FUZZ irqoff max [0-9]+ entries [0-9]+ preemptions"
    --reject "PANIC" --reject "FUZZ FAILURE" --reject "FUZZ never called" --reject "root: server .* died")
set_tests_properties(robust.fuzz PROPERTIES LABELS "robust" TIMEOUT 480 SKIP_RETURN_CODE 77)
