/* SPDX-License-Identifier: MIT */
/* The user program's calling convention (guest/user/agent.S). */
#ifndef _ASM_X86_AGENT_H
#define _ASM_X86_AGENT_H

#define AGENT_READ	0	/* one byte at r13 -> result */
#define AGENT_WRITE	1	/* r14's low byte to r13 */
#define AGENT_EXEC	2	/* call r13 */
#define AGENT_SYSCALL	3	/* system call r13 with rdi, rsi, rdx, r10, r8, r9 */

#define AGENT_BASE	0x400000UL	/* where every process has it, like an ELF's text */

/* Ours, far above Linux's numbers: the agent's "here is my result". */
#define __NR_vmm_done	1000

#endif
