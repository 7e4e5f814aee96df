/* execve of files that are not runnable programs: each fails with the
 * errno Linux gives, and the caller goes on. The bad ELF files are
 * written here from a minimal valid header, one field spoiled each. */
#include "contract.h"
#include <elf.h>
#include <stddef.h>

struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	char interp[32];
};

static void base(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = 0x400000 + sizeof(*im);
	im->eh.e_phoff = sizeof(Elf64_Ehdr);
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = 1;
	im->ph[0].p_type = PT_LOAD;
	im->ph[0].p_flags = PF_R | PF_X;
	im->ph[0].p_vaddr = 0x400000;
	im->ph[0].p_filesz = sizeof(*im) + 16;
	im->ph[0].p_memsz = sizeof(*im) + 16;
	im->ph[0].p_align = 4096;
}

static void put(const char *name, struct image *im, size_t len)
{
	char file[sizeof(*im) + 16];
	memset(file, 0xf4, sizeof(file)); /* hlt, should it ever run */
	memcpy(file, im, len < sizeof(*im) ? len : sizeof(*im));
	put_file(name, file, len, 0755);
}

static long run(const char *path)
{
	char *argv[] = { (char *)path, NULL };
	return execve(path, argv, (char *[]){ NULL });
}

int main(void)
{
	struct image im;
	contract_begin("exec_badelf");

	put_file("empty", "", 0, 0755);
	ERR(run("./empty"), ENOEXEC);
	base(&im);
	put("short", &im, 10); /* the magic and a few bytes */
	ERR(run("./short"), ENOEXEC);
	put("half", &im, 40); /* half an ELF header */
	ERR(run("./half"), ENOEXEC);
	/* No wrong-class case: Linux's 64-bit loader does not look at
	 * EI_CLASS, and ELFCLASS32 with EM_X86_64 is an x32 program, which
	 * Debian's kernel loads (so it would run, and crash, here). */
	base(&im);
	im.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	im.eh.e_machine = 0x3e00;
	put("bigendian", &im, sizeof(im) + 16);
	ERR(run("./bigendian"), ENOEXEC);
	base(&im);
	im.eh.e_machine = EM_AARCH64;
	put("aarch64", &im, sizeof(im) + 16);
	ERR(run("./aarch64"), ENOEXEC);
	base(&im);
	im.eh.e_type = ET_REL;
	put("etrel", &im, sizeof(im) + 16);
	ERR(run("./etrel"), ENOEXEC);
	base(&im);
	im.eh.e_type = ET_CORE;
	put("etcore", &im, sizeof(im) + 16);
	ERR(run("./etcore"), ENOEXEC);
	base(&im);
	im.eh.e_phnum = 0;
	put("nophdr", &im, sizeof(im) + 16);
	ERR(run("./nophdr"), ENOEXEC);
	base(&im);
	im.eh.e_phentsize = 32;
	put("phentsize", &im, sizeof(im) + 16);
	ERR(run("./phentsize"), ENOEXEC);
	base(&im);
	im.eh.e_phnum = 65535; /* more than 64 KiB of program headers */
	put("phnum", &im, sizeof(im) + 16);
	ERR(run("./phnum"), ENOEXEC);
	base(&im);
	im.eh.e_phoff = 1 << 20; /* past the end of the file */
	put("phoff", &im, sizeof(im) + 16);
	ERR(run("./phoff"), ENOEXEC);

	/* PT_INTERP naming a missing interpreter, and one that is no ELF. */
	base(&im);
	im.eh.e_phnum = 2;
	im.ph[1] = im.ph[0];
	im.ph[0].p_type = PT_INTERP;
	im.ph[0].p_offset = offsetof(struct image, interp);
	strcpy(im.interp, "/nonexistent/ld.so");
	im.ph[0].p_filesz = strlen(im.interp) + 1;
	put("interp", &im, sizeof(im) + 16);
	ERR(run("./interp"), ENOENT);
	strcpy(im.interp, "hello.txt");
	im.ph[0].p_filesz = strlen(im.interp) + 1;
	put("interp2", &im, sizeof(im) + 16);
	ERR(run("./interp2"), EACCES); /* the interpreter must be executable */
	put_file("text", "just text\n", 10, 0755);
	strcpy(im.interp, "text");
	im.ph[0].p_filesz = strlen(im.interp) + 1;
	put("interp4", &im, sizeof(im) + 16);
	ERR(run("./interp4"), EIO); /* shorter than an ELF header */
	char lines[200];
	memset(lines, '#', sizeof(lines));
	put_file("longtext", lines, sizeof(lines), 0755);
	strcpy(im.interp, "longtext");
	im.ph[0].p_filesz = strlen(im.interp) + 1;
	put("interp5", &im, sizeof(im) + 16);
	ERR(run("./interp5"), ELIBBAD); /* long enough, but no ELF magic */
	im.ph[0].p_filesz = 1;		/* not NUL-terminated where it ends */
	put("interp3", &im, sizeof(im) + 16);
	ERR(run("./interp3"), ENOEXEC);

	/* Not ELF at all, or not executable. */
	ERR(run("./text"), ENOEXEC);
	put_file("script", "#!/nonexistent/sh\n", 18, 0755);
	ERR(run("./script"), ENOENT);
	put_file("noexec", "\177ELF", 4, 0644);
	ERR(run("./noexec"), EACCES);
	ERR(run("."), EACCES);
	ERR(run("dir"), EACCES);
	ERR(run("./missing"), ENOENT);
	ERR(run("hello.txt/x"), ENOTDIR);
	ERR(run(""), ENOENT);
	ERR(execve("./empty", NULL, NULL), ENOEXEC);

	/* Still here: the process goes on. */
	VAL(access("init", X_OK), 0);
	return contract_end();
}
