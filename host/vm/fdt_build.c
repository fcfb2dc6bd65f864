// SPDX-License-Identifier: MIT
/* The device tree the guest boots with, written with libfdt's sequential API. */
#include <libfdt.h>
#include <stdio.h>

#include "fdt_build.h"
#include "shared/fdt.h"

static int prop_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t cells[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, cells, sizeof(cells));
}

static int build(void *fdt, size_t size, const struct machine *m, const struct fdt_layout *l)
{
	int r = fdt_create(fdt, size);

	/* A size-0 entry would end the block for readers: callers never pass one. */
	for (unsigned i = 0; !r && i < l->nreserved; i++)
		r = l->reserved[i].size ? fdt_add_reservemap_entry(fdt, l->reserved[i].base,
								    l->reserved[i].size) : -FDT_ERR_BADVALUE;
	r = r ?: fdt_finish_reservemap(fdt);
	r = r ?: fdt_begin_node(fdt, "");
	r = r ?: fdt_property_u32(fdt, "#address-cells", 2);
	r = r ?: fdt_property_u32(fdt, "#size-cells", 2);
	r = r ?: fdt_property_string(fdt, "compatible", "vmm,guest");

	r = r ?: fdt_begin_node(fdt, "chosen");
	r = r ?: fdt_property_string(fdt, VMM_FDT_BOOTARGS, m->bootargs);
	r = r ?: fdt_property_u64(fdt, VMM_FDT_SEED, m->seed);
	r = r ?: prop_u64_pair(fdt, VMM_FDT_MAILBOX, l->mailbox.base, l->mailbox.size);
	r = r ?: prop_u64_pair(fdt, VMM_FDT_ZONES, m->zone_dma_end, m->zone_dma32_end);
	r = r ?: fdt_end_node(fdt);

	r = r ?: fdt_begin_node(fdt, "memory@0");
	r = r ?: fdt_property_string(fdt, "device_type", VMM_FDT_MEMORY_TYPE);
	r = r ?: prop_u64_pair(fdt, "reg", 0, l->ram_size);
	r = r ?: fdt_end_node(fdt);

	r = r ?: fdt_end_node(fdt);
	return r ?: fdt_finish(fdt);
}

int fdt_build(void *buf, size_t size, const struct machine *m, const struct fdt_layout *l,
	      char *err, size_t errlen)
{
	int r = build(buf, size, m, l);

	if (r) {
		snprintf(err, errlen, "building the device tree: %s", fdt_strerror(r));
		return -1;
	}
	return 0;
}
