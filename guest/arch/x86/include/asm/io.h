/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <linux/types.h>

static inline void outb(u8 val, u16 port)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port) : "memory");
}

#endif
