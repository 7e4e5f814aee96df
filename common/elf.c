/*
 * ELF64 executable parser (sys/elf.h). Headers are copied out with
 * memcpy before use, so the image needs no alignment, and every offset is
 * checked against the size in a form that cannot overflow (a > size ||
 * b > size - a) before anything at it is read.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/elf.h"

#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1

/* [off, off+len) lies inside a file of `size` bytes. */
static bool in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static int check_header(const Elf64_Ehdr *eh)
{
	const unsigned char *id = eh->e_ident;

	if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
		return ELF_EBADMAGIC;
	if (id[EI_CLASS] != ELFCLASS64)
		return ELF_ECLASS;
	if (id[EI_DATA] != ELFDATA2LSB)
		return ELF_EDATA;
	if (id[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return ELF_EVERSION;
	if (eh->e_machine != ELF_EM_X86_64)
		return ELF_EMACHINE;
	if (eh->e_type != ELF_ET_EXEC && eh->e_type != ELF_ET_DYN)
		return ELF_ETYPE;
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return ELF_EPHDR;
	return 0;
}

static int check_load(const Elf64_Phdr *ph, size_t size)
{
	if (ph->p_filesz > ph->p_memsz)
		return ELF_ESEGMENT;
	if (!in_file(ph->p_offset, ph->p_filesz, size))
		return ELF_ETRUNC;
	if (ph->p_vaddr >= ELF_USER_TOP || ph->p_memsz > ELF_USER_TOP - ph->p_vaddr)
		return ELF_ESEGMENT;
	if (ph->p_align > 1) {
		if (ph->p_align & (ph->p_align - 1))
			return ELF_EALIGN;
		if ((ph->p_vaddr - ph->p_offset) & (ph->p_align - 1))
			return ELF_EALIGN;
	}
	return 0;
}

static bool overlaps(const struct elf_segment *a, const struct elf_segment *b)
{
	return a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

static int add_load(struct elf_info *out, const Elf64_Phdr *ph)
{
	struct elf_segment *s;

	if (ph->p_memsz == 0)
		return 0;
	if (out->nsegments == ELF_MAX_SEGMENTS)
		return ELF_ETOOMANY;
	s = &out->segments[out->nsegments];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->flags = ph->p_flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X);
	for (unsigned i = 0; i < out->nsegments; i++)
		if (overlaps(&out->segments[i], s))
			return ELF_EOVERLAP;
	if (out->nsegments == 0 || s->vaddr < out->vaddr_lo)
		out->vaddr_lo = s->vaddr;
	if (out->nsegments == 0 || s->vaddr + s->memsz > out->vaddr_hi)
		out->vaddr_hi = s->vaddr + s->memsz;
	out->nsegments++;
	return 0;
}

static int read_phdrs(const unsigned char *image, size_t size, uint64_t phoff, struct elf_info *out,
		      bool *have_phdr)
{
	for (unsigned i = 0; i < out->phnum; i++) {
		Elf64_Phdr ph;
		int err;

		__builtin_memcpy(&ph, image + phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case ELF_PT_LOAD:
			err = check_load(&ph, size);
			if (!err)
				err = add_load(out, &ph);
			if (err)
				return err;
			break;
		case ELF_PT_INTERP:
			if (!in_file(ph.p_offset, ph.p_filesz, size))
				return ELF_ETRUNC;
			out->has_interp = true;
			break;
		case ELF_PT_PHDR:
			out->phdr_vaddr = ph.p_vaddr;
			*have_phdr = true;
			break;
		default:
			break;
		}
	}
	/* A PT_LOAD with memsz 0 loads nothing. */
	return out->nsegments ? 0 : ELF_ENOLOAD;
}

/* Without PT_PHDR, the table's address is where a PT_LOAD maps its bytes. */
static uint64_t find_phdr_vaddr(const struct elf_info *out, uint64_t phoff)
{
	uint64_t len = (uint64_t)out->phnum * sizeof(Elf64_Phdr);

	for (unsigned i = 0; i < out->nsegments; i++) {
		const struct elf_segment *s = &out->segments[i];

		if (phoff >= s->offset && phoff - s->offset <= s->filesz &&
		    len <= s->filesz - (phoff - s->offset))
			return s->vaddr + (phoff - s->offset);
	}
	return 0;
}

static bool entry_ok(const struct elf_info *out)
{
	for (unsigned i = 0; i < out->nsegments; i++) {
		const struct elf_segment *s = &out->segments[i];

		if ((s->flags & ELF_PF_X) && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

int elf_parse(const void *image, size_t size, struct elf_info *out)
{
	Elf64_Ehdr eh;
	bool have_phdr = false;
	int err;

	__builtin_memset(out, 0, sizeof(*out));
	if (!image || size < sizeof(eh))
		return ELF_ETRUNC;
	__builtin_memcpy(&eh, image, sizeof(eh));
	err = check_header(&eh);
	if (err)
		return err;
	if (eh.e_phnum == 0)
		return ELF_ENOLOAD;
	if (!in_file(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), size))
		return ELF_ETRUNC;
	out->entry = eh.e_entry;
	out->type = eh.e_type;
	out->phnum = eh.e_phnum;
	out->phentsize = eh.e_phentsize;
	err = read_phdrs(image, size, eh.e_phoff, out, &have_phdr);
	if (err)
		return err;
	if (!entry_ok(out))
		return ELF_EENTRY;
	if (!have_phdr)
		out->phdr_vaddr = find_phdr_vaddr(out, eh.e_phoff);
	return out->has_interp ? ELF_EINTERP : 0;
}

const char *elf_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
#define ELF_ERROR_CASE(name, num, text) \
	case name:                      \
		return text;
		ELF_ERRORS(ELF_ERROR_CASE)
#undef ELF_ERROR_CASE
	}
	return "unknown ELF error";
}

#define LINUX_EIO 5
#define LINUX_ENOEXEC 8
#define LINUX_EINVAL 22
#define LINUX_ELIBBAD 80
#define LINUX_PATH_MAX 4096
#define ELF_MIN_ALIGN 4096

/* The first PT_INTERP, as load_elf_binary reads it: 0 (none), or
 * ELF_EXEC_INTERP with its path, or an errno. */
static int find_interp(const unsigned char *image, size_t size, const Elf64_Ehdr *eh,
		       struct elf_info *out)
{
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		__builtin_memcpy(&ph, image + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != ELF_PT_INTERP)
			continue;
		if (ph.p_filesz > LINUX_PATH_MAX || ph.p_filesz < 2)
			return LINUX_ENOEXEC;
		if (!in_file(ph.p_offset, ph.p_filesz, size))
			return LINUX_EIO;
		if (image[ph.p_offset + ph.p_filesz - 1] != 0)
			return LINUX_ENOEXEC;
		out->has_interp = true;
		out->interp_offset = ph.p_offset;
		out->interp_size = ph.p_filesz;
		return ELF_EXEC_INTERP;
	}
	return 0;
}

int elf_exec_check(const void *image, size_t size, struct elf_info *out)
{
	Elf64_Ehdr eh;
	int err;

	__builtin_memset(out, 0, sizeof(*out));
	if (!image || size < sizeof(eh))
		return LINUX_ENOEXEC;
	__builtin_memcpy(&eh, image, sizeof(eh));
	if (check_header(&eh))
		return LINUX_ENOEXEC;
	/* load_elf_phdrs: any failure there is ENOEXEC for the program. */
	if (eh.e_phnum < 1 || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > ELF_MIN_ALIGN)
		return LINUX_ENOEXEC;
	if (!in_file(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr), size))
		return LINUX_ENOEXEC;
	err = find_interp(image, size, &eh, out);
	if (err)
		return err;
	err = elf_parse(image, size, out);
	switch (err) {
	case 0:
		return 0;
	case ELF_ESEGMENT:
	case ELF_EALIGN:
		return LINUX_EINVAL;
	default:
		return LINUX_ENOEXEC;
	}
}

int elf_exec_check_interp(const void *image, size_t size)
{
	Elf64_Ehdr eh;

	if (!image || size < sizeof(eh))
		return LINUX_EIO;
	__builtin_memcpy(&eh, image, sizeof(eh));
	if (eh.e_ident[0] != 0x7f || eh.e_ident[1] != 'E' || eh.e_ident[2] != 'L' ||
	    eh.e_ident[3] != 'F' || eh.e_machine != ELF_EM_X86_64)
		return LINUX_ELIBBAD;
	return 0;
}
