// SPDX-License-Identifier: MIT
/*
 * What the PVH entry learns from its start info: only where the device
 * tree is.  The host names it on the command line it gives QEMU
 * (`vmm.fdt=0x...`); everything else comes from the tree, as on the KVM
 * path.  Runs on the boot page tables, which map the first GiB.
 */
#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <stdlib.h>
#include <string.h>

#define XEN_HVM_START_MAGIC_VALUE	0x336ec578
#define BOOT_MAPPED			(1UL << 30)

/* The fields of Xen's struct hvm_start_info that we read. */
struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
};

static const char *boot_mapped(u64 pa, u64 len)
{
	return pa < BOOT_MAPPED && len <= BOOT_MAPPED - pa ? __va(pa) : NULL;
}

/* The value of `vmm.fdt=` in a command line of at most len bytes, or 0. */
static phys_addr_t fdt_param(const char *p, size_t len)
{
	static const char key[] = "vmm.fdt=";
	const size_t klen = sizeof(key) - 1;
	const char *end = p + strnlen(p, len - 1);

	for (; end - p > (long)klen; p++)
		if (!strncmp(p, key, klen))
			return strtoul(p + klen, NULL, 0);
	return 0;
}

/* No console yet: whatever is wrong, the host sees the hlt and our RIP. */
phys_addr_t pvh_fdt_address(u32 start_info_pa)
{
	const struct hvm_start_info *si = (const void *)boot_mapped(start_info_pa, sizeof(*si));
	const char *cmdline;
	phys_addr_t fdt;

	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE)
		halt_forever();
	cmdline = boot_mapped(si->cmdline_paddr, PAGE_SIZE);
	fdt = cmdline ? fdt_param(cmdline, PAGE_SIZE) : 0;
	if (!fdt)
		halt_forever();
	return fdt;
}
