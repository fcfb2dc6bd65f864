// SPDX-License-Identifier: MIT
/*
 * `check` for files and devices mapped into processes: every PTE of a
 * file's VMA against the page cache the guest reports, every raw PTE of a
 * driver's VMA against the frames the driver owns, and the page cache
 * against the free lists.  Rules (docs/verification.md):
 *   file-shared    a shared file PTE maps exactly the page-cache frame of its offset
 *   file-private   a private file PTE maps that frame read-only, or a frame of no file
 *   pfnmap         a driver's raw PTE maps one of the driver's frames, whose
 *                  struct page counts no mapping
 *   cache-free     no page-cache page is free in the page allocator
 */
#include "lib/kernel.h"
#include "shared/pte.h"
#include "shared/vm_flags.h"
#include "rules.h"

static bool raw_frame(const struct check_snapshot *s, uint64_t pfn)
{
	for (size_t i = 0; i < ARRAY_SIZE(s->raw); i++)
		if (pfn - s->raw[i].pfn < s->raw[i].npages)
			return true;
	return false;
}

static void check_raw_page(struct checker *c, const struct check_snapshot *s, uint64_t va,
			   uint64_t pfn)
{
	if (!raw_frame(s, pfn))
		finding(c, "pfnmap", va, va + PAGE_SIZE - 1,
			"maps frame %#llx raw, which is none of the driver's",
			(unsigned long long)pfn);
	else if (pfn < s->npages && s->pages[pfn].mapcount)
		finding(c, "pfnmap", va, va + PAGE_SIZE - 1,
			"maps the driver's frame %#llx raw; its struct page counts %d mapping(s)",
			(unsigned long long)pfn, s->pages[pfn].mapcount);
}

static void check_file_page(struct checker *c, const struct check_snapshot *s,
			    const struct vmm_vma *vma, uint64_t va, uint64_t pfn, bool writable)
{
	uint64_t index = vma->pgoff + ((va - vma->start) >> PAGE_SHIFT);
	const struct vmm_cache_page *want = cache_lookup(s, vma->ino, index), *got;
	unsigned long long ino = vma->ino;

	if (vma->flags & VM_MAYSHARE) {
		if (!want)
			finding(c, "file-shared", va, va + PAGE_SIZE - 1, "maps frame %#llx as page "
				"%llu of inode %llu, which the page cache does not hold",
				(unsigned long long)pfn, (unsigned long long)index, ino);
		else if (want->pfn != pfn)
			finding(c, "file-shared", va, va + PAGE_SIZE - 1, "maps frame %#llx; page "
				"%llu of inode %llu is frame %#llx in the page cache",
				(unsigned long long)pfn, (unsigned long long)index, ino,
				(unsigned long long)want->pfn);
		return;
	}
	if (want && want->pfn == pfn) {
		if (writable)
			finding(c, "file-private", va, va + PAGE_SIZE - 1, "maps page %llu of inode "
				"%llu (frame %#llx) writable through a private VMA: a write would "
				"change the file", (unsigned long long)index, ino,
				(unsigned long long)pfn);
		return;
	}
	got = cache_at_pfn(s, pfn);
	if (got)
		finding(c, "file-private", va, va + PAGE_SIZE - 1, "maps frame %#llx, page %llu of "
			"inode %llu, where page %llu of inode %llu or a copy belongs",
			(unsigned long long)pfn, (unsigned long long)got->index,
			(unsigned long long)got->ino, (unsigned long long)index, ino);
}

int check_file_range(struct checker *c, const struct check_snapshot *s, const struct map *r,
		     const struct vmm_vma *vma, uint64_t va, uint64_t end)
{
	if (!vma->ino || !s->cache_done)
		return 0;	/* anonymous memory, the user program; or nothing to compare with */
	if (!check_spend(c, &c->records_left, (end - va) >> PAGE_SHIFT, "user frame records"))
		return -1;
	for (; va < end; va += PAGE_SIZE) {
		uint64_t pfn = (r->pa + (va - r->va)) >> PAGE_SHIFT;

		if (vma->flags & VM_PFNMAP)
			check_raw_page(c, s, va, pfn);
		else
			check_file_page(c, s, vma, va, pfn, r->prot & _PAGE_RW);
	}
	return 0;
}

/*
 * A page-cache page the allocator counts free: the next alloc_pages()
 * would hand out the file's bytes, and the file would see its new owner's.
 */
void check_cache_free(struct checker *c, const struct check_snapshot *s)
{
	for (size_t i = 0; i < s->ncache; i++) {
		const struct vmm_cache_page *p = &s->cache_by_pfn[i];
		const struct map *fr = free_after(&s->free_blocks, p->pfn << PAGE_SHIFT);

		if (fr && fr->va <= p->pfn << PAGE_SHIFT && finding_shown(c, "cache-free"))
			fprintf(c->out, "[cache-free] frame %#llx: page %llu of inode %llu is in the "
				"page cache, and the page allocator counts it free\n",
				(unsigned long long)p->pfn, (unsigned long long)p->index,
				(unsigned long long)p->ino);
	}
}
