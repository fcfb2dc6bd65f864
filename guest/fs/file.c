// SPDX-License-Identifier: MIT
/*
 * The descriptor table of a process (Linux's fs/file.c, with one fixed
 * array of NR_OPEN_DEFAULT slots instead of a table that grows).  Fork
 * copies it: both processes then share every open file, its offset too.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/obj_pool.h>

static struct vm_obj_pool files_pool = VM_OBJ_POOL_INIT(struct files_struct);

struct files_struct *files_alloc(void)
{
	struct files_struct *files = vm_obj_alloc(&files_pool);

	if (files)
		files->count = 1;
	return files;
}

struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *files = files_alloc();

	if (!files)
		return NULL;
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if (old->fd[fd])
			files->fd[fd] = get_file(old->fd[fd]);
	return files;
}

void put_files_struct(struct files_struct *files)
{
	if (--files->count)
		return;
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	vm_obj_free(&files_pool, files);
}

int fd_install_lowest(struct files_struct *files, struct file *file)
{
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		if (!files->fd[fd]) {
			files->fd[fd] = file;
			return fd;
		}
	}
	return -EMFILE;
}

struct file *fget_raw(struct files_struct *files, unsigned long fd)
{
	return fd < NR_OPEN_DEFAULT ? files->fd[fd] : NULL;
}

int close_fd(struct files_struct *files, unsigned long fd)
{
	struct file *file = fget_raw(files, fd);

	if (!file)
		return -EBADF;
	files->fd[fd] = NULL;
	fput(file);
	return 0;
}
