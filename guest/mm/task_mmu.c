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
 */
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
	if (vma->vm_shm)
		return "/dev/zero (deleted)";
	if (vma->vm_name)
		return vma->vm_name;
	if (vma_is_initial_heap(vma))
		return "[heap]";
	if (vma_is_initial_stack(vma))
		return "[stack]";
	return NULL;
}

static void show_map_vma(struct seq_buf *s, const struct vm_area_struct *vma)
{
	vm_flags_t flags = vma->vm_flags;
	unsigned long long pgoff = 0;
	unsigned long ino = 0;
	unsigned int minor = 0;
	size_t line = s->len;
	const char *name = vma_name(vma);

	if (vma->vm_shm) {
		pgoff = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		minor = 1;
		ino = vma->vm_shm;
	}
	seq_buf_printf(s, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		       flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		       flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff, 0U,
		       minor, ino);
	if (name) {
		size_t col = s->len - line;
		int pad = col < MAPS_NAME_COLUMN ? (int)(MAPS_NAME_COLUMN - col) : 0;

		seq_buf_printf(s, "%*s %s", pad, "", name);
	}
	seq_buf_printf(s, "\n");
}

int proc_maps_show(struct mm_struct *mm, char *buf, size_t size)
{
	struct vm_area_struct *vma;
	struct seq_buf s;

	seq_buf_init(&s, buf, size);
	if (size)
		buf[0] = '\0';
	for_each_vma(mm, vma)
		show_map_vma(&s, vma);
	return s.overflow ? -1 : (int)s.len;
}
