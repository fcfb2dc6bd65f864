// SPDX-License-Identifier: MIT
/*
 * start_kernel: reached with the console up (arch/x86/kernel/setup.c).
 * Boot is deliberately short: guest instructions are emulated on our CI
 * machines, so everything the host can do for us (zeroed RAM, the device
 * tree, long mode) it does.
 */
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/of_fdt.h>
#include <linux/printk.h>
#include <linux/memblock.h>
#include <linux/syscalls.h>
#include <asm/setup.h>

static u64 ram_bytes(void)
{
	u64 total = 0;

	for (unsigned i = 0; i < boot_info.nr_ram; i++)
		total += boot_info.ram[i].size;
	return total;
}

__noreturn void start_kernel(void)
{
	printk("vmm guest kernel: %llu MiB RAM in %u range(s), command line: %s\n",
	       (unsigned long long)(ram_bytes() >> 20), boot_info.nr_ram, boot_info.bootargs);
	setup_arch();
	memblock_free_all();	/* from here on, the buddy allocator owns free RAM */
	syscall_init();
	serve_requests();
}
