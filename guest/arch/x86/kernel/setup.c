// SPDX-License-Identifier: MIT
/*
 * From the first C instruction to start_kernel(): CPU state first (the
 * stack-protector canary that libfdt reads at %fs:0x28, our GDT, TSS and
 * IDT), then the device tree, which also brings up the console.
 */
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/of_fdt.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/setup.h>

void start_kernel(void) __noreturn;

/* Linux's layout: the canary lives 40 bytes into the per-CPU block. */
struct fixed_percpu_data {
	char gs_base[40];
	unsigned long stack_canary;
};

static struct fixed_percpu_data fixed_percpu_data;

extern char _text[], _end[];

/* RAM and what is already in use, from the device tree, into memblock. */
static void memblock_setup(void)
{
	for (unsigned i = 0; i < boot_info.nr_ram; i++)
		memblock_add(boot_info.ram[i].base, boot_info.ram[i].size);
	memblock_reserve(0, PAGE_SIZE);		/* no frame may have the address NULL */
	memblock_reserve(__pa(_text), _end - _text);
	for (unsigned i = 0; i < boot_info.nr_reserved; i++)
		memblock_reserve(boot_info.reserved[i].base, boot_info.reserved[i].size);
}

void setup_arch(void)
{
	memblock_setup();
	/* Until CR3 switches, only what the host's boot tables map is reachable. */
	memblock_set_current_limit(VMM_BOOT_MAPPED);
	init_mem_mapping();
	memblock_set_current_limit(MEMBLOCK_ALLOC_ANYWHERE);
	paging_init();
}

__noreturn void x86_64_start_kernel(phys_addr_t fdt_pa)
{
	gdt_setup();	/* before FS_BASE: loading the FS selector may clear the base */
	/* Constant, with a NUL byte to stop string overreads; we catch bugs, not attackers. */
	fixed_percpu_data.stack_canary = 0x00f00dcafe5eed00UL;
	wrmsr(MSR_FS_BASE, (unsigned long)&fixed_percpu_data);
	idt_setup();
	early_init_dt_scan(fdt_pa);
	start_kernel();
}
