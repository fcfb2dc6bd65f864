// SPDX-License-Identifier: MIT
/*
 * Regions of the physical address space that drivers claim (Linux's
 * kernel/resource.c, __request_region()).  RAM and the kernel image are
 * busy, so a claim inside RAM must fall in one of the ranges the host
 * reserved (the firmware area, the device tree, the mailbox: resources
 * that are not busy), where it nests; a claim outside RAM stands on its
 * own.  Claims never overlap each other.
 */
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/of_fdt.h>
#include <string.h>

static struct {
	struct resource res;
	char name[32];
} regions[MAX_REQUESTED_REGIONS];
static unsigned int nr_regions;

static bool overlaps(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 <= e2 && s2 <= e1;
}

static bool inside(u64 start, u64 end, const struct boot_range *r)
{
	return r->size && start >= r->base && end <= r->base + r->size - 1;
}

/* May [start, end] be claimed where it lies? */
static bool region_fits(u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < boot_info.nr_reserved; i++)
		if (inside(start, end, &boot_info.reserved[i]))
			return true;
	for (i = 0; i < boot_info.nr_ram; i++) {
		const struct boot_range *r = &boot_info.ram[i];

		if (r->size && overlaps(start, end, r->base, r->base + r->size - 1))
			return false;	/* busy System RAM */
	}
	return true;
}

int request_mem_region(u64 start, u64 n, const char *name, u32 name_len)
{
	u64 end = start + n - 1;
	unsigned int i, at;

	if (!n || end < start)
		return -EINVAL;
	if (!region_fits(start, end))
		return -EBUSY;
	for (i = 0; i < nr_regions; i++)
		if (overlaps(start, end, regions[i].res.start, regions[i].res.end))
			return -EBUSY;
	if (nr_regions == MAX_REQUESTED_REGIONS)
		return -ENOMEM;
	for (at = nr_regions; at > 0 && regions[at - 1].res.start > start; at--)
		regions[at] = regions[at - 1];
	memset(regions[at].name, 0, sizeof(regions[at].name));
	memcpy(regions[at].name, name, min(name_len, (u32)sizeof(regions[at].name) - 1));
	regions[at].res = (struct resource){ start, end, NULL };
	nr_regions++;
	for (i = 0; i < nr_regions; i++)
		regions[i].res.name = regions[i].name;	/* the entries moved */
	return 0;
}

int release_mem_region(u64 start, u64 n)
{
	for (unsigned int i = 0; i < nr_regions; i++) {
		if (regions[i].res.start != start || regions[i].res.end != start + n - 1)
			continue;
		for (nr_regions--; i < nr_regions; i++) {
			regions[i] = regions[i + 1];
			regions[i].res.name = regions[i].name;
		}
		return 0;
	}
	return -EINVAL;
}

const struct resource *requested_region(unsigned int i)
{
	return i < nr_regions ? &regions[i].res : NULL;
}
