/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_TRAPS_H
#define _ASM_X86_TRAPS_H

struct pt_regs;

/* A page fault from user mode (arch/x86/mm/fault.c). */
void do_user_addr_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address);

#endif
