/* The ELF fuzzer: valid static binaries (this program itself, read from
 * /init) with mutated ELF headers, program headers, sizes and offsets,
 * truncated copies and random bytes, each written to the tmpfs and run
 * through execve in a child. Each exec must fail with an errno (the
 * child reports it through a close-on-exec pipe) or the program starts
 * and exits or dies of a signal (one still running after 3 s is killed:
 * a mutated entry point may loop). The system stays up: afterwards
 * every child is reaped, the free frames are back and the unmutated
 * program still runs. Seeded and reproducible: argv[1] the seed,
 * argv[2] how many (tern passes the command line's words to init:
 * `--append "... 7 1000"`); the seed is printed. tern only (mutated
 * programs run as root). */
#include "robust.h"
#include <elf.h>
#include <sys/stat.h>

#define SLACK_KIB 4096
#define RUN_MS 3000

static uint64_t rng;

static uint64_t next(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

/* A value a field may get: the edges a loader must check. */
static uint64_t interesting(uint64_t old)
{
	static const uint64_t v[] = {
		0,
		1,
		2,
		7,
		56,
		64,
		0xfff,
		0x1000,
		0x1001,
		0x200000,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x100000000ull,
		0x7ffffffff000ull,
		0x800000000000ull,
		0xffff800000000000ull,
		0xffffffffff600000ull,
		0x7fffffffffffffffull,
		~0ull,
		~0ull - 0xfff,
	};
	switch (below(4)) {
	case 0:
		return v[below(sizeof(v) / sizeof(v[0]))];
	case 1:
		return old + below(0x2000) - 0x1000;
	case 2:
		return old ^ (1ull << below(64));
	default:
		return next();
	}
}

static void set_field(unsigned char *p, unsigned size, uint64_t v)
{
	memcpy(p, &v, size); /* little-endian: the low bytes */
}

enum kind { K_EHDR, K_PHDR, K_TRUNC, K_RANDOM, K_FLIPS, K_TABLE, K_KINDS };
static const char *const kind_names[K_KINDS] = { "ehdr",   "phdr",  "truncated",
						 "random", "flips", "table" };

/* One mutant of img (size n) into out: its length. */
static size_t mutate(const unsigned char *img, size_t n, unsigned char *out, size_t cap,
		     enum kind k)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)out;
	size_t len = n;
	memcpy(out, img, n);
	switch (k) {
	case K_EHDR: {
		static const struct {
			unsigned off, size;
		} f[] = {
			{ 4, 1 },  { 5, 1 },  { 6, 1 },	 { 7, 1 },  { 16, 2 }, { 18, 2 },
			{ 20, 4 }, { 24, 8 }, { 32, 8 }, { 40, 8 }, { 48, 4 }, { 52, 2 },
			{ 54, 2 }, { 56, 2 }, { 58, 2 }, { 60, 2 }, { 62, 2 },
		};
		unsigned i = (unsigned)below(sizeof(f) / sizeof(f[0]));
		uint64_t old = 0;
		memcpy(&old, out + f[i].off, f[i].size);
		set_field(out + f[i].off, f[i].size, interesting(old));
		break;
	}
	case K_PHDR:
	case K_TABLE: {
		unsigned count = k == K_PHDR ? 1 : 1 + (unsigned)below(4);
		for (unsigned c = 0; c < count; c++) {
			unsigned ph = (unsigned)below(eh->e_phnum ? eh->e_phnum : 1);
			unsigned char *p = out + eh->e_phoff + (size_t)ph * sizeof(Elf64_Phdr);
			static const struct {
				unsigned off, size;
			} f[] = { { 0, 4 },  { 4, 4 },	{ 8, 8 },  { 16, 8 },
				  { 24, 8 }, { 32, 8 }, { 40, 8 }, { 48, 8 } };
			unsigned i = (unsigned)below(8);
			if (eh->e_phoff + (size_t)(ph + 1) * sizeof(Elf64_Phdr) > len)
				break;
			uint64_t old = 0;
			memcpy(&old, p + f[i].off, f[i].size);
			uint64_t v = interesting(old);
			if (i == 0 && below(2)) /* a type a loader knows */
				v =
					(uint64_t[]){ PT_LOAD, PT_INTERP,    PT_PHDR,
						      PT_TLS,  PT_GNU_STACK, PT_DYNAMIC,
						      PT_NOTE, PT_GNU_RELRO }[below(8)];
			set_field(p + f[i].off, f[i].size, v);
		}
		if (k == K_TABLE && below(2)) { /* the table itself */
			eh->e_phnum = (uint16_t)interesting(eh->e_phnum);
			if (below(2))
				eh->e_phoff = interesting(eh->e_phoff);
		}
		break;
	}
	case K_TRUNC:
		len = below(2) ? below(n) : below(256);
		break;
	case K_RANDOM:
		len = below(cap < 8192 ? cap : 8192);
		for (size_t i = 0; i < len; i++)
			out[i] = (unsigned char)next();
		if (len >= 4 && below(2))
			memcpy(out, ELFMAG, 4);
		break;
	case K_FLIPS: {
		unsigned flips = 1 + (unsigned)below(16);
		size_t span = n < 4096 ? n : 4096;
		for (unsigned i = 0; i < flips; i++)
			out[below(span)] ^= (unsigned char)(1u << below(8));
		break;
	}
	default:
		break;
	}
	return len;
}

static int write_file(const char *path, const unsigned char *b, size_t n)
{
	/* The same file rewritten, not a new one each time: the pages of
	 * an unlinked file that was exec'd stay in vfs (FIXME there). */
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < n) {
		long w = write(fd, b + done, n - done);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	return close(fd);
}

struct outcome {
	int exec_errno; /* 0: it ran */
	int exited, code, sig, timed_out;
};

static int run(const char *path, struct outcome *o)
{
	int p[2], st;
	memset(o, 0, sizeof(*o));
	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { (char *)path, "victim", NULL };
		char *envp[] = { NULL };
		close(p[0]);
		execve(path, argv, envp);
		int e = errno;
		(void)!write(p[1], &e, sizeof(e));
		_exit(0);
	}
	close(p[1]);
	long t0 = robust_now_ms();
	pid_t w;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0) {
		if (robust_now_ms() - t0 > RUN_MS) {
			kill(pid, SIGKILL);
			o->timed_out = 1;
			w = waitpid(pid, &st, 0);
			break;
		}
		robust_sleep_ms(2);
	}
	int e = 0;
	if (read(p[0], &e, sizeof(e)) == sizeof(e))
		o->exec_errno = e;
	close(p[0]);
	if (w != pid)
		return -1;
	o->exited = WIFEXITED(st);
	o->code = o->exited ? WEXITSTATUS(st) : 0;
	o->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	return 0;
}

/* The errnos a bad binary may get from execve (Linux's binfmt_elf and
 * the loader's checks). */
static int errno_ok(int e)
{
	switch (e) {
	case ENOEXEC:
	case EINVAL:
	case ENOMEM:
	case EACCES:
	case EIO:
	case ELIBBAD:
	case ENOENT:
	case E2BIG:
	case EFAULT:
	case EPERM:
	case ENAMETOOLONG:
	case ELOOP:
	case ENOTDIR:
	case ETXTBSY:
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "victim"))
		return 0;
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 300;
	contract_begin("elf_fuzz");
	printf("elf_fuzz: seed %llu, %u binaries\n", (unsigned long long)seed, count);

	struct stat sb;
	int fd = open("/init", O_RDONLY);
	TRUE(fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 64);
	size_t n = (size_t)sb.st_size;
	unsigned char *img = malloc(n), *mut = malloc(n + 8192);
	TRUE(img && mut && read(fd, img, n) == (long)n);
	close(fd);
	need_dev();
	TRUE(robust_runs("/init", "victim"));
	unsigned long start = robust_free_kib();

	unsigned by_kind[K_KINDS] = { 0 }, failed = 0, ran = 0, killed = 0, timeouts = 0;
	unsigned by_errno[256] = { 0 };
	for (unsigned i = 0; i < count; i++) {
		rng = (seed * 0x9e3779b97f4a7c15ull) ^ (i + 1) * 0xbf58476d1ce4e5b9ull;
		if (!rng)
			rng = 1;
		enum kind k = (enum kind)below(K_KINDS);
		size_t len = mutate(img, n, mut, n + 8192, k);
		by_kind[k]++;
		struct outcome o;
		if (write_file("/fz", mut, len) || run("/fz", &o)) {
			contract_fail(__LINE__, "binary %u (%s): could not write or run it", i,
				      kind_names[k]);
			continue;
		}
		if (getenv("ELF_FUZZ_TRACE") || argc > 3)
			printf("trace %u %s len %zu errno %d sig %d free %lu\n", i, kind_names[k],
			       len, o.exec_errno, o.sig, robust_free_kib());
		if (o.exec_errno) {
			failed++;
			by_errno[o.exec_errno & 255]++;
			if (!errno_ok(o.exec_errno) || !o.exited || o.code != 0)
				contract_fail(__LINE__,
					      "binary %u (%s): execve errno %d, status %d/%d", i,
					      kind_names[k], o.exec_errno, o.code, o.sig);
		} else if (o.sig) {
			killed++;
			timeouts += o.timed_out;
		} else {
			ran++;
		}
	}
	/* Whatever the mutants left behind (children of theirs) goes, then
	 * every child is reaped. */
	kill(-1, SIGKILL);
	robust_reap_all();
	ERR(wait(NULL), ECHILD);
	unlink("/fz");
	printf("elf_fuzz: %u exec errors, %u ran and exited, %u killed by a signal (%u after %d "
	       "ms)\n",
	       failed, ran, killed, timeouts, RUN_MS);
	printf("elf_fuzz: kinds:");
	for (int k = 0; k < K_KINDS; k++)
		printf(" %s %u", kind_names[k], by_kind[k]);
	printf("\nelf_fuzz: errnos:");
	for (int e = 0; e < 256; e++)
		if (by_errno[e])
			printf(" %s %u", errno_name(e), by_errno[e]);
	printf("\n");
	TRUE(failed + ran + killed == count);
	TRUE(robust_runs("/init", "victim"));
	ERR(wait(NULL), ECHILD);
	unsigned long end = robust_free_kib();
	printf("elf_fuzz: free KiB before %lu, after %lu\n", start, end);
	if (end + SLACK_KIB < start)
		contract_fail(__LINE__, "free memory not back");
	return contract_end();
}
