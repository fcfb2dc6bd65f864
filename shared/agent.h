/* SPDX-License-Identifier: MIT */
/*
 * The user program's operations (guest/user/agent.S): the host names one
 * in VMM_REQ_RUN, the agent performs it in ring 3.  Plain defines: the
 * assembler includes this too.
 */
#ifndef SHARED_AGENT_H
#define SHARED_AGENT_H

#define AGENT_READ	0	/* one byte at r13 -> result */
#define AGENT_WRITE	1	/* r14's low byte to r13 */
#define AGENT_EXEC	2	/* call r13 */
#define AGENT_SYSCALL	3	/* system call r13 with rdi, rsi, rdx, r10, r8, r9 */

#endif
