// SPDX-License-Identifier: MIT
/*
 * Exceptions.  From user mode: page faults go to the fault handler
 * (arch/x86/mm/fault.c), a fault at exactly entry_SYSCALL_64 is a system
 * call that kvm_pvm delivered at CPL 3 (entry_64.S explains), anything
 * else kills the task with Linux's signal.  In the kernel nothing expects
 * an exception, so each one is an oops: described the way Linux does and
 * handed with the registers to the host (kernel/panic.c).
 */
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sprintf.h>
#include <linux/syscalls.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/traps.h>

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "int3", "overflow", "bounds",
	"invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack segment", "general protection fault", "page fault", "reserved 15",
	"x87 floating point", "alignment check", "machine check", "SIMD floating point",
	"virtualization", "control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27",
	"hypervisor injection", "VMM communication", "security", "reserved 31",
};

#define X86_TRAP_DE		0
#define X86_TRAP_UD		6
#define X86_TRAP_GP		13
#define X86_TRAP_PF		14
#define X86_SYSCALL_VECTOR	0x80	/* entry_SYSCALL_64's marker */
#define X86_PF_PROT		(1UL << 0)
#define X86_PF_WRITE		(1UL << 1)
#define X86_PF_USER		(1UL << 2)
#define X86_PF_INSTR		(1UL << 4)

static void describe_page_fault(char *buf, size_t size, const struct pt_regs *regs)
{
	unsigned long err = regs->error_code;

	scnprintf(buf, size,
		  "BUG: unable to handle page fault for address: %016lx\n"
		  "#PF: %s %s access in %s mode\n"
		  "#PF: error_code(0x%04lx) - %s",
		  read_cr2(), err & X86_PF_USER ? "user" : "supervisor",
		  err & X86_PF_INSTR ? "instruction fetch" : err & X86_PF_WRITE ? "write" : "read",
		  err & X86_PF_USER ? "user" : "kernel", err,
		  err & X86_PF_PROT ? "permissions violation" : "not-present page");
}

extern char entry_SYSCALL_64[];

static bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

/*
 * kvm_pvm runs entry_SYSCALL_64 at CPL 3, where its first instruction
 * faults: turn the frame into the one `syscall` at CPL 0 would have made.
 */
static bool syscall_at_cpl3(struct pt_regs *regs)
{
	if (!user_mode(regs) || regs->ip != (unsigned long)entry_SYSCALL_64)
		return false;
	regs->ip = regs->cx;		/* syscall saved the user RIP and RFLAGS there */
	regs->flags = regs->r11;
	return true;
}

static void do_user_exception(struct pt_regs *regs)
{
	if (regs->vector == X86_SYSCALL_VECTOR || syscall_at_cpl3(regs)) {
		do_syscall_64(regs);
		return;
	}
	switch (regs->vector) {
	case X86_TRAP_PF:
		do_user_addr_fault(regs, regs->error_code, read_cr2());
		return;
	case X86_TRAP_DE:
		force_sig_fault(SIGFPE, FPE_INTDIV, regs->ip, regs);
	case X86_TRAP_UD:
		force_sig_fault(SIGILL, ILL_ILLOPN, regs->ip, regs);
	default:
		force_sig_fault(SIGSEGV, SI_KERNEL, 0, regs);	/* as Linux for #GP */
	}
}

void do_exception(struct pt_regs *regs)
{
	static char reason[VMM_CONSOLE_SIZE];

	if (user_mode(regs) || regs->vector == X86_SYSCALL_VECTOR) {
		do_user_exception(regs);
		return;
	}
	if (regs->vector == X86_TRAP_PF)
		describe_page_fault(reason, sizeof(reason), regs);
	else
		scnprintf(reason, sizeof(reason), "%s: %04lx [#%lu]",
			  exception_names[regs->vector & 31], regs->error_code, regs->vector);
	channel_crash(regs, reason);
}
