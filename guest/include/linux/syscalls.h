/* SPDX-License-Identifier: MIT */
/* System-call numbers (Linux x86-64) and the handlers of the memory calls. */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H

#include "shared/unistd.h"

struct pt_regs;

long sys_mmap(const struct pt_regs *regs);
long sys_mprotect(const struct pt_regs *regs);
long sys_munmap(const struct pt_regs *regs);
long sys_brk(const struct pt_regs *regs);
long sys_read(const struct pt_regs *regs);
long sys_write(const struct pt_regs *regs);
long sys_open(const struct pt_regs *regs);
long sys_close(const struct pt_regs *regs);
long sys_fstat(const struct pt_regs *regs);
long sys_msync(const struct pt_regs *regs);
long sys_ftruncate(const struct pt_regs *regs);
long sys_lseek(const struct pt_regs *regs);
long sys_unlink(const struct pt_regs *regs);
long sys_mremap(const struct pt_regs *regs);
long sys_madvise(const struct pt_regs *regs);
long sys_mlock(const struct pt_regs *regs);
long sys_munlock(const struct pt_regs *regs);
long sys_mlockall(const struct pt_regs *regs);
long sys_munlockall(const struct pt_regs *regs);

void syscall_init(void);
void do_syscall_64(struct pt_regs *regs);

#endif
