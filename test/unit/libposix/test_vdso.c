/*
 * The vDSO image as built (lib/vdso.so): the ELF shape proc's mapping
 * relies on (one read-execute PT_LOAD of the whole file from offset 0 at
 * address 0, no relocations, within POSIX_VDSO_MAX_PAGES), found the way
 * musl's __vdsosym finds symbols (first PT_LOAD for the base, PT_DYNAMIC,
 * DT_HASH's chain count, DT_SYMTAB, DT_STRTAB, DT_VERSYM checked against
 * DT_VERDEF by version name), then called on a fake clock page mapped one
 * page before the image: every clock the page answers, gettimeofday,
 * time, clock_getres, getcpu, and the fallback to the real syscall (the
 * host's kernel answers it here).
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "posix/layout.h"
#include "posix/time.h"
#include "tern/clock.h"

#define PAGE 4096

static uint8_t *image; /* the mapped vDSO; the fake clock page is below it */
static struct tern_clock_page *page;
static size_t image_size;

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* musl's checkver: the symbol's version index names `vername`. */
static int version_ok(const Elf64_Verdef *def, uint16_t vsym, const char *vername,
		      const char *strings)
{
	vsym &= 0x7fff;
	for (;;) {
		if (!(def->vd_flags & VER_FLG_BASE) && (def->vd_ndx & 0x7fff) == vsym)
			break;
		if (def->vd_next == 0)
			return 0;
		def = (const Elf64_Verdef *)((const char *)def + def->vd_next);
	}
	const Elf64_Verdaux *aux = (const Elf64_Verdaux *)((const char *)def + def->vd_aux);
	return !strcmp(vername, strings + aux->vda_name);
}

/* musl's __vdsosym over our image, step for step. */
static void *vdso_sym(const char *vername, const char *name)
{
	const Elf64_Ehdr *eh = (const void *)image;
	const Elf64_Phdr *ph = (const void *)(image + eh->e_phoff);
	const uint64_t *dynv = NULL;
	uintptr_t base = (uintptr_t)-1;

	for (int i = 0; i < eh->e_phnum;
	     i++, ph = (const void *)((const char *)ph + eh->e_phentsize)) {
		if (ph->p_type == PT_LOAD)
			base = (uintptr_t)eh + ph->p_offset - ph->p_vaddr;
		else if (ph->p_type == PT_DYNAMIC)
			dynv = (const void *)(image + ph->p_offset);
	}
	if (!dynv || base == (uintptr_t)-1)
		return NULL;
	const char *strings = NULL;
	const Elf64_Sym *syms = NULL;
	const uint32_t *hashtab = NULL;
	const uint16_t *versym = NULL;
	const Elf64_Verdef *verdef = NULL;
	for (int i = 0; dynv[i]; i += 2) {
		const void *p = (const void *)(base + dynv[i + 1]);
		switch (dynv[i]) {
		case DT_STRTAB:
			strings = p;
			break;
		case DT_SYMTAB:
			syms = p;
			break;
		case DT_HASH:
			hashtab = p;
			break;
		case DT_VERSYM:
			versym = p;
			break;
		case DT_VERDEF:
			verdef = p;
			break;
		}
	}
	if (!strings || !syms || !hashtab)
		return NULL;
	if (!verdef)
		versym = NULL;
	const unsigned ok_types =
		1 << STT_NOTYPE | 1 << STT_OBJECT | 1 << STT_FUNC | 1 << STT_COMMON;
	const unsigned ok_binds = 1 << STB_GLOBAL | 1 << STB_WEAK | 1 << STB_GNU_UNIQUE;
	for (uint32_t i = 0; i < hashtab[1]; i++) {
		if (!(1u << (syms[i].st_info & 0xf) & ok_types))
			continue;
		if (!(1u << (syms[i].st_info >> 4) & ok_binds))
			continue;
		if (!syms[i].st_shndx)
			continue;
		if (strcmp(name, strings + syms[i].st_name))
			continue;
		if (versym && !version_ok(verdef, versym[i], vername, strings))
			continue;
		return (void *)(base + syms[i].st_value);
	}
	return NULL;
}

#define FAKE_SECOND (16ull * 1000000000ull) /* TSC cycles */

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(VDSO_PATH, "rb");
	static uint8_t file[POSIX_VDSO_MAX_PAGES * PAGE + 1];

	if (!f)
		return -1;
	image_size = fread(file, 1, sizeof(file), f);
	fclose(f);
	uint8_t *area = mmap(NULL, (1 + POSIX_VDSO_MAX_PAGES) * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || image_size > POSIX_VDSO_MAX_PAGES * PAGE)
		return -1;
	page = (struct tern_clock_page *)area;
	image = area + PAGE;
	memcpy(image, file, image_size);
	/* 1 "ns" per 16 TSC cycles (a fake second is seconds of real time,
	 * so a loaded host that stops the test for a moment does not move
	 * the clocks past the second they are checked in), zero 7 s worth
	 * of cycles ago; rebase() moves the zero before each test of the
	 * clocks. */
	page->mult = 1ull << 32;
	page->shift = 36;
	page->tsc_base = rdtsc() - 7 * FAKE_SECOND;
	page->realtime_base = 1700000000ull * 1000000000ull;
	if (mprotect(area, PAGE, PROT_READ) ||
	    mprotect(image, POSIX_VDSO_MAX_PAGES * PAGE, PROT_READ | PROT_EXEC))
		return -1;
	return 0;
}

static void elf_shape(void **state)
{
	(void)state;
	const Elf64_Ehdr *eh = (const void *)image;
	int loads = 0, dynamic = 0;

	assert_memory_equal(eh->e_ident, ELFMAG, SELFMAG);
	assert_int_equal(eh->e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh->e_type, ET_DYN);
	assert_int_equal(eh->e_machine, EM_X86_64);
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const void *)(image + eh->e_phoff + i * eh->e_phentsize);
		if (ph->p_type == PT_LOAD) {
			loads++;
			assert_int_equal(ph->p_offset, 0);
			assert_int_equal(ph->p_vaddr, 0);
			assert_int_equal(ph->p_filesz, ph->p_memsz);
			assert_true(ph->p_filesz <= image_size);
			assert_int_equal(ph->p_flags, PF_R | PF_X);
		}
		if (ph->p_type == PT_DYNAMIC) {
			dynamic++;
			const Elf64_Dyn *d = (const void *)(image + ph->p_offset);
			for (; d->d_tag != DT_NULL; d++)
				assert_true(d->d_tag != DT_RELA && d->d_tag != DT_REL &&
					    d->d_tag != DT_JMPREL && d->d_tag != DT_TEXTREL &&
					    d->d_tag != DT_NEEDED);
		}
	}
	assert_int_equal(loads, 1);
	assert_int_equal(dynamic, 1);
}

static void musl_finds_symbols(void **state)
{
	(void)state;
	const char *names[] = { "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
				"__vdso_getcpu",	"__vdso_clock_getres", "clock_gettime" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(vdso_sym("LINUX_2.6", names[i]));
	assert_null(vdso_sym("LINUX_2.5", "__vdso_clock_gettime"));
	assert_null(vdso_sym("LINUX_2.6", "__vdso_nothing"));
	assert_null(vdso_sym("LINUX_2.6", "vvar_page")); /* internal names stay local */
}

typedef int (*gettime_fn)(int64_t, struct posix_timespec *);

/* The clocks read 7.0 s from now on. */
static void rebase(void)
{
	assert_int_equal(mprotect(page, PAGE, PROT_READ | PROT_WRITE), 0);
	page->tsc_base = rdtsc() - 7 * FAKE_SECOND;
	assert_int_equal(mprotect(page, PAGE, PROT_READ), 0);
}

static void clocks_from_the_page(void **state)
{
	(void)state;
	rebase();
	gettime_fn gettime = (gettime_fn)vdso_sym("LINUX_2.6", "__vdso_clock_gettime");
	struct posix_timespec ts, ts2;

	assert_int_equal(gettime(CLOCK_MONOTONIC, &ts), 0);
	assert_int_equal(ts.tv_sec, 7); /* within a second of the fake zero */
	/* A clockid_t is an int: junk in rdi's upper half changes nothing. */
	ts.tv_sec = 0;
	assert_int_equal(gettime((int64_t)0xdead000000000000ull | CLOCK_MONOTONIC, &ts), 0);
	assert_int_equal(ts.tv_sec, 7);
	assert_true(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	const int64_t same[] = { CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(gettime(same[i], &ts2), 0);
		assert_int_equal(ts2.tv_sec, 7);
		assert_true(ts2.tv_nsec >= ts.tv_nsec); /* one clock, moving forward */
	}
	assert_int_equal(gettime(CLOCK_REALTIME, &ts), 0);
	assert_int_equal(ts.tv_sec, 1700000007);
	assert_int_equal(gettime(CLOCK_REALTIME_COARSE, &ts), 0);
	assert_int_equal(ts.tv_sec, 1700000007);
	assert_int_equal(ts.tv_nsec % POSIX_CLOCK_COARSE_NS, 0);
	assert_int_equal(gettime(CLOCK_MONOTONIC_COARSE, &ts), 0);
	assert_int_equal(ts.tv_sec, 7);
	assert_int_equal(ts.tv_nsec % POSIX_CLOCK_COARSE_NS, 0);
}

static void fallback_to_syscall(void **state)
{
	(void)state;
	gettime_fn gettime = (gettime_fn)vdso_sym("LINUX_2.6", "__vdso_clock_gettime");
	gettime_fn getres = (gettime_fn)vdso_sym("LINUX_2.6", "__vdso_clock_getres");
	struct posix_timespec ts = { -1, -1 };

	/* The host kernel answers what the page does not. */
	assert_int_equal(gettime(CLOCK_PROCESS_CPUTIME_ID, &ts), 0);
	assert_true(ts.tv_sec >= 0 && ts.tv_sec < 1000 && ts.tv_nsec >= 0);
	assert_int_equal(gettime(100, &ts), -22); /* -EINVAL, as the kernel returns it */
	assert_int_equal(gettime(-1, &ts), -22);
	assert_int_equal(getres(100, &ts), -22);
	assert_int_equal(getres(CLOCK_THREAD_CPUTIME_ID, &ts), 0);
}

static void the_other_calls(void **state)
{
	(void)state;
	rebase();
	int (*gtod)(struct posix_timeval *, struct posix_timezone *) =
		(int (*)(struct posix_timeval *, struct posix_timezone *))vdso_sym(
			"LINUX_2.6", "__vdso_gettimeofday");
	int64_t (*vtime)(int64_t *) = (int64_t(*)(int64_t *))vdso_sym("LINUX_2.6", "__vdso_time");
	gettime_fn getres = (gettime_fn)vdso_sym("LINUX_2.6", "__vdso_clock_getres");
	int (*getcpu)(unsigned *, unsigned *, void *) =
		(int (*)(unsigned *, unsigned *, void *))vdso_sym("LINUX_2.6", "__vdso_getcpu");
	struct posix_timeval tv = { 0, 0 };
	struct posix_timezone tz = { 99, 99 };

	assert_int_equal(gtod(&tv, &tz), 0);
	assert_int_equal(tv.tv_sec, 1700000007);
	assert_true(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	assert_int_equal(tz.tz_minuteswest, 0);
	assert_int_equal(tz.tz_dsttime, 0);
	assert_int_equal(gtod(NULL, NULL), 0);
	int64_t t = 0;
	assert_int_equal(vtime(&t), 1700000007);
	assert_int_equal(t, 1700000007);
	assert_int_equal(vtime(NULL), 1700000007);
	struct posix_timespec res;
	assert_int_equal(getres(CLOCK_MONOTONIC, &res), 0);
	assert_int_equal(res.tv_sec, 0);
	assert_int_equal(res.tv_nsec, 1);
	assert_int_equal(getres(CLOCK_REALTIME_COARSE, &res), 0);
	assert_int_equal(res.tv_nsec, POSIX_CLOCK_COARSE_NS);
	assert_int_equal(getres(CLOCK_REALTIME, NULL), 0);
	unsigned cpu = 7, node = 7;
	assert_int_equal(getcpu(&cpu, &node, NULL), 0);
	assert_int_equal(cpu, 0);
	assert_int_equal(node, 0);
	assert_int_equal(getcpu(NULL, NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(elf_shape),
		cmocka_unit_test(musl_finds_symbols),
		cmocka_unit_test(clocks_from_the_page),
		cmocka_unit_test(fallback_to_syscall),
		cmocka_unit_test(the_other_calls),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
