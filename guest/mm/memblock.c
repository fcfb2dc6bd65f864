// SPDX-License-Identifier: MIT
/*
 * memblock: boot-time memory map and allocator (see linux/memblock.h).
 *
 * Invariant of both region arrays: sorted by base, and no two regions
 * overlap or touch (touching ones are merged), so a free range is exactly
 * a gap between reserved regions clipped to a memory region.  Boot adds a
 * handful of regions, so plain linear scans are the right tool.
 */
#include <asm/page.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/printk.h>
#include <linux/string.h>

static struct memblock_region memory_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region reserved_regions[INIT_MEMBLOCK_REGIONS];

struct memblock memblock = {
	.current_limit = MEMBLOCK_ALLOC_ANYWHERE,
	.memory = {
		.max = INIT_MEMBLOCK_REGIONS,
		.regions = memory_regions,
		.name = "memory",
	},
	.reserved = {
		.max = INIT_MEMBLOCK_REGIONS,
		.regions = reserved_regions,
		.name = "reserved",
	},
};

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/*
 * Adds [base, base + size) to type, merging it with every region it
 * overlaps or touches.  Sizes that would wrap past the top of the address
 * space are cut there.
 */
static void memblock_add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	struct memblock_region *r = type->regions;
	phys_addr_t end = base + min(size, MEMBLOCK_ALLOC_ANYWHERE - base);
	unsigned long first, last, i;

	if (end == base)
		return;
	/* r[first..last-1]: the regions that overlap or touch the new one. */
	for (first = 0; first < type->cnt && region_end(&r[first]) < base; first++)
		;
	for (last = first; last < type->cnt && r[last].base <= end; last++)
		;
	if (first == last) {
		if (type->cnt == type->max)
			panic("memblock: %s array full (%lu regions); raise INIT_MEMBLOCK_REGIONS",
			      type->name, type->max);
		memmove(&r[first + 1], &r[first], (type->cnt - first) * sizeof(*r));
		type->cnt++;
	} else {
		base = min(base, r[first].base);
		end = max(end, region_end(&r[last - 1]));
		for (i = first; i < last; i++)
			type->total_size -= r[i].size;
		memmove(&r[first + 1], &r[last], (type->cnt - last) * sizeof(*r));
		type->cnt -= last - first - 1;
	}
	r[first].base = base;
	r[first].size = end - base;
	type->total_size += end - base;
}

void memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_add_range(&memblock.memory, base, size);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_add_range(&memblock.reserved, base, size);
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

/*
 * Iterator state: the low half of *idx is the memory region, the high half
 * the reserved gap (gap b lies between reserved regions b - 1 and b; gap 0
 * starts at 0, the last one runs to the top).  Each call returns the next
 * non-empty intersection and steps whichever of the two ends first.
 */
void __next_free_mem_range(u64 *idx, phys_addr_t *out_start, phys_addr_t *out_end)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_type *rsv = &memblock.reserved;
	unsigned long a = (u32)*idx, b = (unsigned long)(*idx >> 32);

	for (; a < mem->cnt; a++) {
		phys_addr_t m_start = mem->regions[a].base;
		phys_addr_t m_end = region_end(&mem->regions[a]);

		for (; b <= rsv->cnt; b++) {
			phys_addr_t g_start = b ? region_end(&rsv->regions[b - 1]) : 0;
			phys_addr_t g_end = b < rsv->cnt ? rsv->regions[b].base
							 : MEMBLOCK_ALLOC_ANYWHERE;

			if (g_start >= m_end)
				break;		/* the rest of the gaps lie beyond */
			if (g_end <= m_start)
				continue;	/* before this and every later region */
			*out_start = max(m_start, g_start);
			*out_end = min(m_end, g_end);
			if (m_end <= g_end)
				a++;
			else
				b++;
			*idx = (u64)a | (u64)b << 32;
			return;
		}
	}
	*idx = ~(u64)0;
}

/*
 * Top-down, as Linux's memblock allocates: the free ranges from the top,
 * memory regions and the gaps between reserved regions walked downwards
 * together, and the first range that fits below the limit is the answer
 * (the highest block in it).  Boot's allocations come from near the top,
 * so this stops after a gap or two.
 */
static phys_addr_t find_top_down(phys_addr_t size, phys_addr_t align)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_type *rsv = &memblock.reserved;
	phys_addr_t m_start, m_end, g_start, g_end, start, end, cand;
	long a, b = rsv->cnt;	/* gap b lies between reserved regions b - 1 and b */

	for (a = (long)mem->cnt - 1; a >= 0; a--) {
		m_start = mem->regions[a].base;
		m_end = region_end(&mem->regions[a]);
		for (; b >= 0; b--) {
			g_start = b ? region_end(&rsv->regions[b - 1]) : 0;
			g_end = b < (long)rsv->cnt ? rsv->regions[b].base : MEMBLOCK_ALLOC_ANYWHERE;
			if (g_start >= m_end)
				continue;	/* above this region */
			if (g_end <= m_start)
				break;		/* below it: the next region down may hold it */
			start = max(max(m_start, g_start), (phys_addr_t)PAGE_SIZE);	/* 0: failure */
			end = min(min(m_end, g_end), memblock.current_limit);
			if (end > start && end - start >= size) {
				cand = ALIGN_DOWN(end - size, align);
				if (cand >= start)
					return cand;
			}
			if (g_start < m_start)
				break;		/* the gap goes on into the region below */
		}
	}
	return 0;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t found;

	if (memblock.released)
		panic("memblock_phys_alloc(%llu) after memblock_free_all()",
		      (unsigned long long)size);
	if (!align)
		align = MEMBLOCK_DEFAULT_ALIGN;
	BUG_ON(align & (align - 1));
	if (!size)
		return 0;
	found = find_top_down(size, align);
	if (found)
		memblock_reserve(found, size);
	return found;
}

void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc(size, align);

	return pa ? __va(pa) : NULL;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned long n = memblock.memory.cnt;

	return n ? region_end(&memblock.memory.regions[n - 1]) : 0;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}
