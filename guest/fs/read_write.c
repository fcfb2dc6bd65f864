// SPDX-License-Identifier: MIT
/*
 * read(), write() and lseek() (Linux's fs/read_write.c): the
 * descriptor's mode, then the file's operation at the file's offset,
 * which moves on.
 */
#include <linux/errno.h>
#include <linux/fs.h>

/* Linux's MAX_RW_COUNT: one call moves at most INT_MAX rounded down to a page. */
#define MAX_RW_COUNT	(0x7fffffffUL & ~0xfffUL)

long ksys_read(struct files_struct *files, unsigned long fd, char *buf, size_t count)
{
	struct file *file = fget_raw(files, fd);

	if (!file || !(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!file->f_op->read)
		return -EINVAL;
	return file->f_op->read(file, buf, min(count, MAX_RW_COUNT), &file->f_pos);
}

long ksys_write(struct files_struct *files, unsigned long fd, const char *buf, size_t count)
{
	struct file *file = fget_raw(files, fd);

	if (!file || !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!file->f_op->write)
		return -EINVAL;
	if (file->f_flags & O_APPEND)
		file->f_pos = file_inode(file)->i_size;
	return file->f_op->write(file, buf, min(count, MAX_RW_COUNT), &file->f_pos);
}

long ksys_lseek(struct files_struct *files, unsigned long fd, long offset, unsigned int whence)
{
	struct file *file = fget_raw(files, fd);
	loff_t size, pos;

	if (!file)
		return -EBADF;
	if ((file_inode(file)->i_mode & S_IFMT) != S_IFREG)
		return -ESPIPE;
	size = file_inode(file)->i_size;
	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(file->f_pos, offset, &pos))
			return -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, offset, &pos))
			return -EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		pos = whence == SEEK_DATA ? offset : size;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0 || pos > MAX_LFS_FILESIZE)
		return -EINVAL;
	file->f_pos = pos;
	return pos;
}
