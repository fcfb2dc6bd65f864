// SPDX-License-Identifier: MIT
/*
 * The memory system calls: registers in, the address-space code
 * (guest/mm/mmap.c) on current's mm, Linux's results out.
 */
#include <linux/fs.h>
#include <linux/mm_vma.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/syscalls.h>
#include <asm/ptrace.h>

/* x86-64's sys_mmap() and ksys_mmap_pgoff(): the offset in bytes, the descriptor's file. */
long sys_mmap(const struct pt_regs *regs)
{
	unsigned long flags = regs->r10, off = regs->r9;
	struct file *file = NULL;

	if (offset_in_page(off))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget_raw(current->files, regs->r8);
		if (!file)
			return -EBADF;
	}
	return do_mmap_file(current->mm, file, regs->di, regs->si, regs->dx, flags, off);
}

long sys_mprotect(const struct pt_regs *regs)
{
	return do_mprotect(current->mm, regs->di, regs->si, regs->dx);
}

long sys_munmap(const struct pt_regs *regs)
{
	return do_munmap(current->mm, regs->di, regs->si);
}

long sys_brk(const struct pt_regs *regs)
{
	return do_brk(current->mm, regs->di);
}

long sys_mremap(const struct pt_regs *regs)
{
	return do_mremap(current->mm, regs->di, regs->si, regs->dx, regs->r10, regs->r8);
}

long sys_madvise(const struct pt_regs *regs)
{
	return do_madvise(current->mm, regs->di, regs->si, (int)regs->dx);
}

long sys_mlock(const struct pt_regs *regs)
{
	return do_mlock(current->mm, regs->di, regs->si);
}

long sys_munlock(const struct pt_regs *regs)
{
	return do_munlock(current->mm, regs->di, regs->si);
}

long sys_mlockall(const struct pt_regs *regs)
{
	return do_mlockall(current->mm, (int)regs->di);
}

long sys_munlockall(const struct pt_regs *regs)
{
	(void)regs;
	return do_munlockall(current->mm);
}
