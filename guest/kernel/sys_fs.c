// SPDX-License-Identifier: MIT
/*
 * The file system calls: registers in, the file code (guest/fs/) on
 * current's descriptor table, Linux's results out.  Also msync(), which
 * belongs to both worlds.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm_vma.h>
#include <linux/pgtable_ops.h>
#include <linux/sched.h>
#include <linux/syscalls.h>
#include <asm/ptrace.h>

/* The path at user address uaddr: 0, or -errno. */
static long get_path(char path[INODE_NAME_MAX], unsigned long uaddr)
{
	long len = strncpy_from_user(path, (const char *)uaddr, INODE_NAME_MAX);

	/* A path longer than any name here names nothing (Linux says ENOENT too). */
	if (len == -ENAMETOOLONG)
		return -ENOENT;
	if (len < 0)
		return len;
	return len ? 0 : -ENOENT;
}

long sys_open(const struct pt_regs *regs)
{
	char path[INODE_NAME_MAX];
	long err = get_path(path, regs->di);

	return err ?: do_sys_open(current->files, path, (unsigned int)regs->si);
}

long sys_unlink(const struct pt_regs *regs)
{
	char path[INODE_NAME_MAX];
	long err = get_path(path, regs->di);

	return err ?: vmmfs_unlink(path);
}

long sys_lseek(const struct pt_regs *regs)
{
	return ksys_lseek(current->files, regs->di, (long)regs->si, (unsigned int)regs->dx);
}

long sys_close(const struct pt_regs *regs)
{
	return close_fd(current->files, regs->di);
}

long sys_read(const struct pt_regs *regs)
{
	return ksys_read(current->files, regs->di, (char *)regs->si, regs->dx);
}

long sys_write(const struct pt_regs *regs)
{
	return ksys_write(current->files, regs->di, (const char *)regs->si, regs->dx);
}

long sys_ftruncate(const struct pt_regs *regs)
{
	return do_ftruncate(current->files, regs->di, (loff_t)regs->si);
}

long sys_fstat(const struct pt_regs *regs)
{
	struct linux_stat st;
	long err = vfs_fstat(current->files, regs->di, &st);

	if (err)
		return err;
	return copy_to_user((void *)regs->si, &st, sizeof(st));
}

/* The page of the file that vma maps at addr. */
static unsigned long file_index(const struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/*
 * Linux's msync(): the range must be mapped throughout (ENOMEM), flags
 * valid (EINVAL), MS_INVALIDATE not on locked memory (EBUSY).  MS_SYNC
 * writes a shared file mapping's dirty pages back, which here only cleans
 * them: PG_dirty off, and every shared PTE mapping them clean and
 * read-only.  MS_ASYNC does nothing, as in Linux since 2.6.19.
 */
long sys_msync(const struct pt_regs *regs)
{
	unsigned long start = regs->di, len = regs->si, flags = regs->dx, end;
	struct vm_area_struct *vma;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (offset_in_page(start) || ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	for (vma = find_vma(current->mm, start); start < end; vma = vma_next(vma)) {
		if (!vma || vma->vm_start > start)
			return -ENOMEM;
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -EBUSY;
		if ((flags & MS_SYNC) && vma->vm_file && (vma->vm_flags & VM_SHARED))
			filemap_write_and_wait_range(vma->vm_file->f_mapping,
						     file_index(vma, start),
						     file_index(vma, min(end, vma->vm_end)) - 1);
		start = vma->vm_end;
	}
	return 0;
}
