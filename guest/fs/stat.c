// SPDX-License-Identifier: MIT
/*
 * fstat() (Linux's fs/stat.c with x86-64's cp_new_stat()).  Times are 0:
 * the guest has no clock a scenario could predict.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <string.h>

long vfs_fstat(struct files_struct *files, unsigned long fd, struct linux_stat *st)
{
	struct file *file = fget_raw(files, fd);
	const struct inode *inode;

	if (!file)
		return -EBADF;
	inode = file_inode(file);
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->i_sb_dev;
	st->st_ino = inode->i_ino;
	st->st_nlink = inode->i_nlink;
	st->st_mode = inode->i_mode;
	st->st_rdev = inode->i_rdev;
	st->st_size = inode->i_size;
	st->st_blksize = PAGE_SIZE;
	/* What the file holds in memory: its page-cache pages, in 512-byte units. */
	st->st_blocks = (long)inode->i_data.nrpages * (PAGE_SIZE / 512);
	return 0;
}
