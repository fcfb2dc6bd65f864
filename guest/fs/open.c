// SPDX-License-Identifier: MIT
/*
 * open(), close() and ftruncate() (Linux's fs/open.c), for an explicit
 * descriptor table.  There is one directory: O_CREAT of a missing name
 * makes an empty regular file there, and O_EXCL of an existing one is
 * EEXIST, as in Linux.
 */
#include <linux/errno.h>
#include <linux/fs.h>

long do_sys_open(struct files_struct *files, const char *path, unsigned int flags)
{
	struct inode *inode = lookup_path(path);
	struct file *file;
	long err;
	int fd;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (inode && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (!inode && (flags & O_CREAT)) {
		err = vmmfs_create(path, 0, FILL_BYTE, 0, NULL, 0);
		if (err < 0)
			return err;
		inode = lookup_path(path);
	}
	if (!inode)
		return -ENOENT;
	file = alloc_file(inode, flags, inode->i_fop);
	if (!file)
		return -ENOMEM;
	/* O_TRUNC on a regular file opened for writing empties it (Linux's handle_truncate()). */
	if ((flags & O_TRUNC) && (file->f_mode & FMODE_WRITE) &&
	    (inode->i_mode & S_IFMT) == S_IFREG)
		truncate_setsize(inode, 0);
	fd = fd_install_lowest(files, file);
	if (fd < 0)
		fput(file);
	return fd;
}

long do_ftruncate(struct files_struct *files, unsigned long fd, loff_t length)
{
	struct file *file = fget_raw(files, fd);

	if (!file)
		return -EBADF;
	if (length < 0)
		return -EINVAL;
	/* Linux: a descriptor not open for writing, or not a regular file, is EINVAL. */
	if (!(file->f_mode & FMODE_WRITE) || (file_inode(file)->i_mode & S_IFMT) != S_IFREG)
		return -EINVAL;
	if (length > MAX_LFS_FILESIZE)
		return -EFBIG;
	truncate_setsize(file_inode(file), length);
	return 0;
}
