// SPDX-License-Identifier: MIT
/*
 * The IDT: the 32 CPU exceptions go to entry_64.S's stubs; nothing else is
 * present, since the guest takes no interrupts (no irqchip, no timer).
 */
#include <linux/kernel.h>
#include <asm/desc.h>
#include <asm/segment.h>

struct gate_desc {
	u16 offset_low;
	u16 segment;
	u16 bits;		/* IST, type, DPL, present */
	u16 offset_middle;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));

#define GATE_INTERRUPT	0xe
#define NR_EXCEPTIONS	32
#define X86_TRAP_DF	8

static struct gate_desc idt_table[NR_EXCEPTIONS] __aligned(16);
extern const unsigned long exception_stubs[NR_EXCEPTIONS];

struct desc_ptr {
	u16 size;
	u64 address;
} __attribute__((packed));

static void set_gate(struct gate_desc *g, unsigned long handler, unsigned ist)
{
	g->offset_low = handler & 0xffff;
	g->segment = __KERNEL_CS;
	g->bits = (ist & 7) | (GATE_INTERRUPT << 8) | (1u << 15);
	g->offset_middle = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

static void load_idt(u16 size, u64 address)
{
	struct desc_ptr idt = { size, address };

	asm volatile("lidt %0" : : "m"(idt));
}

void idt_setup(void)
{
	for (unsigned v = 0; v < NR_EXCEPTIONS; v++)
		set_gate(&idt_table[v], exception_stubs[v],
			 v == X86_TRAP_DF ? IST_DOUBLE_FAULT : 0);
	load_idt(sizeof(idt_table) - 1, (u64)idt_table);
}

/* An empty IDT: the next exception escalates to a triple fault. */
void idt_invalidate(void)
{
	load_idt(0, 0);
}
