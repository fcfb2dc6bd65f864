/* SPDX-License-Identifier: MIT */
/* System-call numbers (Linux x86-64) and the handlers of the memory calls. */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H

struct pt_regs;

#define __NR_mmap	9
#define __NR_mprotect	10
#define __NR_munmap	11
#define __NR_brk	12
#define __NR_getpid	39
#define __NR_fork	57
#define __NR_exit	60

long sys_mmap(const struct pt_regs *regs);
long sys_mprotect(const struct pt_regs *regs);
long sys_munmap(const struct pt_regs *regs);
long sys_brk(const struct pt_regs *regs);

void syscall_init(void);
void do_syscall_64(struct pt_regs *regs);

#endif
