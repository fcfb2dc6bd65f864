// SPDX-License-Identifier: MIT
/*
 * /proc/PID/maps, byte for byte in Linux's format (fs/proc/task_mmu.c):
 *
 *   start-end perms offset major:minor inode [padding name]
 *
 * Addresses at least 8 hex digits, perms rwx plus s (VM_MAYSHARE) or p,
 * then the offset in the file: 0 for anonymous memory whatever its
 * vm_pgoff, as in Linux, which prints vm_pgoff only for file mappings.
 * A named line is padded with spaces to column 73 before the name; an
 * unnamed one ends in "0 " (Linux prints the space after the inode
 * always).  Shared anonymous memory shows as Linux shows its shmem file:
 * "/dev/zero (deleted)" on device 00:01, with its inode number.
 *
 * /proc/PID/smaps: each maps line followed by the VMA's memory, counted
 * from its present PTEs the way Linux's smaps_account() does: the zero
 * page and raw frames are not resident, a page mapped N times adds 1/N
 * of itself to Pss, and only private (not shared) memory is Anonymous.
 * Labels, widths and the order of lines are Linux 6.x's; the lines for
 * what this kernel has not (swap, huge pages, KSM) read 0.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/pgtable_ops.h>
#include <linux/seq_buf.h>

#include "vma.h"

/* Where the name starts: Linux's seq_setwidth(m, 25 + sizeof(void *) * 6 - 1). */
#define MAPS_NAME_COLUMN	(25 + 8 * 6 - 1)

/* Linux's vma_is_initial_heap() and vma_is_initial_stack(). */
static bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk && vma->vm_end > vma->vm_mm->start_brk;
}

static bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack && vma->vm_end >= vma->vm_mm->start_stack;
}

static const char *vma_name(const struct vm_area_struct *vma)
{
	if (vma->vm_file) {
		const struct inode *inode = file_inode(vma->vm_file);

		return inode->i_shmem ? "/dev/zero (deleted)" : inode->i_name;
	}
	if (vma->vm_name)
		return vma->vm_name;
	if (vma_is_initial_heap(vma))
		return "[heap]";
	if (vma_is_initial_stack(vma))
		return "[stack]";
	return NULL;
}

static void show_map_vma(struct seq_buf *s, struct vm_area_struct *vma)
{
	vm_flags_t flags = vma->vm_flags;
	unsigned long long pgoff = 0;
	unsigned long ino = 0;
	unsigned long dev = 0;
	size_t line = s->len;
	const char *name = vma_name(vma);

	if (vma->vm_file) {
		const struct inode *inode = file_inode(vma->vm_file);

		pgoff = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		dev = inode->i_sb_dev;
		ino = inode->i_ino;
	}
	seq_buf_printf(s, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		       flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		       flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff,
		       (unsigned int)(dev >> 8), (unsigned int)(dev & 0xff), ino);
	if (name) {
		size_t col = s->len - line;
		int pad = col < MAPS_NAME_COLUMN ? (int)(MAPS_NAME_COLUMN - col) : 0;

		seq_buf_printf(s, "%*s %s", pad, "", name);
		/* A file unlinked while mapped: Linux's d_path() says so. */
		if (vma->vm_file && !file_inode(vma->vm_file)->i_shmem &&
		    !file_inode(vma->vm_file)->i_nlink)
			seq_buf_printf(s, " (deleted)");
	}
	seq_buf_printf(s, "\n");
}

/* Fixed point for Pss: a page shared three ways still adds up exactly (Linux's PSS_SHIFT). */
#define PSS_SHIFT	12

struct mem_size_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long referenced, anonymous;
	u64 pss, pss_dirty, pss_locked;
	bool locked;		/* of the VMA being walked */
};

static void smaps_pte_entry(void *arg, const struct pte_walk_entry *e)
{
	struct mem_size_stats *mss = arg;
	struct page *page = e->page;
	int mapcount;
	bool private, dirty;
	u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;

	if (!page)
		return;
	mapcount = page_mapcount(page);
	private = page_count(page) == 1 || mapcount < 2;
	if (!private)
		pss /= mapcount;
	dirty = e->dirty || PageDirty(page);
	mss->resident += PAGE_SIZE;
	if (!page->mapping)	/* Linux's PageAnon(): not a page-cache page */
		mss->anonymous += PAGE_SIZE;
	if (e->young || PageReferenced(page))
		mss->referenced += PAGE_SIZE;
	mss->pss += pss;
	if (dirty)
		mss->pss_dirty += pss;
	if (mss->locked)
		mss->pss_locked += pss;
	if (dirty)
		*(private ? &mss->private_dirty : &mss->shared_dirty) += PAGE_SIZE;
	else
		*(private ? &mss->private_clean : &mss->shared_clean) += PAGE_SIZE;
}

/* Linux's SEQ_PUT_DEC: a 16-column label, then kB in 8 columns. */
static void put_kb(struct seq_buf *s, const char *label, unsigned long bytes)
{
	seq_buf_printf(s, "%-16s%8lu kB\n", label, bytes >> 10);
}

/* The two-letter names of VmFlags, by bit, as Linux prints them. */
static void show_smap_vma_flags(struct seq_buf *s, vm_flags_t flags)
{
	static const struct { vm_flags_t flag; char name[3]; } names[] = {
		{ VM_READ, "rd" }, { VM_WRITE, "wr" }, { VM_EXEC, "ex" }, { VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" }, { VM_MAYWRITE, "mw" }, { VM_MAYEXEC, "me" },
		{ VM_MAYSHARE, "ms" }, { VM_GROWSDOWN, "gd" }, { VM_PFNMAP, "pf" },
		{ VM_LOCKED, "lo" }, { VM_IO, "io" }, { VM_SEQ_READ, "sr" },
		{ VM_RAND_READ, "rr" }, { VM_DONTCOPY, "dc" },
		{ VM_DONTEXPAND, "de" }, { VM_ACCOUNT, "ac" }, { VM_NORESERVE, "nr" },
		{ VM_DONTDUMP, "dd" }, { VM_MIXEDMAP, "mm" },
	};

	seq_buf_printf(s, "VmFlags: ");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].flag)
			seq_buf_printf(s, "%s ", names[i].name);
	seq_buf_printf(s, "\n");
}

static void show_smap(struct seq_buf *s, struct vm_area_struct *vma)
{
	struct mem_size_stats mss = {
		.locked = vma->vm_flags & VM_LOCKED,
	};

	walk_page_vma(vma, smaps_pte_entry, &mss);
	show_map_vma(s, vma);
	put_kb(s, "Size:", vma->vm_end - vma->vm_start);
	put_kb(s, "KernelPageSize:", PAGE_SIZE);
	put_kb(s, "MMUPageSize:", PAGE_SIZE);
	put_kb(s, "Rss:", mss.resident);
	put_kb(s, "Pss:", mss.pss >> PSS_SHIFT);
	put_kb(s, "Pss_Dirty:", mss.pss_dirty >> PSS_SHIFT);
	put_kb(s, "Shared_Clean:", mss.shared_clean);
	put_kb(s, "Shared_Dirty:", mss.shared_dirty);
	put_kb(s, "Private_Clean:", mss.private_clean);
	put_kb(s, "Private_Dirty:", mss.private_dirty);
	put_kb(s, "Referenced:", mss.referenced);
	put_kb(s, "Anonymous:", mss.anonymous);
	put_kb(s, "KSM:", 0);
	put_kb(s, "LazyFree:", 0);
	put_kb(s, "AnonHugePages:", 0);
	put_kb(s, "ShmemPmdMapped:", 0);
	put_kb(s, "FilePmdMapped:", 0);
	put_kb(s, "Shared_Hugetlb:", 0);
	seq_buf_printf(s, "Private_Hugetlb: %7lu kB\n", 0UL);	/* Linux's one 7-column value */
	put_kb(s, "Swap:", 0);
	put_kb(s, "SwapPss:", 0);
	put_kb(s, "Locked:", mss.pss_locked >> PSS_SHIFT);
	seq_buf_printf(s, "THPeligible:    0\n");
	show_smap_vma_flags(s, vma->vm_flags);
}

static int show_each_vma(struct mm_struct *mm, char *buf, size_t size,
			 void (*show)(struct seq_buf *s, struct vm_area_struct *vma))
{
	struct vm_area_struct *vma;
	struct seq_buf s;

	seq_buf_init(&s, buf, size);
	if (size)
		buf[0] = '\0';
	for_each_vma(mm, vma)
		show(&s, vma);
	return s.overflow ? -1 : (int)s.len;
}

int proc_maps_show(struct mm_struct *mm, char *buf, size_t size)
{
	return show_each_vma(mm, buf, size, show_map_vma);
}

int proc_smaps_show(struct mm_struct *mm, char *buf, size_t size)
{
	return show_each_vma(mm, buf, size, show_smap);
}
