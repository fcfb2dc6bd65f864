// SPDX-License-Identifier: MIT
/*
 * The scenario's file requests: a file made with given contents, the
 * /proc/meminfo lines about file and shared memory, the page cache as the
 * host's check reads it (with the frames drivers map raw), and the damage
 * `plant` does to file mappings.
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/sched.h>
#include <linux/seq_buf.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <string.h>
#include "guest/drivers/vmmbuf.h"
#include "file_requests.h"

long req_file_create(const struct vmm_request *req, struct vmm_message *reply)
{
	char path[INODE_NAME_MAX];
	u32 len = min(req->data_len, VMM_REQ_DATA_SIZE);
	long ino;

	if (!len || len >= sizeof(path) || req->arg[1] > VMM_FILL_DATA ||
	    req->arg[3] > channel_data_size() || req->arg[0] > (u64)MAX_LFS_FILESIZE)
		return -EINVAL;
	memcpy(path, mailbox->req_data, len);
	path[len] = '\0';
	ino = vmmfs_create(path, (loff_t)req->arg[0], (enum file_fill)req->arg[1],
			   (u8)req->arg[2], channel_data(), req->arg[3]);
	if (ino < 0)
		return ino;
	reply->val[0] = ino;
	return 0;
}

/* Pages mapped into some process, among those of the page cache (Linux's NR_FILE_MAPPED). */
static void count_mapped(void *arg, struct inode *inode)
{
	unsigned long *mapped = arg, index = 0;
	struct page *page;

	while ((page = xa_find(&inode->i_data.i_pages, &index, ~0UL))) {
		*mapped += page_mapcount(page) > 0;
		index++;
	}
}

/*
 * Every page of a shmem object that a process maps, visited through the
 * processes' VMAs (shmem objects have no names to reach them by): a page
 * mapped twice is visited twice.
 */
static void for_each_mapped_shmem_page(void (*fn)(struct page *page, void *arg), void *arg)
{
	struct task_struct *t;

	for_each_process(t) {
		struct vm_area_struct *vma;

		for_each_vma(t->mm, vma) {
			unsigned long index = vma->vm_pgoff, last = index + vma_pages(vma) - 1;
			struct page *page;

			if (!vma->vm_file || !file_inode(vma->vm_file)->i_shmem)
				continue;
			while ((page = xa_find(&vma->vm_file->f_mapping->i_pages, &index, last))) {
				fn(page, arg);
				index++;
			}
		}
	}
}

/* Count each page once, marking it in page->private. */
static void count_shmem_page(struct page *page, void *arg)
{
	*(unsigned long *)arg += page_mapcount(page) > 0 && !page->private;
	page->private = 1;
}

static void unmark_shmem_page(struct page *page, void *arg)
{
	(void)arg;
	page->private = 0;
}

/* What shmem objects hold mapped, each page once. */
static unsigned long shmem_mapped(void)
{
	unsigned long mapped = 0;

	for_each_mapped_shmem_page(count_shmem_page, &mapped);
	for_each_mapped_shmem_page(unmark_shmem_page, NULL);
	return mapped;
}

/* Anonymous pages: every process's MM_ANONPAGES, each page counted once (Linux's NR_ANON_MAPPED). */
static unsigned long anon_pages(void)
{
	struct task_struct *t;
	unsigned long pages = 0;

	for_each_process(t)
		pages += get_mm_counter(t->mm, MM_ANONPAGES);
	return pages;
}

/*
 * The /proc/meminfo lines about the page cache, in kB: Cached (every
 * page-cache page, shmem included, as Linux counts it), Dirty, AnonPages,
 * Mapped (page-cache pages some PTE maps), Shmem.  AnonPages sums the
 * processes' anonymous RSS, so a page shared by fork counts once per
 * process; Linux counts it once.
 */
long req_meminfo(const struct vmm_request *req, struct vmm_message *reply)
{
	unsigned long mapped = 0;
	struct seq_buf s;

	(void)req;
	for_each_named_inode(count_mapped, &mapped);
	mapped += shmem_mapped();
	seq_buf_init(&s, channel_data(), channel_data_size());
	seq_buf_printf(&s, "Cached:         %8lu kB\n", page_cache_stats.cached << (PAGE_SHIFT - 10));
	seq_buf_printf(&s, "Dirty:          %8lu kB\n", page_cache_stats.dirty << (PAGE_SHIFT - 10));
	seq_buf_printf(&s, "AnonPages:      %8lu kB\n", anon_pages() << (PAGE_SHIFT - 10));
	seq_buf_printf(&s, "Mapped:         %8lu kB\n", mapped << (PAGE_SHIFT - 10));
	seq_buf_printf(&s, "Shmem:          %8lu kB\n", page_cache_stats.shmem << (PAGE_SHIFT - 10));
	reply->len = s.len;
	return s.overflow ? -ENOSPC : 0;
}

struct cache_export {
	struct vmm_cache_page *v;
	u32 n, max;
	bool full;
	unsigned long nodes;	/* index nodes of the files exported */
};

static void export_inode(struct cache_export *e, struct inode *inode)
{
	unsigned long index = 0;
	struct page *page;

	e->nodes += inode->i_data.i_pages.xa_nodes;
	while ((page = xa_find(&inode->i_data.i_pages, &index, ~0UL))) {
		if (e->n == e->max) {
			e->full = true;
			return;
		}
		e->v[e->n++] = (struct vmm_cache_page){
			.ino = inode->i_ino, .index = index, .pfn = page_to_pfn(page),
			.flags = (PageDirty(page) ? VMM_CACHE_DIRTY : 0) |
				 (inode->i_shmem ? VMM_CACHE_SHMEM : 0),
		};
		index++;
	}
}

static void export_named(void *arg, struct inode *inode)
{
	export_inode(arg, inode);
}

/*
 * Each file without a name (a shmem object, or a file unlinked while
 * mapped) once: at the first VMA found mapping it.
 */
static bool unnamed_seen(const struct cache_export *e, unsigned long ino, u32 from)
{
	for (u32 i = from; i < e->n; i++)
		if (e->v[i].ino == ino)
			return true;
	return false;
}

long req_page_cache(const struct vmm_request *req, struct vmm_message *reply)
{
	struct cache_export e = {
		.v = (struct vmm_cache_page *)channel_data(),
		.max = channel_data_size() / sizeof(struct vmm_cache_page),
	};
	unsigned long gfp, kmalloc, index_pages, index_nodes;
	u32 named;

	(void)req;
	for_each_named_inode(export_named, &e);
	named = e.n;
	for (int pid = 1; pid <= PID_MAX && !e.full; pid++) {
		struct task_struct *t = find_task(pid);
		struct vm_area_struct *vma;

		if (!t)
			continue;
		for_each_vma(t->mm, vma) {
			struct inode *inode = vma->vm_file ? file_inode(vma->vm_file) : NULL;

			if (inode && (inode->i_shmem || !inode->i_nlink) && inode->i_data.nrpages &&
			    !unnamed_seen(&e, inode->i_ino, named))
				export_inode(&e, inode);
		}
	}
	if (e.full)
		return -ENOSPC;
	vmmbuf_frames(&gfp, &kmalloc);
	xa_node_pool_usage(&index_pages, &index_nodes);
	reply->val[0] = e.n;
	/* Every node in use belongs to a file exported: the files hold the index's pages. */
	reply->val[VMM_PAGE_CACHE_INDEX_PAGES] = index_nodes == e.nodes ? index_pages : 0;
	reply->val[VMM_PFNMAP_GFP_PFN] = gfp;
	reply->val[VMM_PFNMAP_GFP_PAGES] = gfp ? VMMBUF_GFP_PAGES : 0;
	reply->val[VMM_PFNMAP_KMALLOC_PFN] = kmalloc;
	reply->val[VMM_PFNMAP_KMALLOC_PAGES] = kmalloc ? VMMBUF_KMALLOC_PAGES : 0;
	reply->len = e.n * sizeof(struct vmm_cache_page);
	return 0;
}

/* ---- plant: damage to file mappings --------------------------------------------------- */

static struct vm_area_struct *file_vma(struct task_struct *task, unsigned long va)
{
	struct vm_area_struct *vma = task ? find_vma(task->mm, va) : NULL;

	return vma && vma->vm_start <= va && vma->vm_file ? vma : NULL;
}

/*
 * The PTE of va moved onto a fresh frame with the same bytes, the counts
 * moved with it: as if a fault had mapped a page it did not take from
 * the page cache.  Only the host's comparison with the cache sees it.
 */
static long plant_file_pte(struct task_struct *task, unsigned long va)
{
	struct vm_area_struct *vma = file_vma(task, va);
	pteval_t *pte = vma ? follow_pte(task->mm, va) : NULL;
	struct page *old, *page;

	if (!pte)
		return -EINVAL;
	page = alloc_page(GFP_USER);
	if (!page)
		return -ENOMEM;
	old = pfn_to_page(PHYS_PFN(*pte & PTE_PFN_MASK));
	memcpy(page_address(page), page_address(old), PAGE_SIZE);
	page->_mapcount = 1;
	old->_mapcount--;
	__free_page(old);
	*pte = (*pte & ~PTE_PFN_MASK) | page_to_phys(page);
	if (task->mm == active_mm)
		__flush_tlb_one(va);
	return 0;
}

/* The PTE of va in a driver's raw mapping, or NULL. */
static pteval_t *pfnmap_pte(struct task_struct *task, unsigned long va)
{
	struct vm_area_struct *vma = file_vma(task, va);

	return vma && (vma->vm_flags & VM_PFNMAP) ? follow_pte(task->mm, va) : NULL;
}

/* A raw PTE of va onto a frame of the kernel's that the driver never handed out. */
static long plant_pfnmap_pte(struct task_struct *task, unsigned long va)
{
	pteval_t *pte = pfnmap_pte(task, va);

	if (!pte)
		return -EINVAL;
	*pte = (*pte & ~PTE_PFN_MASK) | task->mm->pgd;
	if (task->mm == active_mm)
		__flush_tlb_one(va);
	return 0;
}

/* The page-cache page at va freed as if its last reference went, while the cache holds it. */
static long plant_free_cache_page(struct task_struct *task, unsigned long va)
{
	struct vm_area_struct *vma = file_vma(task, va);
	unsigned long index;
	struct page *page;

	if (!vma)
		return -EINVAL;
	index = vma->vm_pgoff + ((va - vma->vm_start) >> PAGE_SHIFT);
	page = filemap_get_page(vma->vm_file->f_mapping, index);
	if (!page || page_mapcount(page))
		return -EINVAL;
	/* What a put_page() too many does: the flags and mapping go with the last reference. */
	page->flags = 0;
	page->mapping = NULL;
	page->_refcount = 1;
	__free_page(page);
	return 0;
}

/* One mapping counted in the struct page of the raw frame at va. */
static long plant_pfnmap_ref(struct task_struct *task, unsigned long va)
{
	pteval_t *pte = pfnmap_pte(task, va);

	if (!pte)
		return -EINVAL;
	pfn_to_page(PHYS_PFN(*pte & PTE_PFN_MASK))->_mapcount++;
	return 0;
}

long plant_file(unsigned long kind, struct task_struct *task, unsigned long va)
{
	switch (kind) {
	case VMM_PLANT_FILE_PTE:
		return plant_file_pte(task, va);
	case VMM_PLANT_PFNMAP_PTE:
		return plant_pfnmap_pte(task, va);
	case VMM_PLANT_FREE_CACHE_PAGE:
		return plant_free_cache_page(task, va);
	case VMM_PLANT_RSS_FILE:
		if (!task)
			return -EINVAL;
		add_mm_counter(task->mm, MM_FILEPAGES, 1);
		return 0;
	case VMM_PLANT_PFNMAP_REF:
		return plant_pfnmap_ref(task, va);
	default:
		return -EINVAL;
	}
}
