/*
 * ELF64 parser: images are built here header by header, then parsed from
 * an exactly-sized heap copy so that AddressSanitizer flags any read past
 * the end. Covers a valid executable, every rejection, truncation at every
 * length, fixed-seed random corruption, and real files (this test binary,
 * and the native hello program when it was built).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/elf.h"

#define IMG_MAX 0x3000
#define TEXT_VADDR 0x400000ull
#define DATA_VADDR 0x401000ull
#define ENTRY (TEXT_VADDR + 0x100)
#define PT_NOTE 4

struct img {
	_Alignas(8) uint8_t buf[IMG_MAX];
	size_t size;
};

static Elf64_Ehdr *ehdr(struct img *im)
{
	return (Elf64_Ehdr *)im->buf;
}

static Elf64_Phdr *phdr(struct img *im, unsigned i)
{
	return (Elf64_Phdr *)(im->buf + ehdr(im)->e_phoff) + i;
}

static void set_phdr(struct img *im, unsigned i, uint32_t type, uint32_t flags, uint64_t off,
		     uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	Elf64_Phdr *ph = phdr(im, i);

	ph->p_type = type;
	ph->p_flags = flags;
	ph->p_offset = off;
	ph->p_vaddr = vaddr;
	ph->p_paddr = vaddr;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = align;
}

/* A static executable as user.ld lays one out: PT_PHDR, text RX covering
 * the headers, data RW with a .bss tail that ends the file. */
static void make_exec(struct img *im)
{
	Elf64_Ehdr *eh = ehdr(im);

	memset(im, 0, sizeof(*im));
	memcpy(eh->e_ident,
	       "\x7f"
	       "ELF",
	       4);
	eh->e_ident[4] = 2; /* ELFCLASS64 */
	eh->e_ident[5] = 1; /* little endian */
	eh->e_ident[6] = 1; /* EV_CURRENT */
	eh->e_type = ELF_ET_EXEC;
	eh->e_machine = ELF_EM_X86_64;
	eh->e_version = 1;
	eh->e_entry = ENTRY;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 3;
	set_phdr(im, 0, ELF_PT_PHDR, ELF_PF_R, 64, TEXT_VADDR + 64, 3 * 56, 3 * 56, 8);
	set_phdr(im, 1, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, TEXT_VADDR, 0x800, 0x800, 0x1000);
	set_phdr(im, 2, ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VADDR, 0x100, 0x2000,
		 0x1000);
	for (unsigned i = 0x100; i < 0x800; i++)
		im->buf[i] = (uint8_t)i;
	im->size = 0x1100;
}

/* Parses the first `len` bytes of the image from an exact heap copy. */
static int parse_len(const struct img *im, size_t len, struct elf_info *info)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, im->buf, len);
	r = elf_parse(copy, len, info);
	free(copy);
	return r;
}

static int parse(const struct img *im, struct elf_info *info)
{
	return parse_len(im, im->size, info);
}

static void test_valid_exec(void **state)
{
	struct img im;
	struct elf_info info;

	(void)state;
	make_exec(&im);
	assert_int_equal(parse(&im, &info), 0);
	assert_int_equal(info.entry, ENTRY);
	assert_int_equal(info.type, ELF_ET_EXEC);
	assert_int_equal(info.phnum, 3);
	assert_int_equal(info.phentsize, sizeof(Elf64_Phdr));
	assert_int_equal(info.phdr_vaddr, TEXT_VADDR + 64);
	assert_false(info.has_interp);
	assert_int_equal(info.nsegments, 2);
	assert_int_equal(info.segments[0].vaddr, TEXT_VADDR);
	assert_int_equal(info.segments[0].filesz, 0x800);
	assert_int_equal(info.segments[0].flags, ELF_PF_R | ELF_PF_X);
	assert_int_equal(info.segments[1].vaddr, DATA_VADDR);
	assert_int_equal(info.segments[1].offset, 0x1000);
	assert_int_equal(info.segments[1].filesz, 0x100);
	assert_int_equal(info.segments[1].memsz, 0x2000);
	assert_int_equal(info.segments[1].flags, ELF_PF_R | ELF_PF_W);
	assert_int_equal(info.vaddr_lo, TEXT_VADDR);
	assert_int_equal(info.vaddr_hi, DATA_VADDR + 0x2000);
}

static void test_phdr_vaddr_computed(void **state)
{
	struct img im;
	struct elf_info info;

	(void)state;
	make_exec(&im);
	phdr(&im, 0)->p_type = PT_NOTE;
	assert_int_equal(parse(&im, &info), 0);
	assert_int_equal(info.phdr_vaddr, TEXT_VADDR + 64);
	/* Not covered by any PT_LOAD: unknown. */
	phdr(&im, 1)->p_offset = 0x1000;
	phdr(&im, 1)->p_vaddr = TEXT_VADDR + 0x1000 - 0x1000;
	phdr(&im, 1)->p_filesz = 0x100;
	assert_int_equal(parse(&im, &info), 0);
	assert_int_equal(info.phdr_vaddr, 0);
}

static void test_dyn_accepted(void **state)
{
	struct img im;
	struct elf_info info;

	(void)state;
	make_exec(&im);
	ehdr(&im)->e_type = ELF_ET_DYN;
	assert_int_equal(parse(&im, &info), 0);
	assert_int_equal(info.type, ELF_ET_DYN);
}

static void test_user_top_boundary(void **state)
{
	struct img im;
	struct elf_info info;

	(void)state;
	make_exec(&im);
	phdr(&im, 2)->p_vaddr = ELF_USER_TOP - 0x2000;
	assert_int_equal(parse(&im, &info), 0);
	phdr(&im, 2)->p_vaddr = ELF_USER_TOP - 0x1000;
	assert_int_equal(parse(&im, &info), ELF_ESEGMENT);
}

static void test_empty_load_skipped(void **state)
{
	struct img im;
	struct elf_info info;

	(void)state;
	make_exec(&im);
	/* memsz 0 at an address that would overlap: it loads nothing. */
	set_phdr(&im, 0, ELF_PT_LOAD, ELF_PF_R, 0, TEXT_VADDR, 0, 0, 0x1000);
	assert_int_equal(parse(&im, &info), 0);
	assert_int_equal(info.nsegments, 2);
	/* Only empty loads: nothing to run. */
	phdr(&im, 1)->p_memsz = phdr(&im, 1)->p_filesz = 0;
	phdr(&im, 2)->p_memsz = phdr(&im, 2)->p_filesz = 0;
	assert_int_equal(parse(&im, &info), ELF_ENOLOAD);
}

static void test_interp_reported(void **state)
{
	struct img im;
	struct elf_info info;

	(void)state;
	make_exec(&im);
	set_phdr(&im, 0, ELF_PT_INTERP, ELF_PF_R, 0x700, 0, 0x20, 0x20, 1);
	assert_int_equal(parse(&im, &info), ELF_EINTERP);
	assert_true(info.has_interp);
	assert_int_equal(info.nsegments, 2);
	assert_int_equal(info.entry, ENTRY);
	phdr(&im, 0)->p_offset = im.size - 0x10;
	assert_int_equal(parse(&im, &info), ELF_ETRUNC);
}

static void test_segment_limit(void **state)
{
	struct img im;
	struct elf_info info;
	Elf64_Ehdr *eh;

	(void)state;
	make_exec(&im);
	eh = ehdr(&im);
	/* Move the table to 0x1100 and use 16 one-page loads. */
	eh->e_phoff = 0x1100;
	eh->e_phnum = ELF_MAX_SEGMENTS;
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
		set_phdr(&im, i, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, TEXT_VADDR + i * 0x1000ull,
			 0x100, 0x1000, 0x1000);
	im.size = 0x1100 + (ELF_MAX_SEGMENTS + 1) * sizeof(Elf64_Phdr);
	assert_int_equal(parse(&im, &info), 0);
	assert_int_equal(info.nsegments, ELF_MAX_SEGMENTS);
	assert_int_equal(info.phdr_vaddr, 0);
	eh->e_phnum = ELF_MAX_SEGMENTS + 1;
	set_phdr(&im, ELF_MAX_SEGMENTS, ELF_PT_LOAD, ELF_PF_R, 0, 0x800000, 0x100, 0x1000, 0x1000);
	assert_int_equal(parse(&im, &info), ELF_ETOOMANY);
}

/* One mutation of the valid image and the error it must produce. */
struct rejection {
	const char *what;
	void (*mutate)(struct img *im);
	int expect;
};

#define MUTATION(name, body)             \
	static void name(struct img *im) \
	{                                \
		body;                    \
	}

MUTATION(bad_magic, im->buf[1] = 'X')
MUTATION(bad_class, im->buf[4] = 1)
MUTATION(bad_data, im->buf[5] = 2)
MUTATION(bad_ident_version, im->buf[6] = 0)
MUTATION(bad_version, ehdr(im)->e_version = 2)
MUTATION(bad_machine, ehdr(im)->e_machine = 3)
MUTATION(type_rel, ehdr(im)->e_type = 1)
MUTATION(type_core, ehdr(im)->e_type = 4)
MUTATION(bad_phentsize, ehdr(im)->e_phentsize = 32)
MUTATION(no_phdrs, ehdr(im)->e_phnum = 0)
MUTATION(phoff_past_end, ehdr(im)->e_phoff = im->size)
MUTATION(phoff_overflow, ehdr(im)->e_phoff = UINT64_MAX - 8)
MUTATION(phnum_too_big, ehdr(im)->e_phnum = 0xffff)
MUTATION(filesz_over_memsz, phdr(im, 2)->p_filesz = 0x2001)
MUTATION(file_bytes_past_end, phdr(im, 2)->p_filesz = 0x101)
MUTATION(offset_overflow, {
	phdr(im, 2)->p_offset = UINT64_MAX - 0xfff;
	phdr(im, 2)->p_vaddr = DATA_VADDR - 0x1000;
})
MUTATION(vaddr_overflow, {
	phdr(im, 2)->p_vaddr = UINT64_MAX & ~0xfffull;
	phdr(im, 2)->p_offset = 0;
	phdr(im, 2)->p_filesz = 0;
})
MUTATION(kernel_half, phdr(im, 2)->p_vaddr = 0xffff800000001000ull)
MUTATION(crosses_user_top, phdr(im, 2)->p_vaddr = ELF_USER_TOP - 0x1000)
MUTATION(align_not_pow2, phdr(im, 2)->p_align = 0x1800)
MUTATION(align_mismatch, phdr(im, 2)->p_vaddr = DATA_VADDR + 0x10)
MUTATION(overlap, phdr(im, 2)->p_vaddr = TEXT_VADDR)
MUTATION(overlap_partial, {
	phdr(im, 2)->p_vaddr = TEXT_VADDR + 0x7ff;
	phdr(im, 2)->p_align = 1;
})
MUTATION(no_load, {
	phdr(im, 1)->p_type = PT_NOTE;
	phdr(im, 2)->p_type = PT_NOTE;
})
MUTATION(entry_outside, ehdr(im)->e_entry = 0x500000)
MUTATION(entry_end_of_text, ehdr(im)->e_entry = TEXT_VADDR + 0x800)
MUTATION(entry_not_exec, ehdr(im)->e_entry = DATA_VADDR + 8)
MUTATION(entry_text_not_exec, phdr(im, 1)->p_flags = ELF_PF_R)

static const struct rejection rejections[] = {
	{ "magic", bad_magic, ELF_EBADMAGIC },
	{ "class", bad_class, ELF_ECLASS },
	{ "data", bad_data, ELF_EDATA },
	{ "ident version", bad_ident_version, ELF_EVERSION },
	{ "version", bad_version, ELF_EVERSION },
	{ "machine", bad_machine, ELF_EMACHINE },
	{ "ET_REL", type_rel, ELF_ETYPE },
	{ "ET_CORE", type_core, ELF_ETYPE },
	{ "phentsize", bad_phentsize, ELF_EPHDR },
	{ "phnum 0", no_phdrs, ELF_ENOLOAD },
	{ "phoff past end", phoff_past_end, ELF_ETRUNC },
	{ "phoff overflow", phoff_overflow, ELF_ETRUNC },
	{ "phnum too big", phnum_too_big, ELF_ETRUNC },
	{ "filesz > memsz", filesz_over_memsz, ELF_ESEGMENT },
	{ "file bytes past end", file_bytes_past_end, ELF_ETRUNC },
	{ "offset overflow", offset_overflow, ELF_ETRUNC },
	{ "vaddr overflow", vaddr_overflow, ELF_ESEGMENT },
	{ "kernel half", kernel_half, ELF_ESEGMENT },
	{ "crosses user top", crosses_user_top, ELF_ESEGMENT },
	{ "align not power of two", align_not_pow2, ELF_EALIGN },
	{ "vaddr/offset misaligned", align_mismatch, ELF_EALIGN },
	{ "overlap", overlap, ELF_EOVERLAP },
	{ "partial overlap", overlap_partial, ELF_EOVERLAP },
	{ "no PT_LOAD", no_load, ELF_ENOLOAD },
	{ "entry outside", entry_outside, ELF_EENTRY },
	{ "entry at end of text", entry_end_of_text, ELF_EENTRY },
	{ "entry in data", entry_not_exec, ELF_EENTRY },
	{ "entry in non-exec text", entry_text_not_exec, ELF_EENTRY },
};

static void test_rejections(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rejections) / sizeof(rejections[0]); i++) {
		struct img im;
		struct elf_info info;
		int r;

		make_exec(&im);
		rejections[i].mutate(&im);
		r = parse(&im, &info);
		if (r != rejections[i].expect)
			fail_msg("%s: got %d (%s), want %d", rejections[i].what, r, elf_strerror(r),
				 rejections[i].expect);
	}
}

static void test_null_and_tiny(void **state)
{
	struct elf_info info;
	static const uint8_t byte = 0x7f;

	(void)state;
	assert_int_equal(elf_parse(NULL, 0, &info), ELF_ETRUNC);
	assert_int_equal(elf_parse(&byte, 1, &info), ELF_ETRUNC);
}

static void test_truncation_every_length(void **state)
{
	struct img im;
	struct elf_info info;

	(void)state;
	make_exec(&im);
	for (size_t len = 0; len < im.size; len++)
		assert_int_equal(parse_len(&im, len, &info), ELF_ETRUNC);
	assert_int_equal(parse_len(&im, im.size, &info), 0);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* What a success must guarantee to a loader, whatever the input. */
static void check_invariants(const struct elf_info *info, size_t size)
{
	bool entry_found = false;

	assert_true(info->nsegments >= 1 && info->nsegments <= ELF_MAX_SEGMENTS);
	for (unsigned i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->segments[i];

		assert_true(s->memsz > 0 && s->filesz <= s->memsz);
		assert_true(s->offset <= size && s->filesz <= size - s->offset);
		assert_true(s->vaddr < ELF_USER_TOP && s->memsz <= ELF_USER_TOP - s->vaddr);
		if ((s->flags & ELF_PF_X) && info->entry >= s->vaddr &&
		    info->entry < s->vaddr + s->memsz)
			entry_found = true;
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *o = &info->segments[j];

			assert_false(s->vaddr < o->vaddr + o->memsz &&
				     o->vaddr < s->vaddr + s->memsz);
		}
	}
	assert_true(entry_found);
}

static void test_random_corruption(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned accepted = 0;

	(void)state;
	for (unsigned iter = 0; iter < 20000; iter++) {
		struct img im;
		struct elf_info info;
		unsigned flips = 1 + xorshift(&seed) % 8;
		size_t len;
		int r;

		make_exec(&im);
		for (unsigned f = 0; f < flips; f++) {
			/* Mostly the headers, where the decisions are. */
			size_t span = xorshift(&seed) % 4 ? 64 + 3 * 56 : im.size;
			size_t at = xorshift(&seed) % span;

			im.buf[at] = (uint8_t)xorshift(&seed);
		}
		len = xorshift(&seed) % 8 ? im.size : xorshift(&seed) % (im.size + 1);
		r = parse_len(&im, len, &info);
		assert_true(r <= 0 && r >= ELF_EINTERP);
		if (r == 0) {
			check_invariants(&info, len);
			accepted++;
		}
	}
	/* Flips in padding and unused fields leave the image valid. */
	assert_true(accepted > 0);
}

static void test_random_bytes(void **state)
{
	uint64_t seed = 12345;

	(void)state;
	for (unsigned iter = 0; iter < 5000; iter++) {
		struct img im;
		struct elf_info info;
		size_t len = xorshift(&seed) % 512;

		make_exec(&im);
		for (size_t i = 4; i < len; i++)
			im.buf[i] = (uint8_t)xorshift(&seed);
		if (parse_len(&im, len, &info) == 0)
			check_invariants(&info, len);
	}
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(elf_strerror(0), "success");
	for (int e = ELF_ETRUNC; e >= ELF_EINTERP; e--) {
		assert_string_not_equal(elf_strerror(e), "unknown ELF error");
		for (int f = e - 1; f >= ELF_EINTERP; f--)
			assert_string_not_equal(elf_strerror(e), elf_strerror(f));
	}
	assert_string_equal(elf_strerror(-999), "unknown ELF error");
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* This test program: a dynamically linked host executable. */
static void test_real_host_binary(void **state)
{
	struct elf_info info;
	size_t size = 0;
	uint8_t *buf = read_file("/proc/self/exe", &size);
	int r;

	(void)state;
	if (!buf)
		skip();
	r = elf_parse(buf, size, &info);
	assert_true(r == 0 || r == ELF_EINTERP);
	if (r == ELF_EINTERP)
		assert_true(info.has_interp);
	assert_true(info.nsegments >= 2);
	assert_int_not_equal(info.phdr_vaddr, 0);
	check_invariants(&info, size);
	free(buf);
}

/* The native hello program, laid out by libsys/user.ld. */
static void test_real_user_program(void **state)
{
#ifdef TERN_HELLO_ELF
	struct elf_info info;
	size_t size = 0;
	uint8_t *buf = read_file(TERN_HELLO_ELF, &size);

	(void)state;
	if (!buf)
		skip();
	assert_int_equal(elf_parse(buf, size, &info), 0);
	assert_int_equal(info.type, ELF_ET_EXEC);
	assert_int_equal(info.phdr_vaddr, 0x400040);
	assert_int_equal(info.segments[0].vaddr, 0x400000);
	assert_int_equal(info.segments[0].flags, ELF_PF_R | ELF_PF_X);
	for (unsigned i = 0; i < info.nsegments; i++) {
		const struct elf_segment *s = &info.segments[i];

		assert_int_equal(s->vaddr % 0x1000, 0);
		assert_false((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X));
	}
	check_invariants(&info, size);
	free(buf);
#else
	(void)state;
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_exec),
		cmocka_unit_test(test_phdr_vaddr_computed),
		cmocka_unit_test(test_dyn_accepted),
		cmocka_unit_test(test_user_top_boundary),
		cmocka_unit_test(test_empty_load_skipped),
		cmocka_unit_test(test_interp_reported),
		cmocka_unit_test(test_segment_limit),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_null_and_tiny),
		cmocka_unit_test(test_truncation_every_length),
		cmocka_unit_test(test_random_corruption),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_real_host_binary),
		cmocka_unit_test(test_real_user_program),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
