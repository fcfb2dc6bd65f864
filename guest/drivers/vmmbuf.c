// SPDX-License-Identifier: MIT
/*
 * /dev/vmmbuf: a character device whose mmap hands user space the driver's
 * own buffers, the way drivers share a DMA or ring buffer with a process
 * (Linux Device Drivers, ch. 15: remap_pfn_range()).
 *
 *   offset 0       VMMBUF_GFP_PAGES pages from __get_free_pages()
 *   offset 1 MiB   VMMBUF_KMALLOC_PAGES pages from kmalloc(): a size that is
 *                  a whole number of pages, which kmalloc() returns
 *                  page-aligned (a large kmalloc comes from the page
 *                  allocator), as a driver must make sure of
 *
 * The offset (vm_pgoff) picks the buffer and the page in it; a mapping
 * running past the buffer's end is EINVAL, and so is a private mapping:
 * the device's memory is shared or not mapped at all, never copied on
 * write.  Page i of the first buffer holds the byte 0xb0 + i, of the
 * second 0xc0 + i, so a scenario can tell which frame it reads.
 *
 * The buffers are made at the first mmap and stay with the driver: a
 * process may still map them after the file is closed, and the frames are
 * the driver's, never counted in a struct page by the mapping.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/pgtable_ops.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <string.h>
#include "guest/drivers/vmmbuf.h"

static void *gfp_buf, *kmalloc_buf;

static int vmmbuf_alloc(void)
{
	if (!gfp_buf) {
		gfp_buf = (void *)__get_free_pages(GFP_KERNEL, VMMBUF_GFP_ORDER);
		if (!gfp_buf)
			return -ENOMEM;
		for (unsigned long i = 0; i < VMMBUF_GFP_PAGES; i++)
			memset((char *)gfp_buf + i * PAGE_SIZE, 0xb0 + (int)i, PAGE_SIZE);
	}
	if (!kmalloc_buf) {
		kmalloc_buf = kmalloc(VMMBUF_KMALLOC_PAGES * PAGE_SIZE, GFP_KERNEL);
		if (!kmalloc_buf)
			return -ENOMEM;
		/* Mapping it whole pages at a time needs it to start on one. */
		BUG_ON(offset_in_page(kmalloc_buf));
		for (unsigned long i = 0; i < VMMBUF_KMALLOC_PAGES; i++)
			memset((char *)kmalloc_buf + i * PAGE_SIZE, 0xc0 + (int)i, PAGE_SIZE);
	}
	return 0;
}

static int vmmbuf_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long pages = vma_pages(vma), first = vma->vm_pgoff, size;
	void *buf;
	int err;

	(void)file;
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	err = vmmbuf_alloc();
	if (err)
		return err;
	if (first >= VMMBUF_KMALLOC_PGOFF) {
		buf = kmalloc_buf;
		first -= VMMBUF_KMALLOC_PGOFF;
		size = VMMBUF_KMALLOC_PAGES;
	} else {
		buf = gfp_buf;
		size = VMMBUF_GFP_PAGES;
	}
	if (first >= size || pages > size - first)
		return -EINVAL;
	return remap_pfn_range(vma, vma->vm_start, PHYS_PFN(__pa(buf)) + first,
			       pages << PAGE_SHIFT, vma->vm_page_prot);
}

static const struct file_operations vmmbuf_fops = {
	.mmap = vmmbuf_mmap,
};

/* The device node, made when first looked for: nothing is allocated at boot. */
static struct inode vmmbuf_inode = {
	.i_mode = S_IFCHR | 0666,
	.i_sb_dev = DEVTMPFS_DEV,
	.i_rdev = VMM_MKDEV(VMMBUF_MAJOR, VMMBUF_MINOR),
	.i_count = 1,		/* the driver's: never freed */
	.i_fop = &vmmbuf_fops,
};

int vmmbuf_register(void)
{
	if (vmmbuf_inode.i_ino)
		return 0;
	vmmbuf_inode.i_ino = get_next_ino();
	vmmbuf_inode.i_data.host = &vmmbuf_inode;
	return d_add_path(&vmmbuf_inode, "/dev/vmmbuf");
}

void vmmbuf_frames(unsigned long *gfp_pfn, unsigned long *kmalloc_pfn)
{
	*gfp_pfn = gfp_buf ? PHYS_PFN(__pa(gfp_buf)) : 0;
	*kmalloc_pfn = kmalloc_buf ? PHYS_PFN(__pa(kmalloc_buf)) : 0;
}
