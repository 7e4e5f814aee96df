# guest.posix_exec: the proc and mm servers with static musl programs
# (test/guest/linux/) and bad ELF files made from one of them, packed into
# the initrd under linux/, with libposix as lib/libposix.elf (the test
# passes the initrd to proc as its system archive too).
find_program(MUSL_GCC musl-gcc)
if(MUSL_GCC)
  set(POSIX_LINUX_DIR ${CMAKE_BINARY_DIR}/guest_linux)
  set(POSIX_BAD ${POSIX_LINUX_DIR}/bad)
  set(POSIX_BAD_FILES bad_trunc bad_class bad_machine bad_type bad_phentsize bad_phoff
    bad_interp bad_memsz bad_wrap bad_entry bad_overlap bad_noperm bad_script bad_loop bad_noname
    script)
  set(POSIX_LINUX_OUTPUTS ${POSIX_LINUX_DIR}/hello ${POSIX_LINUX_DIR}/posix_test
    ${POSIX_LINUX_DIR}/crash)
  set_property(GLOBAL APPEND PROPERTY TERN_INITRD_ENTRIES "linux=${POSIX_BAD}")
  foreach(prog hello posix_test crash)
    add_custom_command(OUTPUT ${POSIX_LINUX_DIR}/${prog}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${POSIX_LINUX_DIR}
      COMMAND ${MUSL_GCC} -static -O2 -o ${POSIX_LINUX_DIR}/${prog}
        ${CMAKE_CURRENT_SOURCE_DIR}/linux/${prog}.c
      # The initrd rule depends on targets only: repack it when these change.
      COMMAND ${CMAKE_COMMAND} -E rm -f ${CMAKE_BINARY_DIR}/initrd.cpio
      DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/linux/${prog}.c
      COMMENT "musl-gcc ${prog}")
    set_property(GLOBAL APPEND PROPERTY TERN_INITRD_ENTRIES
      "linux/${prog}=${POSIX_LINUX_DIR}/${prog}")
  endforeach()
  set(POSIX_BAD_OUTPUTS)
  foreach(f ${POSIX_BAD_FILES})
    list(APPEND POSIX_BAD_OUTPUTS ${POSIX_BAD}/${f})
    set_property(GLOBAL APPEND PROPERTY TERN_INITRD_ENTRIES "linux/${f}=${POSIX_BAD}/${f}")
  endforeach()
  add_custom_command(OUTPUT ${POSIX_BAD_OUTPUTS}
    COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/linux/mkbad.py ${POSIX_LINUX_DIR}/hello
      ${POSIX_BAD}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${CMAKE_BINARY_DIR}/initrd.cpio
    DEPENDS ${POSIX_LINUX_DIR}/hello ${CMAKE_CURRENT_SOURCE_DIR}/linux/mkbad.py
    COMMENT "bad ELF files")
  add_custom_target(guest_linux_programs DEPENDS ${POSIX_LINUX_OUTPUTS} ${POSIX_BAD_OUTPUTS})
  set_property(GLOBAL APPEND PROPERTY TERN_USER_PROGRAMS guest_linux_programs)
  set_property(GLOBAL APPEND PROPERTY TERN_INITRD_ENTRIES
    "lib/libposix.elf=${CMAKE_BINARY_DIR}/user/libposix.elf")
  set_property(GLOBAL APPEND PROPERTY TERN_USER_PROGRAMS libposix)

  add_guest_program(guest_posix_exec posix_exec.c ${GUEST_COMMON})
  add_guest_test(posix_exec guest_posix_exec)

  # posix.exec: a user initramfs as a user brings one, booted through the
  # system's own root task: /init is posix_test (brk, mmap, limits, every
  # bad ELF, EFAULT arguments), which execs linux/hello (argv, envp, auxv).
  set(POSIX_EXEC_CPIO ${CMAKE_BINARY_DIR}/posix_exec.cpio)
  set(POSIX_EXEC_ENTRIES init=${POSIX_LINUX_DIR}/posix_test linux=${POSIX_BAD}
    linux/hello=${POSIX_LINUX_DIR}/hello)
  foreach(f ${POSIX_BAD_FILES})
    list(APPEND POSIX_EXEC_ENTRIES linux/${f}=${POSIX_BAD}/${f})
  endforeach()
  add_custom_command(OUTPUT ${POSIX_EXEC_CPIO}
    COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/mkcpio.py ${POSIX_EXEC_CPIO} - ${POSIX_EXEC_ENTRIES}
    DEPENDS ${POSIX_LINUX_OUTPUTS} ${POSIX_BAD_OUTPUTS} ${PROJECT_SOURCE_DIR}/scripts/mkcpio.py
    COMMENT "Packing posix_exec.cpio")
  add_custom_target(posix_exec_cpio ALL DEPENDS ${POSIX_EXEC_CPIO})
  add_test(NAME posix.exec
    COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/qemu_run.py
      --kernel $<TARGET_FILE:kernel> --initrd ${POSIX_EXEC_CPIO} --append "console=ttyS0"
      --timeout 120
      --expect "^posix_test: PASS"
      --expect "^hello: argv, envp and auxv as Linux lays them out"
      --expect "^\\[tern\\] init \\(pid 1\\) exited with status 0$"
      --reject "FAIL" --reject "PANIC")
  set_tests_properties(posix.exec PROPERTIES LABELS guest TIMEOUT 300)

  # posix.crash: an /init that faults is killed with Linux's status for
  # SIGSEGV, the system says so, and QEMU ends with failure.
  set(POSIX_CRASH_CPIO ${CMAKE_BINARY_DIR}/posix_crash.cpio)
  add_custom_command(OUTPUT ${POSIX_CRASH_CPIO}
    COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/mkcpio.py ${POSIX_CRASH_CPIO} -
      init=${POSIX_LINUX_DIR}/crash
    DEPENDS ${POSIX_LINUX_DIR}/crash ${PROJECT_SOURCE_DIR}/scripts/mkcpio.py
    COMMENT "Packing posix_crash.cpio")
  add_custom_target(posix_crash_cpio ALL DEPENDS ${POSIX_CRASH_CPIO})
  add_test(NAME posix.crash
    COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/qemu_run.py
      --kernel $<TARGET_FILE:kernel> --initrd ${POSIX_CRASH_CPIO} --append "console=ttyS0"
      --timeout 120 --exit-code 35
      --expect "^\\[tern\\] proc: pid 1 killed by signal 11 \\(vector 14, rip [0-9a-f]+, addr 0\\)$"
      --expect "^\\[tern\\] init \\(pid 1\\) killed by signal 11$"
      --reject "PANIC")
  set_tests_properties(posix.crash PROPERTIES LABELS guest TIMEOUT 300)
else()
  message(STATUS "musl-gcc not found: no guest.posix_exec")
endif()
