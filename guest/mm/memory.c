// SPDX-License-Identifier: MIT
/*
 * User page tables: demand paging of anonymous memory, the zero page,
 * copy-on-write, faults on files' pages (the page cache, guest/mm/filemap.c),
 * raw frames of drivers (remap_pfn_range), and the page-table side of
 * munmap, mprotect, fork, exit and truncate (the seam in linux/pgtable_ops.h).
 *
 * Invariants kept here:
 *   - a present user PTE maps either the zero page (read-only, not
 *     counted in RSS, no reference taken) or a frame whose _refcount and
 *     _mapcount count this PTE;
 *   - a private page is writable in a PTE only if that PTE is its only
 *     mapping: fork write-protects both sides, and every write fault on a
 *     shared page copies it first (do_wp_page);
 *   - a PROT_NONE PTE is not present but keeps its frame and _PAGE_PROTNONE.
 *
 * Guest only: the native build of the address-space code records these
 * calls instead (tests/native/pgtable_seam.c).
 */
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/pgtable_ops.h>
#include <linux/sched.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <string.h>

/* Never written: the host's RAM arrives zeroed. */
static u8 empty_zero_page[PAGE_SIZE] __aligned(PAGE_SIZE) __section(".bss.page_aligned");

unsigned long zero_pfn(void)
{
	return PHYS_PFN(__pa(empty_zero_page));
}

static bool pte_none(pteval_t pte)
{
	return !(pte & (_PAGE_PRESENT | _PAGE_PROTNONE));
}

static unsigned long pte_pfn(pteval_t pte)
{
	return PHYS_PFN(pte & PTE_PFN_MASK);
}

static pteval_t *pgd_of(const struct mm_struct *mm)
{
	return __va(mm->pgd);
}

static void flush_tlb_page(const struct mm_struct *mm, unsigned long addr)
{
	if (mm == active_mm)
		__flush_tlb_one(addr);
}

/* Linux's tlb_single_page_flush_ceiling: beyond it, one CR3 reload beats invlpg per page. */
#define FLUSH_CEILING_PAGES	33

/*
 * After changing the PTEs of [start, end): one flush for the range, as
 * Linux's mmu_gather does.  Frames freed before it cannot be reused
 * meanwhile: this kernel runs nothing else in between on its one CPU.
 */
static void flush_tlb_range(const struct mm_struct *mm, unsigned long start, unsigned long end)
{
	if (mm != active_mm)
		return;
	if ((end - start) >> PAGE_SHIFT > FLUSH_CEILING_PAGES) {
		write_cr3(mm->pgd);
		return;
	}
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE)
		__flush_tlb_one(addr);
}

/* The PMD entry for addr if the tables above it exist, else NULL (no allocation). */
static pteval_t *pmd_lookup(const struct mm_struct *mm, unsigned long addr)
{
	pteval_t e = pgd_of(mm)[pgd_index(addr)];
	pteval_t *t;

	if (!(e & _PAGE_PRESENT))
		return NULL;
	t = __va(e & PTE_PFN_MASK);
	e = t[pud_index(addr)];
	if (!(e & _PAGE_PRESENT))
		return NULL;
	return &((pteval_t *)__va(e & PTE_PFN_MASK))[pmd_index(addr)];
}

/* The PTE slot for addr if its page table exists, else NULL (no allocation). */
static pteval_t *pte_lookup(const struct mm_struct *mm, unsigned long addr)
{
	pteval_t *pmd = pmd_lookup(mm, addr);

	if (!pmd || !(*pmd & _PAGE_PRESENT))
		return NULL;
	return &((pteval_t *)__va(*pmd & PTE_PFN_MASK))[pte_index(addr)];
}

/* Next address to look at after addr when its page table is missing: the next 2 MiB. */
static unsigned long next_table(unsigned long addr, unsigned long end)
{
	unsigned long next = ALIGN_DOWN(addr, SZ_2M) + SZ_2M;

	return next < end && next > addr ? next : end;
}

/*
 * The PTEs from addr up to *next, the end of [addr, end) or of addr's page
 * table, whichever comes first: one walk per table rather than per page.
 * NULL if that table does not exist.
 */
static pteval_t *pte_range(const struct mm_struct *mm, unsigned long addr, unsigned long end,
			   unsigned long *next)
{
	*next = next_table(addr, end);
	return pte_lookup(mm, addr);
}

/* Which RSS counter a page counts in (Linux's mm_counter()). */
static int mm_counter(const struct page *page)
{
	if (!page->mapping)
		return MM_ANONPAGES;
	return PageSwapBacked(page) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

/*
 * The struct page a present PTE counts in, or NULL for the zero page and
 * raw frames, which take no references (Linux's vm_normal_page()).
 */
static struct page *normal_page(const struct vm_area_struct *vma, pteval_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	if (pfn == zero_pfn() || !pfn_valid(pfn) || (vma->vm_flags & VM_PFNMAP))
		return NULL;
	return pfn_to_page(pfn);
}

/* Drops one mapping of the frame a PTE held; a page-cache page keeps what the PTE dirtied. */
static void zap_pte(struct vm_area_struct *vma, pteval_t pte)
{
	struct page *page = normal_page(vma, pte);

	if (!page)
		return;
	if (page->mapping && (pte & _PAGE_DIRTY) && (vma->vm_flags & VM_SHARED))
		set_page_dirty(page);
	page->_mapcount--;
	add_mm_counter(vma->vm_mm, mm_counter(page), -1);
	__free_page(page);	/* drops our reference; frees it if it was the last */
}

void unmap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long next;

	update_hiwater_rss(vma->vm_mm);	/* the RSS may be about to fall */

	for (unsigned long addr = start; addr < end; addr = next) {
		pteval_t *pte = pte_range(vma->vm_mm, addr, end, &next);

		for (; pte && addr < next; addr += PAGE_SIZE, pte++) {
			if (pte_none(*pte))
				continue;
			zap_pte(vma, *pte);
			*pte = 0;
		}
	}
	flush_tlb_range(vma->vm_mm, start, end);
}

/* Where the entry after addr's, of a table level whose entries map size bytes, begins; or end. */
static unsigned long entry_end(unsigned long addr, unsigned long end, unsigned long size)
{
	unsigned long boundary = (addr + size) & ~(size - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}

/*
 * May the table that maps the span of size bytes around start go?  Only if
 * the whole span lies within [floor, ceiling): anything outside may be
 * mapped by a neighbour (Linux's free_pmd_range() and free_pud_range()).
 * A ceiling of 0 is the top of the address space; end - 1 and ceiling - 1
 * compare correctly then.
 */
static bool span_within(unsigned long start, unsigned long end, unsigned long size,
			unsigned long floor, unsigned long ceiling)
{
	start &= ~(size - 1);
	if (start < floor)
		return false;
	if (ceiling) {
		ceiling &= ~(size - 1);
		if (!ceiling)
			return false;
	}
	return end - 1 <= ceiling - 1;
}

static void free_table(pteval_t *entry)
{
	struct page *page = pfn_to_page(pte_pfn(*entry));

	*entry = 0;
	__free_page(page);
}

/*
 * The tables under *entry (a table at level 3 PUD, 2 PMD, 1 PT) for
 * [addr, end): every PT met, then each upper table whose span lies within
 * [floor, ceiling).  Only entries inside the range are looked at.
 */
static void free_table_range(pteval_t *entry, int level, unsigned long addr, unsigned long end,
			     unsigned long floor, unsigned long ceiling)
{
	unsigned int shift = PAGE_SHIFT + 9 * (level - 1);	/* what one entry maps */
	pteval_t *t = __va(*entry & PTE_PFN_MASK);
	unsigned long start = addr, next;

	if (level > 1) {
		for (; addr != end; addr = next) {
			pteval_t *e = &t[(addr >> shift) & (PTRS_PER_TABLE - 1)];

			next = entry_end(addr, end, 1UL << shift);
			if (*e & _PAGE_PRESENT)
				free_table_range(e, level - 1, addr, next, floor, ceiling);
		}
		if (!span_within(start, end, 1UL << (shift + 9), floor, ceiling))
			return;
	}
	free_table(entry);
}

/*
 * Linux's free_pgd_range(): the hole is first narrowed to the 2 MiB
 * blocks that no neighbour shares, so every PT met can go; upper tables
 * go when their span lies between the neighbours.  Tables of a hole that
 * a neighbour still shares stay (empty) until that neighbour goes too.
 */
void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end,
		   unsigned long floor, unsigned long ceiling)
{
	unsigned long addr = start & PMD_MASK, next;

	if (addr < floor) {
		addr += PMD_SIZE;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= PMD_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= PMD_SIZE;
	if (addr > end - 1)
		return;
	for (; addr != end; addr = next) {
		pteval_t *e = &pgd_of(mm)[pgd_index(addr)];

		next = entry_end(addr, end, PGDIR_SIZE);
		if (*e & _PAGE_PRESENT)
			free_table_range(e, 3, addr, next, floor, ceiling);
	}
	if (mm == active_mm)
		write_cr3(mm->pgd);	/* tables are gone: flush the walk caches too */
}

/*
 * Sole mapping and sole reference of an anonymous page: it may be written
 * in place.  A page-cache page never is, through a private mapping.
 */
static bool page_exclusive(unsigned long pfn)
{
	const struct page *page;

	if (pfn == zero_pfn() || !pfn_valid(pfn))
		return false;
	page = pfn_to_page(pfn);
	return !page->mapping && page_mapcount(page) == 1 && page_count(page) == 1;
}

static pteval_t make_pte(const struct vm_area_struct *vma, unsigned long pfn, bool writable)
{
	pteval_t pte = PFN_PHYS(pfn) | pgprot_val(vma->vm_page_prot) | _PAGE_ACCESSED;

	if (writable)
		pte |= _PAGE_RW | _PAGE_DIRTY;
	return pte;
}

/*
 * May a present PTE of vma give write access to its frame right now?  A
 * shared mapping whose writes are tracked (vm_page_prot read-only) only
 * if the PTE is dirty already.
 */
static bool can_write(const struct vm_area_struct *vma, pteval_t pte)
{
	if (!(vma->vm_flags & VM_WRITE))
		return false;
	if (vma->vm_flags & VM_SHARED)
		return (pgprot_val(vma->vm_page_prot) & _PAGE_RW) || (pte & _PAGE_DIRTY);
	return page_exclusive(pte_pfn(pte));
}

void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long next;

	for (unsigned long addr = start; addr < end; addr = next) {
		pteval_t *pte = pte_range(vma->vm_mm, addr, end, &next);

		for (; pte && addr < next; addr += PAGE_SIZE, pte++) {
			unsigned long pfn = pte_pfn(*pte);

			/* Keep Dirty; a shared COW page stays read-only until written. */
			if (!pte_none(*pte))
				*pte = make_pte(vma, pfn, can_write(vma, *pte)) | (*pte & _PAGE_DIRTY);
		}
	}
	flush_tlb_range(vma->vm_mm, start, end);
}

/* A read of never-written private memory: the zero page, read-only. */
static int do_anonymous_page(struct vm_area_struct *vma, pteval_t *pte, bool write)
{
	struct page *page;

	if (!write) {
		*pte = make_pte(vma, zero_pfn(), false);
		return 0;
	}
	if (anon_vma_prepare(vma))
		return -ENOMEM;
	page = alloc_page(GFP_USER | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	page->_mapcount = 1;
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
	*pte = make_pte(vma, page_to_pfn(page), true);
	return 0;
}

/* A private copy of src (NULL: zeros) for a write to a private mapping: mapped, exclusive. */
static int map_private_copy(struct vm_area_struct *vma, pteval_t *pte, const void *src)
{
	struct page *new;

	if (anon_vma_prepare(vma))
		return -ENOMEM;
	new = alloc_page(src ? GFP_USER : GFP_USER | __GFP_ZERO);
	if (!new)
		return -ENOMEM;
	if (src)
		memcpy(page_address(new), src, PAGE_SIZE);
	new->_mapcount = 1;
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
	if (!pte_none(*pte))
		zap_pte(vma, *pte);
	*pte = make_pte(vma, page_to_pfn(new), true);
	return 0;
}

/*
 * The first touch of a file's page through vma (Linux's do_fault()): past
 * the end of the file SIGBUS; else the page-cache page, mapped read-only
 * unless this is a write through a shared mapping that may map it
 * writable (then it is dirty); a write through a private mapping maps a
 * copy instead (do_cow_fault), and the page cache keeps the file's bytes.
 */
static int do_fault(struct vm_area_struct *vma, unsigned long addr, pteval_t *pte, bool write)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	unsigned long index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct page *page;

	if (index >= (unsigned long)((mapping->host->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT))
		return -EFAULT;
	page = filemap_grab_page(mapping, index);
	if (!page)
		return -ENOMEM;
	SetPageReferenced(page);
	if (write && !(vma->vm_flags & VM_SHARED))
		return map_private_copy(vma, pte, page_address(page));
	get_page(page);
	page->_mapcount++;
	add_mm_counter(vma->vm_mm, mm_counter(page), 1);
	*pte = make_pte(vma, page_to_pfn(page), false);
	if (write) {
		set_page_dirty(page);
		*pte |= _PAGE_RW | _PAGE_DIRTY;
	}
	return 0;
}

/*
 * A write to a present read-only page of a writable VMA: reuse it (a
 * shared mapping's page, dirty from now on, or an exclusive anonymous
 * one), or copy it.
 */
static int do_wp_page(struct vm_area_struct *vma, unsigned long addr, pteval_t *pte)
{
	unsigned long pfn = pte_pfn(*pte);
	int err;

	if (page_exclusive(pfn) || (vma->vm_flags & VM_SHARED)) {
		struct page *page = normal_page(vma, *pte);

		if (page && page->mapping)
			set_page_dirty(page);
		*pte |= _PAGE_RW | _PAGE_DIRTY;
		flush_tlb_page(vma->vm_mm, addr);
		return 0;
	}
	err = map_private_copy(vma, pte, pfn == zero_pfn() ? NULL : __va(PFN_PHYS(pfn)));
	flush_tlb_page(vma->vm_mm, addr);
	return err;
}

int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, bool write)
{
	pteval_t *pte = pte_lookup(vma->vm_mm, addr);

	/* Only the first fault under each 2 MiB allocates tables. */
	if (unlikely(!pte) && !(pte = pte_alloc(pgd_of(vma->vm_mm), addr & PAGE_MASK)))
		return -ENOMEM;
	if (pte_none(*pte)) {
		/* A driver's raw frames were all mapped at mmap: nothing to fault in. */
		if (vma->vm_flags & VM_PFNMAP)
			return -EFAULT;
		if (vma->vm_file)
			return do_fault(vma, addr & PAGE_MASK, pte, write);
		return do_anonymous_page(vma, pte, write);
	}
	if (write && !(*pte & _PAGE_RW))
		return do_wp_page(vma, addr & PAGE_MASK, pte);
	return 0;	/* another fault got here first: nothing to do */
}

int populate_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;

	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		int ret = handle_mm_fault(vma, addr, write);

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * fork: the child's PTEs take a reference and a mapping each.  Private
 * writable pages become read-only on both sides, so that the first write
 * in either copies.  As in Linux's vma_needs_copy(), only VMAs with
 * anonymous pages (an anon_vma) and raw frames (VM_PFNMAP) are copied:
 * the rest, shared memory and files' pages not yet copied, the child
 * faults in from the page cache when it touches them.
 */
/* One PTE for the child: a reference and a mapping for a real frame, read-only if COW. */
static void copy_present_pte(struct vm_area_struct *dst, const struct vm_area_struct *src,
			     pteval_t *from, pteval_t *to, bool cow)
{
	struct page *page = normal_page(src, *from);

	if (cow)
		*from &= ~_PAGE_RW;
	if (page) {
		get_page(page);
		page->_mapcount++;
		add_mm_counter(dst->vm_mm, mm_counter(page), 1);
	}
	*to = *from;
}

int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	bool cow = !(src->vm_flags & VM_SHARED);

	if (!(src->vm_flags & VM_PFNMAP) && !src->anon_vma)
		return 0;
	for (unsigned long addr = src->vm_start, next; addr < src->vm_end; addr = next) {
		pteval_t *from = pte_range(src->vm_mm, addr, src->vm_end, &next), *to = NULL;

		for (; from && addr < next; addr += PAGE_SIZE, from++, to = to ? to + 1 : NULL) {
			if (pte_none(*from))
				continue;
			/* The child's table, once per table: only where the parent maps something. */
			if (!to && !(to = pte_alloc(pgd_of(dst->vm_mm), addr)))
				return -ENOMEM;
			copy_present_pte(dst, src, from, to, cow);
		}
	}
	if (cow)
		flush_tlb_range(src->vm_mm, src->vm_start, src->vm_end);
	return 0;
}

void walk_page_vma(struct vm_area_struct *vma, pte_entry_fn fn, void *arg)
{
	unsigned long next;

	for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr = next) {
		pteval_t *pte = pte_range(vma->vm_mm, addr, vma->vm_end, &next);

		for (; pte && addr < next; addr += PAGE_SIZE, pte++) {
			struct pte_walk_entry e = {
				.addr = addr, .page = normal_page(vma, *pte),
				.young = *pte & _PAGE_ACCESSED, .dirty = *pte & _PAGE_DIRTY,
			};

			if (!pte_none(*pte))
				fn(arg, &e);
		}
	}
}

int mm_alloc_pgd(struct mm_struct *mm)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pteval_t *pgd;

	if (!page)
		return -ENOMEM;
	pgd = page_address(page);
	/* The kernel half is shared: the same PUD tables under every PGD. */
	memcpy(&pgd[KERNEL_HALF_FIRST_PGD], &init_top_pgt[KERNEL_HALF_FIRST_PGD],
	       (PTRS_PER_TABLE - KERNEL_HALF_FIRST_PGD) * sizeof(pteval_t));
	mm->pgd = page_to_phys(page);
	return 0;
}

void mm_free_pgd(struct mm_struct *mm)
{
	if (mm == active_mm) {
		write_cr3(__pa(init_top_pgt));
		active_mm = NULL;
	}
	__free_page(pfn_to_page(PHYS_PFN(mm->pgd)));
}

/*
 * Every VMA of every process that maps pages first..last of mapping, with
 * the part of it that does (Linux walks mapping->i_mmap; with at most
 * PID_MAX processes the task table serves as well).
 */
static void for_each_mapping_vma(struct address_space *mapping, unsigned long first,
				 unsigned long last,
				 void (*fn)(struct vm_area_struct *vma, unsigned long start,
					    unsigned long end))
{
	struct task_struct *t;

	for_each_process(t) {
		struct vm_area_struct *vma;

		for_each_vma(t->mm, vma) {
			unsigned long vfirst = vma->vm_pgoff, vlast = vfirst + vma_pages(vma) - 1;

			if (!vma->vm_file || vma->vm_file->f_mapping != mapping ||
			    vlast < first || vfirst > last)
				continue;
			fn(vma, vma->vm_start + ((max(first, vfirst) - vfirst) << PAGE_SHIFT),
			   vma->vm_start + ((min(last, vlast) - vfirst + 1) << PAGE_SHIFT));
		}
	}
}

void unmap_mapping_range(struct address_space *mapping, unsigned long first, unsigned long last)
{
	for_each_mapping_vma(mapping, first, last, unmap_page_range);
}

/* The shared PTEs of [start, end) clean and read-only: the next write faults and dirties. */
static void mkclean_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long next;

	if (!(vma->vm_flags & VM_SHARED))
		return;
	for (unsigned long addr = start; addr < end; addr = next) {
		pteval_t *pte = pte_range(vma->vm_mm, addr, end, &next);

		for (; pte && addr < next; addr += PAGE_SIZE, pte++)
			if (*pte & _PAGE_PRESENT)
				*pte &= ~(_PAGE_RW | _PAGE_DIRTY);
	}
	flush_tlb_range(vma->vm_mm, start, end);
}

void mapping_mkclean(struct address_space *mapping, unsigned long first, unsigned long last)
{
	for_each_mapping_vma(mapping, first, last, mkclean_range);
}

pteval_t *follow_pte(const struct mm_struct *mm, unsigned long addr)
{
	pteval_t *pte = pte_lookup(mm, addr);

	return pte && (*pte & _PAGE_PRESENT) ? pte : NULL;
}

/*
 * A driver's mmap: [addr, addr + size) of vma maps the frames from pfn on,
 * raw (Linux's remap_pfn_range()).  The VMA becomes VM_IO | VM_PFNMAP |
 * VM_DONTEXPAND | VM_DONTDUMP: the frames' struct pages are not touched
 * (no mapcount, no reference, no RSS), nothing is faulted later, and fork
 * copies the PTEs as they are.
 */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot)
{
	unsigned long end = addr + PAGE_ALIGN(size);

	if (addr < vma->vm_start || end > vma->vm_end || end <= addr)
		return -EINVAL;
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	for (; addr < end; addr += PAGE_SIZE, pfn++) {
		pteval_t *pte = pte_alloc(pgd_of(vma->vm_mm), addr);

		if (!pte) {
			unmap_page_range(vma, vma->vm_start, addr);
			return -ENOMEM;
		}
		*pte = PFN_PHYS(pfn) | pgprot_val(prot) | _PAGE_ACCESSED;
	}
	return 0;
}

/* ---- mremap: page tables change place ------------------------------------------ */

/*
 * The page table under *old_pmd now maps the 2 MiB at new_addr instead:
 * one entry moves, no PTE is touched.  False if there is no empty entry
 * for it there (a table left behind by an earlier unmap: move the PTEs
 * into it instead) or no memory for the tables above it.
 */
static bool move_normal_pmd(struct mm_struct *mm, pteval_t *old_pmd, unsigned long new_addr)
{
	pteval_t *new_pmd = pmd_alloc(pgd_of(mm), new_addr);

	if (!new_pmd || (*new_pmd & _PAGE_PRESENT))
		return false;
	*new_pmd = *old_pmd;
	*old_pmd = 0;
	return true;
}

/* The entries of [old_addr, old_addr + len), all under old_pmd's table, to new_addr's. */
static int move_ptes(struct mm_struct *mm, pteval_t *old_pmd, unsigned long old_addr,
		     unsigned long new_addr, unsigned long len)
{
	pteval_t *old_pte = &((pteval_t *)__va(*old_pmd & PTE_PFN_MASK))[pte_index(old_addr)];
	pteval_t *new_pte = pte_alloc(pgd_of(mm), new_addr);

	if (!new_pte)
		return -ENOMEM;
	for (unsigned long n = len >> PAGE_SHIFT; n; n--, old_pte++, new_pte++) {
		if (pte_none(*old_pte))
			continue;
		*new_pte = *old_pte;
		*old_pte = 0;
	}
	return 0;
}

/* Bytes from addr to the next 2 MiB boundary. */
static unsigned long to_pmd_end(unsigned long addr)
{
	return PMD_SIZE - (addr & ~PMD_MASK);
}

unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
			       struct vm_area_struct *new_vma, unsigned long new_addr,
			       unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long done, extent;

	(void)new_vma;	/* same mm, same protection: the entries move as they are */
	for (done = 0; done < len; done += extent) {
		unsigned long from = old_addr + done, to = new_addr + done;
		pteval_t *old_pmd = pmd_lookup(mm, from);

		extent = min(min(to_pmd_end(from), to_pmd_end(to)), len - done);
		if (!old_pmd || !(*old_pmd & _PAGE_PRESENT))
			continue;	/* nothing mapped there */
		if (extent == PMD_SIZE && move_normal_pmd(mm, old_pmd, to))
			continue;
		if (move_ptes(mm, old_pmd, from, to, extent))
			break;
	}
	flush_tlb_range(mm, old_addr, old_addr + len);
	return done;
}

/* ---- what /proc/PID/status counts ----------------------------------------------- */

static unsigned long count_tables(const pteval_t *table, int level, unsigned int entries)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < entries; i++)
		if (table[i] & _PAGE_PRESENT)
			n += 1 + (level > 1 ? count_tables(__va(table[i] & PTE_PFN_MASK), level - 1,
							   PTRS_PER_TABLE) : 0);
	return n;
}

unsigned long mm_pgtables_bytes(const struct mm_struct *mm)
{
	/* The PUD, PMD and page tables under the user half of the PGD. */
	return count_tables(pgd_of(mm), 3, KERNEL_HALF_FIRST_PGD) << PAGE_SHIFT;
}
