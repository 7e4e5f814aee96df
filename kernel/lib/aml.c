/*
 * Just enough AML to power off: the \\_S5 object of a DSDT, found as the
 * byte pattern NameOp [RootChar] "_S5_" PackageOp PkgLength NumElements
 * and its first two integer elements (SLP_TYPa, SLP_TYPb), as kernels
 * without an AML interpreter do. Every length is checked against the
 * table. Pure, so it is tested on the host (test/unit/lib/test_aml.c).
 */
#include "kernel/aml.h"

#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR '\\'

/* An AML integer constant at *p (< end): ZeroOp, OneOp, BytePrefix,
 * WordPrefix, DWordPrefix. Returns false for anything else. */
static bool aml_integer(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
	const uint8_t *q = *p;
	size_t n;

	if (q >= end)
		return false;
	switch (*q++) {
	case 0x00:
		*v = 0;
		n = 0;
		break;
	case 0x01:
		*v = 1;
		n = 0;
		break;
	case 0x0A:
		n = 1;
		break;
	case 0x0B:
		n = 2;
		break;
	case 0x0C:
		n = 4;
		break;
	default:
		return false;
	}
	if (n) {
		if ((size_t)(end - q) < n)
			return false;
		*v = 0;
		__builtin_memcpy(v, q, n);
	}
	*p = q + n;
	return true;
}

/* Find Name(\_S5, Package() { SLP_TYPa, SLP_TYPb, ... }) in the AML of a
 * DSDT. Returns NULL or why not. */
const char *aml_find_s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	const uint8_t *end = aml + len;

	for (size_t i = 1; i + 4 <= len; i++) {
		if (__builtin_memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		bool named = aml[i - 1] == AML_NAME_OP ||
			     (i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP);
		const uint8_t *p = aml + i + 4;
		if (!named || p >= end || *p != AML_PACKAGE_OP)
			continue;
		/* PkgLength: bits 7-6 of the lead byte count the bytes after it. */
		const uint8_t *pkg = ++p;
		if (p >= end)
			return "\\_S5 package truncated";
		size_t extra = *p >> 6;
		uint32_t plen = extra ? *p & 0x0f : *p & 0x3f;
		if ((size_t)(end - p) < 1 + extra)
			return "\\_S5 package length truncated";
		for (size_t k = 0; k < extra; k++)
			plen |= (uint32_t)p[1 + k] << (4 + 8 * k);
		p += 1 + extra;
		if (plen < 2 + extra || plen > (size_t)(end - pkg))
			return "\\_S5 package length runs past the DSDT";
		const uint8_t *pend = pkg + plen;
		uint8_t count = *p++;
		uint32_t ta, tb;
		if (count < 1 || !aml_integer(&p, pend, &ta))
			return "\\_S5 package has no integer SLP_TYPa";
		if (count < 2 || !aml_integer(&p, pend, &tb))
			tb = ta;
		if (ta > 7 || tb > 7)
			return "\\_S5 sleep type out of range";
		*a = (uint8_t)ta;
		*b = (uint8_t)tb;
		return NULL;
	}
	return "no \\_S5 object in the DSDT";
}
