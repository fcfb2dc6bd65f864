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
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/vmalloc.h>
#include <string.h>
#include <asm/setup.h>
#include "guest/drivers/vmmbuf.h"

static u64 ram_bytes(void)
{
	u64 total = 0;

	for (unsigned i = 0; i < boot_info.nr_ram; i++)
		total += boot_info.ram[i].size;
	return total;
}

/* slab_debug=... on the command line (the vm line), as Linux's boot option. */
static void slab_debug_from_cmdline(void)
{
	static const char key[] = "slab_debug=";
	char arg[128];

	for (const char *p = boot_info.bootargs; *p;) {
		const char *end = strchr(p, ' ') ?: p + strlen(p);
		size_t n = end - p;

		if (n > sizeof(key) - 1 && !strncmp(p, key, sizeof(key) - 1)) {
			n -= sizeof(key) - 1;
			if (n >= sizeof(arg))
				n = sizeof(arg) - 1;
			memcpy(arg, p + sizeof(key) - 1, n);
			arg[n] = '\0';
			if (slab_debug_setup(arg))
				pr_warn("slab_debug=%s: not understood, ignored\n", arg);
		}
		p = *end ? end + 1 : end;
	}
}

__noreturn void start_kernel(void)
{
	printk("vmm guest kernel: %llu MiB RAM in %u range(s), command line: %s\n",
	       (unsigned long long)(ram_bytes() >> 20), boot_info.nr_ram, boot_info.bootargs);
	setup_arch();
	memblock_free_all();	/* from here on, the buddy allocator owns free RAM */
	slab_debug_from_cmdline();
	kmem_cache_init();
	vmalloc_init();
	syscall_init();
	vmmbuf_register();
	serve_requests();
}
