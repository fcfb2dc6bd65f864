// SPDX-License-Identifier: MIT
/*
 * Early device-tree scan: RAM ranges, the memory reservation block,
 * /chosen (boot arguments, seed, mailbox).  Runs while the host's boot
 * page tables are live; those map the first GiB at PAGE_OFFSET, where the
 * host placed the tree.
 *
 * libfdt checks the header; the scan itself is one pass over the
 * structure block.  libfdt's lookups (fdt_path_offset(), fdt_getprop())
 * re-walk the tree from the node's start and re-check every tag and
 * string on each call: about 20,000 instructions for our three nodes,
 * a third of the whole boot where instructions are emulated.  One pass
 * with its own bounds checks costs a few hundred.
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

/* A property as the scan hands it over: name, value, length in bytes. */
struct dt_prop {
	const char *name;
	const fdt32_t *val;
	u32 len;
};

/* Most names differ in their first byte: no call for those. */
static inline bool prop_is(const struct dt_prop *p, const char *name)
{
	return p->name[0] == name[0] && !strcmp(p->name, name);
}

static void chosen_prop(const struct dt_prop *p, bool *mailbox)
{
	if (prop_is(p, VMM_FDT_MAILBOX) && p->len == 16) {
		channel_init(read_cells(p->val, 2), read_cells(p->val + 2, 2));
		*mailbox = true;
	} else if (prop_is(p, VMM_FDT_BOOTARGS) && p->len >= 1 &&
		   !((const char *)p->val)[p->len - 1]) {
		boot_info.bootargs = (const char *)p->val;
	} else if (prop_is(p, VMM_FDT_SEED) && p->len == 8) {
		boot_info.seed = read_cells(p->val, 2);
	} else if (prop_is(p, VMM_FDT_ZONES) && p->len == 16) {
		boot_info.zone_dma_end = read_cells(p->val, 2);
		boot_info.zone_dma32_end = read_cells(p->val + 2, 2);
	}
}

/* A memory node's reg: (address, size) pairs of two cells each. */
static void add_memory(const char *node, const struct dt_prop *reg)
{
	const unsigned int entry = 16;	/* (#address-cells + #size-cells) * 4 */

	if (!reg->val || reg->len % entry)
		panic("device tree: %s has a malformed reg", node);
	for (u32 i = 0; i < reg->len / entry; i++)
		add_range(boot_info.ram, &boot_info.nr_ram,
			  read_cells(reg->val + i * 4, 2), read_cells(reg->val + i * 4 + 2, 2));
}

/*
 * The structure block, token by token: the children of the root named
 * "chosen", and those whose device_type is "memory" (reg may come before
 * it, so a node is judged at its end).  A token, name or property that
 * would run past the block, or a property name outside the strings block,
 * stops the boot where the host sees it.
 */
static void scan_struct(const void *fdt)
{
	const char *base = (const char *)fdt + fdt_off_dt_struct(fdt);
	const char *strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	u32 size = fdt_size_dt_struct(fdt), nstrings = fdt_size_dt_strings(fdt), off = 0;
	struct dt_prop reg = {}, p;
	const char *node = NULL;
	bool chosen = false, memory = false, mailbox = false;
	int depth = 0;

	if (!nstrings || strings[nstrings - 1])
		early_fail();
	for (;;) {
		if (off > size - 4 || size < 4)
			early_fail();
		switch (fdt32_to_cpu(*(const fdt32_t *)(base + off))) {
		case FDT_BEGIN_NODE:
			node = base + off + 4;
			off += 4 + ALIGN(strnlen(node, size - off - 4) + 1, 4);
			depth++;
			chosen = depth == 2 && !strcmp(node, "chosen");
			memory = false;
			reg.val = NULL;
			break;
		case FDT_PROP:
			if (off > size - 12)
				early_fail();
			p.len = fdt32_to_cpu(*(const fdt32_t *)(base + off + 4));
			p.name = strings + fdt32_to_cpu(*(const fdt32_t *)(base + off + 8));
			p.val = (const fdt32_t *)(base + off + 12);
			if (p.len > size - off - 12 || p.name >= strings + nstrings ||
			    p.name < strings)
				early_fail();
			off += 12 + ALIGN(p.len, 4);
			if (depth != 2)
				break;
			if (chosen)
				chosen_prop(&p, &mailbox);
			else if (prop_is(&p, "reg"))
				reg = p;
			else if (prop_is(&p, "device_type"))
				memory = p.len == sizeof(VMM_FDT_MEMORY_TYPE) &&
					 !strcmp((const char *)p.val, VMM_FDT_MEMORY_TYPE);
			break;
		case FDT_END_NODE:
			if (depth == 2 && memory)
				add_memory(node, &reg);
			depth--;
			chosen = memory = false;
			off += 4;
			break;
		case FDT_NOP:
			off += 4;
			break;
		case FDT_END:
			if (!mailbox)
				early_fail();
			return;
		default:
			early_fail();
		}
	}
}

/* The memory reservation block: (address, size) pairs up to one of size 0. */
static void scan_reserved(const void *fdt)
{
	const struct fdt_reserve_entry *e =
		(const void *)((const char *)fdt + fdt_off_mem_rsvmap(fdt));
	const struct fdt_reserve_entry *end =
		(const void *)((const char *)fdt + fdt_off_dt_struct(fdt));

	for (; e + 1 <= end && e->size; e++)
		add_range(boot_info.reserved, &boot_info.nr_reserved,
			  fdt64_to_cpu(e->address), fdt64_to_cpu(e->size));
}

void early_init_dt_scan(phys_addr_t fdt_pa)
{
	const void *fdt = __va(fdt_pa);

	if (fdt_pa >= VMM_BOOT_MAPPED || fdt_check_header(fdt))
		early_fail();
	boot_info.fdt_pa = fdt_pa;
	boot_info.fdt_size = fdt_totalsize(fdt);
	boot_info.bootargs = "";
	boot_info.zone_dma_end = 16UL << 20;
	boot_info.zone_dma32_end = 4UL << 30;
	scan_struct(fdt);
	if (!boot_info.nr_ram)
		panic("device tree: no memory node");
	scan_reserved(fdt);
}
