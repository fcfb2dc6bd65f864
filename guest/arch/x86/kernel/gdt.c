// SPDX-License-Identifier: MIT
/*
 * The GDT and TSS.  Segmentation is vestigial in 64-bit mode, but the
 * selectors must exist for iretq, for user mode later, and so that the
 * layout matches what Linux users know (segment.h).  The TSS supplies the
 * stacks the CPU switches to: RSP0 for entry from ring 3, IST1 for #DF, so
 * that a kernel stack overflow still produces a report instead of a
 * triple fault.
 */
#include <linux/kernel.h>
#include <asm/desc.h>
#include <asm/segment.h>

struct tss_struct cpu_tss __aligned(16);

static u8 double_fault_stack[EXCEPTION_STACK_SIZE] __aligned(16);
static u8 entry_stack[EXCEPTION_STACK_SIZE] __aligned(16);
extern u8 init_stack[], init_stack_end[];

/* access byte 0x9b/0xf3...: present, DPL, code/data, type; flags: G, D/B, L */
#define GDT_ENTRY(flags, access) \
	((((u64)(flags) & 0xf) << 52) | ((u64)(access) << 40) | (0xfULL << 48) | 0xffffULL)

static u64 gdt_table[GDT_ENTRIES] __aligned(16) = {
	[GDT_ENTRY_KERNEL32_CS]		= GDT_ENTRY(0xc, 0x9b),
	[GDT_ENTRY_KERNEL_CS]		= GDT_ENTRY(0xa, 0x9b),
	[GDT_ENTRY_KERNEL_DS]		= GDT_ENTRY(0xc, 0x93),
	[GDT_ENTRY_DEFAULT_USER32_CS]	= GDT_ENTRY(0xc, 0xfb),
	[GDT_ENTRY_DEFAULT_USER_DS]	= GDT_ENTRY(0xc, 0xf3),
	[GDT_ENTRY_DEFAULT_USER_CS]	= GDT_ENTRY(0xa, 0xfb),
};

struct desc_ptr {
	u16 size;
	u64 address;
} __attribute__((packed));

static void set_tss_desc(u64 *slot, const struct tss_struct *tss)
{
	u64 base = (u64)tss;
	u64 limit = sizeof(*tss) - 1;

	/* Available 64-bit TSS (type 9), present. */
	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_setup(void)
{
	struct desc_ptr gdt = { sizeof(gdt_table) - 1, (u64)gdt_table };

	cpu_tss.sp0 = (u64)(entry_stack + sizeof(entry_stack));
	cpu_tss.ist[IST_DOUBLE_FAULT - 1] = (u64)(double_fault_stack + sizeof(double_fault_stack));
	cpu_tss.io_bitmap_base = sizeof(cpu_tss);	/* no I/O bitmap: ports are kernel-only */
	set_tss_desc(&gdt_table[GDT_ENTRY_TSS], &cpu_tss);

	asm volatile("lgdt %0\n\t"
		     "pushq %1\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "movl %2, %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     "xorl %%eax, %%eax\n\t"
		     "movl %%eax, %%fs\n\t"
		     "movl %%eax, %%gs\n\t"
		     "ltr %w3"
		     : : "m"(gdt), "i"(__KERNEL_CS), "i"(__KERNEL_DS), "r"(GDT_ENTRY_TSS_SEL)
		     : "rax", "memory");
}

/* Used by the backtracer: never follow a frame pointer off our stacks. */
bool on_kernel_stack(unsigned long addr, unsigned long len)
{
	const struct { const u8 *lo, *hi; } stacks[] = {
		{ init_stack, init_stack_end },
		{ entry_stack, entry_stack + sizeof(entry_stack) },
		{ double_fault_stack, double_fault_stack + sizeof(double_fault_stack) },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(stacks); i++)
		if (addr >= (unsigned long)stacks[i].lo &&
		    addr + len <= (unsigned long)stacks[i].hi && addr + len > addr)
			return true;
	return false;
}
