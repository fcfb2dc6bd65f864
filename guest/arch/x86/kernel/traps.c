// SPDX-License-Identifier: MIT
/*
 * Exceptions.  Nothing in the kernel expects one yet, so every exception is
 * an oops: we describe it the way Linux does and hand the registers to the
 * host (kernel/panic.c).  The page-fault handler for user memory will hook
 * in here.
 */
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/sprintf.h>
#include <asm/processor.h>
#include <asm/ptrace.h>

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

#define X86_TRAP_PF		14
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

void do_exception(struct pt_regs *regs)
{
	static char reason[VMM_CONSOLE_SIZE];

	if (regs->vector == X86_TRAP_PF)
		describe_page_fault(reason, sizeof(reason), regs);
	else
		scnprintf(reason, sizeof(reason), "%s: %04lx [#%lu]",
			  exception_names[regs->vector & 31], regs->error_code, regs->vector);
	channel_crash(regs, reason);
}
