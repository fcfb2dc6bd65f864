/* SPDX-License-Identifier: MIT */
/* Descriptor tables: GDT and TSS (kernel/gdt.c), IDT (kernel/idt.c). */
#ifndef _ASM_X86_DESC_H
#define _ASM_X86_DESC_H

#include <linux/types.h>

/* The 64-bit TSS: only the stack pointers matter to us. */
struct tss_struct {
	u32 reserved0;
	u64 sp0, sp1, sp2;
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 io_bitmap_base;
} __attribute__((packed));

#define IST_DOUBLE_FAULT	1	/* #DF runs on its own stack */
#define EXCEPTION_STACK_SIZE	4096

extern struct tss_struct cpu_tss;

void gdt_setup(void);
void idt_setup(void);
void idt_invalidate(void);
bool on_kernel_stack(unsigned long addr, unsigned long len);

#endif
