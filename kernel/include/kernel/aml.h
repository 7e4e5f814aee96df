/* The sliver of ACPI Machine Language the kernel reads. */
#ifndef KERNEL_AML_H
#define KERNEL_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Find Name(\\_S5, Package() { SLP_TYPa, SLP_TYPb, ... }) in `len` bytes
 * of AML (a DSDT's body). Returns NULL with *a and *b set (b = a when the
 * package has one element), or a sentence saying why not. Pure.
 */
const char *aml_find_s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b);

#endif
