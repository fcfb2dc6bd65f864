// SPDX-License-Identifier: MIT
/*
 * Inodes and the one directory that names them (Linux's fs/inode.c and,
 * for the names, what ramfs keeps in its dentries).  A named inode holds
 * a reference for its name; it lives until the name and every open file
 * are gone.  Files are made by the scenario (vmmfs_create), by drivers
 * (their device nodes) and by processes (open with O_CREAT); unlink takes
 * a name away.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/obj_pool.h>
#include <string.h>

static struct list_head directory = LIST_HEAD_INIT(directory);
static struct vm_obj_pool inode_pool = VM_OBJ_POOL_INIT(struct inode);
static unsigned long last_ino;

/* Linux's get_next_ino(): every file system here draws from one counter. */
unsigned long get_next_ino(void)
{
	return ++last_ino;
}

struct inode *new_inode(unsigned int mode, unsigned long sb_dev)
{
	struct inode *inode = vm_obj_alloc(&inode_pool);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	inode->i_sb_dev = sb_dev;
	inode->i_count = 1;
	inode->i_data.host = inode;
	xa_init(&inode->i_data.i_pages);
	INIT_LIST_HEAD(&inode->i_list);
	return inode;
}

void ihold(struct inode *inode)
{
	inode->i_count++;
}

void iput(struct inode *inode)
{
	if (--inode->i_count)
		return;
	truncate_inode_pages(&inode->i_data, 0);
	list_del(&inode->i_list);	/* unlink left it linked to itself, if it came first */
	vm_obj_free(&inode_pool, inode);
}

struct inode *lookup_path(const char *path)
{
	struct inode *inode;

	list_for_each_entry(inode, &directory, i_list)
		if (!strcmp(inode->i_name, path))
			return inode;
	return NULL;
}

int d_add_path(struct inode *inode, const char *path)
{
	size_t len = strlen(path);

	if (len >= INODE_NAME_MAX)
		return -ENAMETOOLONG;
	if (lookup_path(path))
		return -EEXIST;
	memcpy(inode->i_name, path, len + 1);
	inode->i_nlink = 1;
	list_add_tail(&inode->i_list, &directory);
	return 0;
}

long vmmfs_unlink(const char *path)
{
	struct inode *inode = lookup_path(path);

	if (!inode)
		return -ENOENT;
	list_del(&inode->i_list);
	INIT_LIST_HEAD(&inode->i_list);
	inode->i_nlink = 0;	/* the name stays, for maps' "(deleted)" */
	iput(inode);
	return 0;
}

void for_each_named_inode(void (*fn)(void *arg, struct inode *inode), void *arg)
{
	struct inode *inode;

	list_for_each_entry(inode, &directory, i_list)
		fn(arg, inode);
}

/* Byte off of the new file's contents. */
static u8 fill_byte(enum file_fill how, u8 byte, const u8 *data, size_t len, loff_t off)
{
	switch (how) {
	case FILL_BYTE:
		return byte;
	case FILL_PAGE_INDEX:
		return (u8)((off >> PAGE_SHIFT) + 1);
	case FILL_DATA:
		return (size_t)off < len ? data[off] : 0;
	}
	return 0;
}

/* Writes the contents straight into the page cache: the file starts clean. */
static int vmmfs_fill(struct inode *inode, enum file_fill how, u8 byte, const void *data,
		      size_t len)
{
	for (loff_t off = 0; off < inode->i_size; off += PAGE_SIZE) {
		struct page *page;
		u8 *p;

		/* A file of zeros is all holes: nothing to store. */
		if ((how == FILL_BYTE && !byte) || (how == FILL_DATA && (size_t)off >= len))
			break;
		page = filemap_grab_page(&inode->i_data, off >> PAGE_SHIFT);
		if (!page)
			return -ENOMEM;
		p = page_address(page);
		for (unsigned long i = 0; i < PAGE_SIZE && off + (loff_t)i < inode->i_size; i++)
			p[i] = fill_byte(how, byte, data, len, off + i);
	}
	return 0;
}

long vmmfs_create(const char *path, loff_t size, enum file_fill how, u8 byte,
		  const void *data, size_t len)
{
	struct inode *inode;
	int err;

	if (size < 0 || size > MAX_LFS_FILESIZE)
		return -EFBIG;
	if (path[0] != '/')
		return -ENOENT;
	inode = new_inode(S_IFREG | 0644, VMMFS_DEV);
	if (!inode)
		return -ENOMEM;
	inode->i_fop = &generic_file_operations;
	inode->i_size = size;
	err = d_add_path(inode, path);
	if (!err)
		err = vmmfs_fill(inode, how, byte, data, len);
	if (err) {
		iput(inode);	/* out of the directory too */
		return err;
	}
	return (long)inode->i_ino;
}
