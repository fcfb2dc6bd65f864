// SPDX-License-Identifier: MIT
/*
 * The memory system calls: registers in, the address-space code
 * (guest/mm/mmap.c) on current's mm, Linux's results out.
 */
#include <linux/mm_vma.h>
#include <linux/sched.h>
#include <linux/syscalls.h>
#include <asm/ptrace.h>

long sys_mmap(const struct pt_regs *regs)
{
	return do_mmap(current->mm, regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9);
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
