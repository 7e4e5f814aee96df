# Static Linux x86-64 programs, built with musl-gcc: the binaries that the
# Linux personality must run unchanged (contract tests, benchmarks, the
# hello world that boots on both tern and Debian's kernel). They are
# ordinary Linux executables (they run on the host too), built with the
# host's musl, never with libsys.
#
# add_linux_program(NAME SOURCES... [STATIC_PIE] [INCLUDES dir...] [DEPENDS file...])
#   builds ${CMAKE_BINARY_DIR}/linux/NAME with `musl-gcc -static -O2` and
#   makes a target of the same name (in ALL). Relative sources and include
#   directories are taken from the calling CMakeLists.txt's folder.
#   STATIC_PIE makes a static PIE instead (ET_DYN, no PT_INTERP, musl's
#   self-relocating rcrt1.o): Debian's musl-gcc specs cannot (-static-pie
#   there still names the dynamic loader), so the start files and linker
#   flags are given by hand.
#   TERN_LINUX_PROGRAM_<NAME> (a global property) holds the output path.
#
# musl-gcc has no kernel headers of its own: TERN_LINUX_HEADERS is a
# folder of symlinks (linux, asm, asm-generic, mtd) to the host's, given
# with -isystem (as ../shared/FACTS.md's BusyBox note does), so programs
# may include <linux/...> and <asm/...>.
# TERN_HAVE_MUSL says whether musl-gcc was found; without it nothing is
# built and the tests that need these programs are not registered.

find_program(TERN_MUSL_GCC musl-gcc)
if(TERN_MUSL_GCC)
  set(TERN_HAVE_MUSL ON)
else()
  set(TERN_HAVE_MUSL OFF)
  message(WARNING "musl-gcc not found: no static Linux programs (run scripts/setup.sh)")
endif()

# Static PIEs need musl's rcrt1.o and gcc's crtbeginS.o/crtendS.o.
set(TERN_MUSL_LIB /usr/lib/x86_64-linux-musl)
if(TERN_HAVE_MUSL)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=crtbeginS.o
    OUTPUT_VARIABLE TERN_CRTBEGIN_S OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=crtendS.o
    OUTPUT_VARIABLE TERN_CRTEND_S OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()

set(TERN_LINUX_DIR ${CMAKE_BINARY_DIR}/linux)
set(TERN_LINUX_HEADERS ${CMAKE_BINARY_DIR}/linux-headers)
set(TERN_LINUX_C_FLAGS -static -O2 -g -std=gnu11 -Wall -Wextra -Werror
  -fno-strict-aliasing -Wno-unused-parameter)

file(MAKE_DIRECTORY ${TERN_LINUX_DIR} ${TERN_LINUX_HEADERS})
foreach(pair "linux=/usr/include/linux" "asm=/usr/include/x86_64-linux-gnu/asm"
    "asm-generic=/usr/include/asm-generic" "mtd=/usr/include/mtd")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 link)
  list(GET pair 1 target)
  if(EXISTS ${target} AND NOT EXISTS ${TERN_LINUX_HEADERS}/${link})
    file(CREATE_LINK ${target} ${TERN_LINUX_HEADERS}/${link} SYMBOLIC)
  endif()
endforeach()

function(add_linux_program name)
  cmake_parse_arguments(LP "STATIC_PIE" "" "INCLUDES;DEPENDS" ${ARGN})
  if(NOT TERN_HAVE_MUSL)
    return()
  endif()
  set(out ${TERN_LINUX_DIR}/${name})
  set(srcs)
  foreach(src ${LP_UNPARSED_ARGUMENTS})
    get_filename_component(abs ${src} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND srcs ${abs})
  endforeach()
  set(incs)
  foreach(dir ${LP_INCLUDES})
    get_filename_component(abs ${dir} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND incs -I${abs})
  endforeach()
  set(flags ${TERN_LINUX_C_FLAGS})
  set(pre)
  set(post)
  if(LP_STATIC_PIE)
    list(REMOVE_ITEM flags -static)
    list(APPEND flags -fPIE -nostartfiles -Wl,-static,-pie,--no-dynamic-linker,-z,text)
    set(pre ${TERN_MUSL_LIB}/rcrt1.o ${TERN_MUSL_LIB}/crti.o ${TERN_CRTBEGIN_S})
    set(post ${TERN_CRTEND_S} ${TERN_MUSL_LIB}/crtn.o)
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND ${TERN_MUSL_GCC} ${flags} -isystem ${TERN_LINUX_HEADERS} ${incs}
            -MD -MF ${out}.d -o ${out} ${pre} ${srcs} ${post}
    DEPENDS ${srcs} ${LP_DEPENDS}
    DEPFILE ${out}.d
    COMMENT "musl-gcc: linux/${name}" VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${out})
  set_property(GLOBAL PROPERTY TERN_LINUX_PROGRAM_${name} ${out})
endfunction()

# What is built with it: the Linux-side tests and the POSIX benchmark.
add_subdirectory(${PROJECT_SOURCE_DIR}/test/linux ${CMAKE_BINARY_DIR}/test/linux)
add_subdirectory(${PROJECT_SOURCE_DIR}/test/contract ${CMAKE_BINARY_DIR}/test/contract)
add_subdirectory(${PROJECT_SOURCE_DIR}/test/system ${CMAKE_BINARY_DIR}/test/system)
add_subdirectory(${PROJECT_SOURCE_DIR}/test/robust ${CMAKE_BINARY_DIR}/test/robust)
add_subdirectory(${PROJECT_SOURCE_DIR}/bench/posix ${CMAKE_BINARY_DIR}/bench/posix)
