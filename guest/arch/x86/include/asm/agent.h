/* SPDX-License-Identifier: MIT */
/* The user program's calling convention (guest/user/agent.S). */
#ifndef _ASM_X86_AGENT_H
#define _ASM_X86_AGENT_H

#include "shared/agent.h"

#define AGENT_BASE	0x400000UL	/* where every process has it, like an ELF's text */

/* Ours, far above Linux's numbers: the agent's "here is my result". */
#define __NR_vmm_done	1000

#endif
