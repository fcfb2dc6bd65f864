// SPDX-License-Identifier: MIT
/*
 * Open files (Linux's fs/file_table.c).  A struct file holds a reference
 * on its inode; descriptors and VMAs hold references on the file
 * (get_file()), and the last fput() lets the inode go.
 */
#include <linux/fs.h>
#include <linux/obj_pool.h>

static struct vm_obj_pool file_pool = VM_OBJ_POOL_INIT(struct file);

struct file *alloc_file(struct inode *inode, unsigned int flags,
			const struct file_operations *fop)
{
	struct file *file = vm_obj_alloc(&file_pool);

	if (!file)
		return NULL;
	ihold(inode);
	file->f_inode = inode;
	file->f_mapping = &inode->i_data;
	file->f_op = fop;
	file->f_flags = flags;
	file->f_mode = ((flags & O_ACCMODE) != O_WRONLY ? FMODE_READ : 0) |
		       ((flags & O_ACCMODE) != O_RDONLY ? FMODE_WRITE : 0);
	file->f_count = 1;
	return file;
}

void fput(struct file *file)
{
	if (--file->f_count)
		return;
	iput(file->f_inode);
	vm_obj_free(&file_pool, file);
}
