/* QEMU 7.2 TCG plugin: executions of every translation block, with its
 * first bytes so a user TB can be matched against the ELF it came from. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
typedef uint64_t qemu_plugin_id_t;
__attribute__((visibility("default"))) int qemu_plugin_version = 1;
typedef struct {
	const char *t;
	struct {
		int min, cur;
	} v;
	bool sys;
	union {
		struct {
			int a, b;
		} s;
	};
} qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t,
					   void (*)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *, int, void *, uint64_t);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *, size_t);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *);
void *qemu_plugin_insn_haddr(const struct qemu_plugin_insn *);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, void (*)(qemu_plugin_id_t, void *), void *);
struct rec {
	uint64_t count;
	uint64_t vaddr;
	uint32_t n, len;
	uint8_t b[24];
	struct rec *next;
};
static struct rec *head;
static const char *out = "tb.txt";
static void trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct rec *r = calloc(1, sizeof(*r));
	r->vaddr = qemu_plugin_tb_vaddr(tb);
	r->n = qemu_plugin_tb_n_insns(tb);
	for (size_t i = 0; i < r->n && r->len < sizeof(r->b); i++) {
		struct qemu_plugin_insn *in = qemu_plugin_tb_get_insn(tb, i);
		size_t s = qemu_plugin_insn_size(in);
		const uint8_t *d = qemu_plugin_insn_data(in);
		for (size_t k = 0; k < s && r->len < sizeof(r->b); k++)
			r->b[r->len++] = d[k];
	}
	r->next = head;
	head = r;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, 0, &r->count, 1);
}
static void fin(qemu_plugin_id_t id, void *p)
{
	FILE *f = fopen(out, "w");
	for (struct rec *r = head; r; r = r->next) {
		if (!r->count)
			continue;
		fprintf(f, "%lx %u %lu ", r->vaddr, r->n, r->count);
		for (unsigned i = 0; i < r->len; i++)
			fprintf(f, "%02x", r->b[i]);
		fprintf(f, "\n");
	}
	fclose(f);
}
__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out = argv[i] + 4;
	qemu_plugin_register_vcpu_tb_trans_cb(id, trans);
	qemu_plugin_register_atexit_cb(id, fin, NULL);
	return 0;
}
