// SPDX-License-Identifier: MIT
/*
 * Early device-tree scan with Debian's libfdt: RAM ranges, the memory
 * reservation block, /chosen (boot arguments, seed, mailbox).  Runs while
 * the host's boot page tables are live; those map the first GiB at
 * PAGE_OFFSET, where the host placed the tree.
 */
#include <libfdt.h>
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/of_fdt.h>
#include <linux/printk.h>
#include <asm/page.h>
#include <asm/processor.h>
#include "shared/fdt.h"

struct boot_info boot_info;

/* Nothing can be reported before the mailbox is known: stop where the host sees us. */
static __noreturn void early_fail(void)
{
	halt_forever();
}

static u64 read_cells(const fdt32_t *p, int cells)
{
	u64 v = 0;

	while (cells--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static void add_range(struct boot_range *r, unsigned *nr, u64 base, u64 size)
{
	if (*nr >= MAX_BOOT_RANGES)
		panic("device tree: more than %d ranges", MAX_BOOT_RANGES);
	r[*nr].base = base;
	r[*nr].size = size;
	(*nr)++;
}

static void scan_chosen(const void *fdt)
{
	int node = fdt_path_offset(fdt, VMM_FDT_CHOSEN);
	const fdt32_t *p;
	int len;

	if (node < 0)
		early_fail();
	p = fdt_getprop(fdt, node, VMM_FDT_MAILBOX, &len);
	if (!p || len != 16)
		early_fail();
	channel_init(read_cells(p, 2), read_cells(p + 2, 2));

	boot_info.bootargs = fdt_getprop(fdt, node, VMM_FDT_BOOTARGS, &len);
	if (!boot_info.bootargs || len < 1 || boot_info.bootargs[len - 1])
		boot_info.bootargs = "";
	p = fdt_getprop(fdt, node, VMM_FDT_SEED, &len);
	if (p && len == 8)
		boot_info.seed = read_cells(p, 2);
	boot_info.zone_dma_end = 16UL << 20;
	boot_info.zone_dma32_end = 4UL << 30;
	p = fdt_getprop(fdt, node, VMM_FDT_ZONES, &len);
	if (p && len == 16) {
		boot_info.zone_dma_end = read_cells(p, 2);
		boot_info.zone_dma32_end = read_cells(p + 2, 2);
	}
}

static void scan_memory(const void *fdt)
{
	int node, len, entry = 16;	/* (#address-cells + #size-cells) * 4 */
	const fdt32_t *reg;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (!type || strcmp(type, VMM_FDT_MEMORY_TYPE))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len % entry)
			panic("device tree: %s has a malformed reg", fdt_get_name(fdt, node, NULL));
		for (int i = 0; i < len / entry; i++)
			add_range(boot_info.ram, &boot_info.nr_ram,
				  read_cells(reg + i * 4, 2), read_cells(reg + i * 4 + 2, 2));
	}
	if (!boot_info.nr_ram)
		panic("device tree: no memory node");
}

static void scan_reserved(const void *fdt)
{
	int n = fdt_num_mem_rsv(fdt);

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			add_range(boot_info.reserved, &boot_info.nr_reserved, base, size);
	}
}

void early_init_dt_scan(phys_addr_t fdt_pa)
{
	const void *fdt = __va(fdt_pa);

	if (fdt_pa >= VMM_BOOT_MAPPED || fdt_check_header(fdt))
		early_fail();
	boot_info.fdt_pa = fdt_pa;
	boot_info.fdt_size = fdt_totalsize(fdt);
	scan_chosen(fdt);	/* first: it finds the console */
	scan_memory(fdt);
	scan_reserved(fdt);
}
