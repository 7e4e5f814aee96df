/* Kernel randomness: a ChaCha20 CRNG keyed once at boot. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>

enum random_source { RANDOM_SRC_RDSEED, RANDOM_SRC_RDRAND, RANDOM_SRC_JITTER };

void random_init(void);
enum random_source random_seed_source(void);
const char *random_source_name(enum random_source s);
void random_bytes(void *buf, size_t len);

#endif
