// SPDX-License-Identifier: MIT
/*
 * The object behind MAP_SHARED|MAP_ANONYMOUS (Linux's shmem_zero_setup()
 * in mm/shmem.c): an unnamed in-memory file of the mapping's size whose
 * pages are made at first fault and found there by every process that
 * maps it, the parent and the children of a fork alike.  It goes when the
 * last VMA mapping it goes.  /proc/PID/maps names it as Linux does,
 * "/dev/zero (deleted)" on device 00:01.
 */
#include <linux/fs.h>

static const struct file_operations shmem_file_operations = {
	.read = generic_file_read,
	.write = generic_file_write,
	.mmap = generic_file_mmap,
};

struct file *shmem_file_setup(loff_t size)
{
	struct inode *inode = new_inode(S_IFREG | 0777, SHMEM_DEV);
	struct file *file;

	if (!inode)
		return NULL;
	inode->i_shmem = true;
	inode->i_size = size;
	inode->i_fop = &shmem_file_operations;
	file = alloc_file(inode, O_RDWR, inode->i_fop);
	iput(inode);	/* the file holds it now */
	return file;
}
