/*
 * A pure ELF64 executable parser for x86-64, shared by libsys's spawn and
 * (later) the kernel: no libc, no globals, reads only [image, image+size).
 * It validates the headers and the loadable segments and reports what a
 * loader needs; it copies nothing.
 */
#ifndef COMMON_ELF_H
#define COMMON_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
} Elf64_Phdr;

_Static_assert(sizeof(Elf64_Ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(Elf64_Phdr) == 56, "ELF64 program header");

#define ELF_ET_EXEC 2
#define ELF_ET_DYN 3
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_INTERP 3
#define ELF_PT_PHDR 6
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

#define ELF_MAX_SEGMENTS 16
#define ELF_USER_TOP 0x800000000000ull /* end of the user half */

/* Negative results of elf_parse; 0 is success. */
#define ELF_ERRORS(X)                                                  \
	X(ELF_ETRUNC, -1, "file truncated")                            \
	X(ELF_EBADMAGIC, -2, "not an ELF file")                        \
	X(ELF_ECLASS, -3, "not ELFCLASS64")                            \
	X(ELF_EDATA, -4, "not little endian")                          \
	X(ELF_EVERSION, -5, "unknown ELF version")                     \
	X(ELF_EMACHINE, -6, "not x86-64")                              \
	X(ELF_ETYPE, -7, "neither ET_EXEC nor ET_DYN")                 \
	X(ELF_EPHDR, -8, "bad program header table")                   \
	X(ELF_ESEGMENT, -9, "bad loadable segment")                    \
	X(ELF_EALIGN, -10, "bad segment alignment")                    \
	X(ELF_EOVERLAP, -11, "loadable segments overlap")              \
	X(ELF_ENOLOAD, -12, "no loadable segment")                     \
	X(ELF_ETOOMANY, -13, "too many loadable segments")             \
	X(ELF_EENTRY, -14, "entry point not in an executable segment") \
	X(ELF_EINTERP, -15, "needs an interpreter (PT_INTERP): unsupported")

enum elf_error {
#define ELF_ERROR_ENUM(name, num, text) name = num,
	ELF_ERRORS(ELF_ERROR_ENUM)
#undef ELF_ERROR_ENUM
};

struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset; /* of the file bytes */
	uint64_t filesz; /* <= memsz; the rest is zero */
	uint32_t flags;	 /* ELF_PF_R | ELF_PF_W | ELF_PF_X */
};

struct elf_info {
	uint64_t entry;
	uint16_t type;	     /* ELF_ET_EXEC or ELF_ET_DYN (addresses then relative) */
	uint16_t phnum;	     /* AT_PHNUM */
	uint16_t phentsize;  /* AT_PHENT */
	uint64_t phdr_vaddr; /* AT_PHDR: PT_PHDR, else where a PT_LOAD maps the table, else 0 */
	uint64_t vaddr_lo;   /* lowest and highest (exclusive) byte of the loadable image */
	uint64_t vaddr_hi;
	bool has_interp;
	uint64_t interp_offset, interp_size; /* PT_INTERP's path (elf_exec_check) */
	unsigned nsegments;		     /* PT_LOAD with memsz > 0, in file order */
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * Validates the image and fills *out. Returns 0, or a negative ELF_E*
 * code. With ELF_EINTERP *out is complete (everything else was valid), so
 * a loader that learns to run an interpreter can still use it.
 */
int elf_parse(const void *image, size_t size, struct elf_info *out);
const char *elf_strerror(int err);

/*
 * Linux exec's verdict on an image (fs/binfmt_elf.c load_elf_binary, in
 * its order): 0 and *out filled, ELF_EXEC_INTERP when the image names an
 * interpreter (out->interp_offset and interp_size give its NUL-terminated
 * path in the file; the caller opens it and checks it with
 * elf_exec_check_interp), or the errno Linux gives, as a positive number:
 * ENOEXEC (8) for what is not a loadable x86-64 ELF executable (short
 * file, bad magic, class, data, machine or type, a program header size
 * other than 56, no program headers or more than a page of them, a table
 * beyond the end of the file, a PT_INTERP path shorter than 2 bytes,
 * longer than PATH_MAX or not NUL-terminated, overlapping segments, an
 * entry outside every executable segment), EIO (5) for a PT_INTERP path
 * beyond the end of the file, EINVAL (22) for a segment Linux refuses to
 * map (filesz > memsz, a p_memsz or end beyond the user half, p_offset
 * and p_vaddr not congruent).
 */
#define ELF_EXEC_INTERP 1000
int elf_exec_check(const void *image, size_t size, struct elf_info *out);
/* The interpreter's first bytes (`size` of them, at most its header):
 * EIO (5) when shorter than an ELF header, ELIBBAD (80) without the ELF
 * magic or for another machine, else 0. */
int elf_exec_check_interp(const void *image, size_t size);

#endif
