/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <linux/types.h>

static inline void outl(u32 val, u16 port)
{
	asm volatile("outl %0, %1" : : "a"(val), "Nd"(port) : "memory");
}

#endif
