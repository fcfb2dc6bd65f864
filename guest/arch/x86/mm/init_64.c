// SPDX-License-Identifier: MIT
/*
 * The kernel's own page tables, replacing the host's boot tables:
 *   - the direct map: every RAM range at PAGE_OFFSET + phys, with the
 *     largest pages that fit (1 GiB where the CPU has them, then 2 MiB,
 *     then 4 KiB), so that it covers exactly RAM;
 *   - the kernel image at __START_KERNEL_map with 4 KiB pages and the
 *     permissions of its ELF segments: text r-x, rodata r--, data rw- (NX).
 * Each mapping is recorded so the host can compare the guest's account with
 * what its own walk of these tables finds (`check`).
 */
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/mmzone.h>
#include <linux/printk.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <linux/of_fdt.h>
#include <string.h>
#include "shared/channel.h"

static pteval_t init_top_pgt_page[PTRS_PER_TABLE] __aligned(PAGE_SIZE) __section(".bss.page_aligned");
pteval_t *init_top_pgt = init_top_pgt_page;

#define MAX_KERNEL_MAPS		(MAX_BOOT_RANGES + 3)
static struct vmm_kmap kernel_maps[MAX_KERNEL_MAPS];
static unsigned nr_kernel_maps;
static bool gbpages;

extern char _text[], _etext[], __start_rodata[], __end_rodata[], _sdata[], _end[];

/*
 * Page-table pages come from memblock, below the limit setup_arch() set to
 * what the boot tables map.  They are not cleared: the host hands us zeroed
 * RAM and nothing has written to free memory yet (clearing costs hundreds
 * of emulated instructions per page on our machines).
 */
static pteval_t *alloc_pgt_page(void)
{
	phys_addr_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);

	if (!pa)
		panic("init_mem_mapping: no memory for page tables");
	return __va(pa);
}

static pteval_t *next_table(pteval_t *entry)
{
	if (!(*entry & _PAGE_PRESENT))
		*entry = __pa(alloc_pgt_page()) | _KERNPG_TABLE;
	return __va(*entry & PTE_PFN_MASK);
}

/* The entry that maps va with a page of page_size (4K, 2M or 1G), tables made as needed. */
static pteval_t *leaf_entry(unsigned long va, unsigned long page_size)
{
	pteval_t *pud = next_table(&init_top_pgt[pgd_index(va)]);
	pteval_t *pmd, *pte;

	if (page_size == SZ_1G)
		return &pud[pud_index(va)];
	pmd = next_table(&pud[pud_index(va)]);
	if (page_size == SZ_2M)
		return &pmd[pmd_index(va)];
	pte = next_table(&pmd[pmd_index(va)]);
	return &pte[pte_index(va)];
}

static unsigned long leaf_size(unsigned long va, phys_addr_t pa, unsigned long left)
{
	if (gbpages && left >= SZ_1G && IS_ALIGNED(va | pa, SZ_1G))
		return SZ_1G;
	if (left >= SZ_2M && IS_ALIGNED(va | pa, SZ_2M))
		return SZ_2M;
	return PAGE_SIZE;
}

/*
 * Leaves of one size fill consecutive entries of one table: the tables
 * are walked once per run, not once per page, and the run is a plain
 * loop of stores (boot instructions are emulated one by one).  A run ends
 * at the table's end or the range's (a small range maps its last partial
 * page whole), or where less than a large leaf is left; a larger leaf
 * cannot start inside a run, its alignment being the end of this table.
 */
static void map_range(unsigned long va, phys_addr_t pa, unsigned long size, pteval_t prot,
		      bool large)
{
	unsigned long done = 0, step, n, room;
	pteval_t *entry, leaf;

	if (nr_kernel_maps == MAX_KERNEL_MAPS)
		panic("init_mem_mapping: too many kernel ranges");
	kernel_maps[nr_kernel_maps++] = (struct vmm_kmap){ va, pa, size, prot };

	while (done < size) {
		step = large ? leaf_size(va + done, pa + done, size - done) : PAGE_SIZE;
		entry = leaf_entry(va + done, step);
		room = PTRS_PER_TABLE - ((va + done) / step) % PTRS_PER_TABLE;
		n = step == PAGE_SIZE ? DIV_ROUND_UP(size - done, step) : (size - done) / step;
		n = min(n, room);
		leaf = (pa + done) | prot | (step == PAGE_SIZE ? 0 : _PAGE_PSE);
		done += n * step;
		for (; n; n--, leaf += step)
			*entry++ = leaf;
	}
}

static void map_kernel_image(void)
{
	map_range((unsigned long)_text, __pa(_text), _etext - _text, PAGE_KERNEL_EXEC, false);
	map_range((unsigned long)__start_rodata, __pa(__start_rodata),
		  __end_rodata - __start_rodata, PAGE_KERNEL_RO, false);
	map_range((unsigned long)_sdata, __pa(_sdata), _end - _sdata, PAGE_KERNEL, false);
}

static bool cpu_has_gbpages(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, &a, &b, &c, &d);
	return d & (1u << 26);
}

void init_mem_mapping(void)
{
	gbpages = cpu_has_gbpages();
	for (unsigned i = 0; i < boot_info.nr_ram; i++) {
		const struct boot_range *r = &boot_info.ram[i];

		map_range(PAGE_OFFSET + r->base, r->base, r->size, PAGE_KERNEL, true);
	}
	map_kernel_image();
	/*
	 * The vmalloc range's top-level slot exists before any process copies
	 * the kernel half, so that later vmalloc mappings are seen by all.
	 */
	next_table(&init_top_pgt[pgd_index(VMALLOC_START)]);
	write_cr3(__pa(init_top_pgt));
	write_cr4(read_cr4() | X86_CR4_PGE);
}

/* Zones from the device tree (vm line `zones=`), Linux's limits by default. */
void paging_init(void)
{
	unsigned long max_zone_pfn[MAX_NR_ZONES] = {
		[ZONE_DMA] = PHYS_PFN(boot_info.zone_dma_end),
		[ZONE_DMA32] = PHYS_PFN(boot_info.zone_dma32_end),
		[ZONE_NORMAL] = ~0UL,
	};

	free_area_init(max_zone_pfn);
}

/* The kernel-half mappings as built, for the host's `check`. */
int kernel_maps_export(void *buf, unsigned long size)
{
	unsigned long bytes = nr_kernel_maps * sizeof(kernel_maps[0]);

	if (bytes > size)
		return -1;
	memcpy(buf, kernel_maps, bytes);
	return nr_kernel_maps;
}
