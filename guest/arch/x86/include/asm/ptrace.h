/* SPDX-License-Identifier: MIT */
/*
 * Registers saved on exception entry (arch/x86/kernel/entry_64.S), lowest
 * address first: the general registers pushed by the common entry, then the
 * vector and error code pushed by the per-vector stub, then the frame the
 * CPU pushed.
 */
#ifndef _ASM_X86_PTRACE_H
#define _ASM_X86_PTRACE_H

#include <linux/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	u64 ax, cx, dx, si, di;
	u64 vector;
	u64 error_code;
	u64 ip, cs, flags, sp, ss;	/* pushed by the CPU */
};

#endif
