/*
 * The \_S5 finder on DSDT bodies as firmware writes them (QEMU's, with a
 * root prefix and byte constants, a two-byte PkgLength) and as it must
 * not trust them: a package running past the table, a PkgLength cut off,
 * a name that is not a NameOp's, a sleep type out of range, a non-integer
 * element, none at all. Each buffer is a heap copy of exactly its length,
 * so AddressSanitizer catches a read past the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <kernel/aml.h>

#define S5 '_', 'S', '5', '_'

static const char *find(const uint8_t *bytes, size_t len, uint8_t *a, uint8_t *b)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, bytes, len);
	*a = *b = 0xee;
	const char *err = aml_find_s5(copy, len, a, b);
	free(copy);
	return err;
}

#define FIND(arr, a, b) find(arr, sizeof(arr), a, b)

static void firmware_forms(void **state)
{
	(void)state;
	uint8_t a, b;
	/* QEMU: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }) */
	static const uint8_t qemu[] = { 0x10, 0x08, S5, 0x12, 0x06, 0x04, 0, 0, 0, 0 };
	assert_null(FIND(qemu, &a, &b));
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	/* Name (\_S5, Package () { 0x05, 0x05, Zero, Zero }) */
	static const uint8_t root[] = { 0x08, '\\', S5, 0x12, 0x08, 0x04, 0x0a, 5, 0x0a, 5, 0, 0 };
	assert_null(FIND(root, &a, &b));
	assert_int_equal(a, 5);
	assert_int_equal(b, 5);
	/* A two-byte PkgLength (8) and One, WordPrefix elements. */
	static const uint8_t two[] = {
		0x08, S5, 0x12, 0x48, 0x00, 0x02, 0x01, 0x0b, 0x06, 0x00, 0
	};
	assert_null(FIND(two, &a, &b));
	assert_int_equal(a, 1);
	assert_int_equal(b, 6);
	/* One element: SLP_TYPb is SLP_TYPa. */
	static const uint8_t one[] = { 0x08, S5, 0x12, 0x04, 0x01, 0x0a, 0x07 };
	assert_null(FIND(one, &a, &b));
	assert_int_equal(a, 7);
	assert_int_equal(b, 7);
	/* "_S5_" used, not defined (no NameOp before it), then defined. */
	static const uint8_t later[] = { 0x70, S5,   0x12, 0x03, 0x01, 0x0a, 0x03, 0x08,
					 S5,   0x12, 0x06, 0x02, 0x0a, 0x04, 0x0a, 0x02 };
	assert_null(FIND(later, &a, &b));
	assert_int_equal(a, 4);
	assert_int_equal(b, 2);
}

static void hostile_tables(void **state)
{
	(void)state;
	uint8_t a, b;
	static const uint8_t past[] = { 0x08, S5, 0x12, 0x10, 0x02, 0x00, 0x00 };
	assert_string_equal(FIND(past, &a, &b), "\\_S5 package length runs past the DSDT");
	static const uint8_t no_pkglen[] = { 0x08, S5, 0x12 };
	assert_string_equal(FIND(no_pkglen, &a, &b), "\\_S5 package truncated");
	static const uint8_t cut_pkglen[] = { 0x08, S5, 0x12, 0xc5, 0x00 };
	assert_string_equal(FIND(cut_pkglen, &a, &b), "\\_S5 package length truncated");
	static const uint8_t too_short[] = { 0x08, S5, 0x12, 0x01, 0x02 };
	assert_string_equal(FIND(too_short, &a, &b), "\\_S5 package length runs past the DSDT");
	/* The element's bytes lie past the package's end (but in the table). */
	static const uint8_t elem_past[] = { 0x08, S5, 0x12, 0x03, 0x02, 0x0b, 0x05, 0x00 };
	assert_string_equal(FIND(elem_past, &a, &b), "\\_S5 package has no integer SLP_TYPa");
	static const uint8_t empty[] = { 0x08, S5, 0x12, 0x02, 0x00 };
	assert_string_equal(FIND(empty, &a, &b), "\\_S5 package has no integer SLP_TYPa");
	static const uint8_t not_int[] = { 0x08, S5, 0x12, 0x03, 0x01, 0x5c };
	assert_string_equal(FIND(not_int, &a, &b), "\\_S5 package has no integer SLP_TYPa");
	static const uint8_t range[] = { 0x08, S5, 0x12, 0x05, 0x02, 0x0a, 0x08, 0x0a, 0x00 };
	assert_string_equal(FIND(range, &a, &b), "\\_S5 sleep type out of range");
	static const uint8_t none[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x02, 0x00, '_', 'S', '5' };
	assert_string_equal(FIND(none, &a, &b), "no \\_S5 object in the DSDT");
	assert_string_equal(find(none, 0, &a, &b), "no \\_S5 object in the DSDT");
	/* Nothing is written on failure. */
	assert_int_equal(a, 0xee);
	assert_int_equal(b, 0xee);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(firmware_forms),
		cmocka_unit_test(hostile_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
