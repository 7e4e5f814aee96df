/* Memory-map helpers shared by the multiboot parsers. */
#include "boot_regions.h"

uint32_t boot_mem_type(uint32_t type)
{
	switch (type) {
	case 1:
		return BOOT_MEM_USABLE;
	case 3:
		return BOOT_MEM_ACPI_RECLAIM;
	case 4:
		return BOOT_MEM_ACPI_NVS;
	case 5:
		return BOOT_MEM_BAD;
	default:
		return BOOT_MEM_RESERVED;
	}
}

void boot_add_region(struct boot_info *out, uint64_t base, uint64_t length, uint32_t type)
{
	struct boot_mem_region *r;

	if (length == 0 || out->n_mem >= BOOT_MAX_MEM_REGIONS)
		return;
	if (length > UINT64_MAX - base)
		length = UINT64_MAX - base;
	r = &out->mem[out->n_mem++];
	r->base = base;
	r->length = length;
	r->type = type;
}

bool boot_has_usable_memory(const struct boot_info *out)
{
	for (size_t i = 0; i < out->n_mem; i++)
		if (out->mem[i].type == BOOT_MEM_USABLE)
			return true;
	return false;
}
