# Native user programs (servers, tests, benchmarks; not Linux binaries):
# built without FPU/SSE code (-mgeneral-regs-only) so that switching to
# them never costs an FPU state switch. Static, freestanding x86-64 ELF executables linked
# at 0x400000 with libsys/user.ld, each in its own page-aligned PT_LOAD per
# permission (text RX, rodata R, data and bss RW), no interpreter, no
# dynamic section.
#
# add_user_program(NAME SOURCES...) builds ${CMAKE_BINARY_DIR}/user/NAME
# (the CMake target is also called NAME), links it with libsys (crt0,
# syscalls, printf, malloc, ...) and records it in two global properties:
#   TERN_USER_PROGRAMS    NAME
#   TERN_INITRD_ENTRIES   bin/NAME=<path of the ELF>
# so the initrd rule can depend on the targets and pack the files.

set(TERN_USER_C_FLAGS
  -std=gnu11 -ffreestanding -fno-stack-protector -fno-pic -fno-pie
  -fno-omit-frame-pointer -fcf-protection=none -fno-asynchronous-unwind-tables
  -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections
  -mgeneral-regs-only -O2 -g -Wall -Wextra -Werror)
set(TERN_USER_LD ${PROJECT_SOURCE_DIR}/libsys/user.ld)
set(TERN_USER_LINK_FLAGS
  -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=0x1000
  -Wl,-z,noexecstack -Wl,--gc-sections -Wl,--no-dynamic-linker -Wl,-u,_start -T ${TERN_USER_LD})

define_property(GLOBAL PROPERTY TERN_USER_PROGRAMS
  BRIEF_DOCS "Native user programs" FULL_DOCS "Names given to add_user_program().")
define_property(GLOBAL PROPERTY TERN_INITRD_ENTRIES
  BRIEF_DOCS "initrd entries" FULL_DOCS "archive-path=file pairs to pack into the initrd.")

# Compile options shared by libsys and the programs that link it.
function(tern_user_compile_options target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:C>:${TERN_USER_C_FLAGS}>)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:ASM>:-g>)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/libsys/include
    ${TERN_COMMON_DIR}/include)
endfunction()

function(add_user_program name)
  add_executable(${name} ${ARGN})
  tern_user_compile_options(${name})
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/user
    OUTPUT_NAME ${name}
    SUFFIX ""
    LINK_DEPENDS ${TERN_USER_LD})
  target_link_options(${name} PRIVATE ${TERN_USER_LINK_FLAGS})
  target_link_libraries(${name} PRIVATE sys gcc)
  set_property(GLOBAL APPEND PROPERTY TERN_USER_PROGRAMS ${name})
  set_property(GLOBAL APPEND PROPERTY TERN_INITRD_ENTRIES
    "bin/${name}=${CMAKE_BINARY_DIR}/user/${name}")
endfunction()

# The system archive (system.cpio, linked into the kernel image): the root
# task, the servers, libposix and the vDSO. A user boots their own
# initramfs; these travel with the kernel (docs/personality.md).
#   add_system_program(NAME SOURCES...)   a native program, as bin/NAME
#   tern_system_file(ARCHIVE_PATH TARGET FILE)   any built file
define_property(GLOBAL PROPERTY TERN_SYSTEM_ENTRIES
  BRIEF_DOCS "system archive entries" FULL_DOCS "archive-path=file pairs of system.cpio.")
define_property(GLOBAL PROPERTY TERN_SYSTEM_TARGETS
  BRIEF_DOCS "system archive targets" FULL_DOCS "Targets system.cpio depends on.")

function(add_system_program name)
  add_user_program(${name} ${ARGN})
  tern_system_file(bin/${name} ${name} ${CMAKE_BINARY_DIR}/user/${name})
endfunction()

function(tern_system_file path target file)
  set_property(GLOBAL APPEND PROPERTY TERN_SYSTEM_ENTRIES "${path}=${file}")
  set_property(GLOBAL APPEND PROPERTY TERN_SYSTEM_TARGETS ${target})
endfunction()
