// SPDX-License-Identifier: MIT
/*
 * System calls: the MSRs that route `syscall` to entry_SYSCALL_64, and the
 * dispatcher both entry paths end in (see entry_64.S and traps.c for the
 * kvm_pvm detour).  Numbers and errno values are Linux's.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/syscalls.h>
#include <asm/agent.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SYSCALL_MASK	0xc0000084
#define X86_EFLAGS_TF		0x100
#define X86_EFLAGS_IF		0x200
#define X86_EFLAGS_DF		0x400
#define X86_EFLAGS_AC		0x40000

extern char entry_SYSCALL_64[];

void syscall_init(void)
{
	wrmsr(MSR_STAR, ((u64)__USER32_CS << 48) | ((u64)__KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (unsigned long)entry_SYSCALL_64);
	wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_TF | X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_AC);
}

typedef long (*syscall_fn)(const struct pt_regs *regs);

static long sys_getpid(const struct pt_regs *regs)
{
	(void)regs;
	return current->pid;
}

static long sys_vmm_done(const struct pt_regs *regs)
{
	user_done(regs->di);
}

static long sys_exit(const struct pt_regs *regs)
{
	current->exit_code = regs->di & 0xff;
	current->exited = true;
	user_done(0);
}

static const syscall_fn sys_call_table[] = {
	[__NR_mmap]	= sys_mmap,
	[__NR_mprotect]	= sys_mprotect,
	[__NR_munmap]	= sys_munmap,
	[__NR_brk]	= sys_brk,
	[__NR_getpid]	= sys_getpid,
	[__NR_exit]	= sys_exit,
	[__NR_read]	= sys_read,
	[__NR_write]	= sys_write,
	[__NR_open]	= sys_open,
	[__NR_close]	= sys_close,
	[__NR_fstat]	= sys_fstat,
	[__NR_msync]	= sys_msync,
	[__NR_ftruncate] = sys_ftruncate,
	[__NR_lseek]	= sys_lseek,
	[__NR_unlink]	= sys_unlink,
	[__NR_mremap]	= sys_mremap,
	[__NR_madvise]	= sys_madvise,
	[__NR_mlock]	= sys_mlock,
	[__NR_munlock]	= sys_munlock,
	[__NR_mlockall]	= sys_mlockall,
	[__NR_munlockall] = sys_munlockall,
};

/* regs->ax holds the number on entry and the result on the way out. */
void do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = regs->ax;

	if (nr == __NR_vmm_done)
		sys_vmm_done(regs);
	if (nr < ARRAY_SIZE(sys_call_table) && sys_call_table[nr])
		regs->ax = sys_call_table[nr](regs);
	else
		regs->ax = -ENOSYS;
}
