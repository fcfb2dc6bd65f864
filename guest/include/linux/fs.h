/* SPDX-License-Identifier: MIT */
/*
 * Files: inodes with their page cache, open files, and the per-process
 * table of descriptors, in Linux's shape (include/linux/fs.h).
 *
 *   guest/fs/inode.c       inodes, the one directory of names, files made by a scenario
 *   guest/fs/file_table.c  struct file: alloc_file(), get_file(), fput()
 *   guest/fs/file.c        the descriptor table: fd_install(), fget(), close_fd(), dup at fork
 *   guest/fs/open.c        open(), close(), ftruncate()
 *   guest/fs/read_write.c  read(), write()
 *   guest/fs/stat.c        fstat()
 *   guest/mm/filemap.c     the page cache: lookup, fill, read/write through it, truncate
 *   guest/mm/shmem.c       the object behind MAP_SHARED|MAP_ANONYMOUS
 *
 * The file system is one directory held in memory, like ramfs: a file's
 * bytes live only in its page cache, so nothing is ever written back and
 * a clean page is as good as a dirty one.  Pages are made when first
 * read, written or faulted, zero-filled (a hole reads as zeros).
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include "shared/fcntl.h"

/* 64 bits as Linux's; spelled as glibc spells it, so that the native build may meet both. */
typedef long loff_t;
typedef unsigned int fmode_t;

#define FMODE_READ	0x1u
#define FMODE_WRITE	0x2u

/* Largest file: what an index of pages in a long can address, kept well inside loff_t. */
#define MAX_LFS_FILESIZE	((loff_t)1 << 46)

struct inode;
struct file;
struct vm_area_struct;

/* A file's pages: offset in pages -> struct page (Linux: struct address_space). */
struct address_space {
	struct inode *host;
	struct xarray i_pages;
	unsigned long nrpages;
};

struct file_operations {
	/* Both move *pos; they return bytes done or -errno. */
	long (*read)(struct file *file, char *buf, size_t count, loff_t *pos);
	long (*write)(struct file *file, const char *buf, size_t count, loff_t *pos);
	/* Sets up vma (already holding the file): 0 or -errno, the mapping is then undone. */
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
};

#define INODE_NAME_MAX	64

struct inode {
	unsigned long i_ino;
	unsigned int i_mode;		/* S_IFREG | 0644, S_IFCHR | 0600 */
	unsigned long i_sb_dev;		/* the device of its file system (maps' major:minor) */
	unsigned long i_rdev;		/* a device node's device */
	loff_t i_size;
	unsigned int i_nlink;		/* names: 1 while in the directory, 0 for shmem objects */
	int i_count;			/* references: the directory's and each open file's */
	bool i_shmem;			/* pages are Shmem (PG_swapbacked), not file pages */
	struct address_space i_data;
	const struct file_operations *i_fop;
	struct list_head i_list;	/* in the directory */
	char i_name[INODE_NAME_MAX];	/* its path: "/data", "/dev/vmmbuf" */
};

struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	unsigned int f_flags;		/* O_* as opened */
	fmode_t f_mode;			/* FMODE_READ | FMODE_WRITE */
	loff_t f_pos;
	long f_count;
	void *private_data;		/* a driver's */
};

static inline struct inode *file_inode(const struct file *file)
{
	return file->f_inode;
}

/* Devices of the file systems, as /proc/PID/maps prints them (major 0: anonymous devices). */
#define SHMEM_DEV	VMM_MKDEV(0, 1)		/* shmem's internal mount: "/dev/zero (deleted)" */
#define DEVTMPFS_DEV	VMM_MKDEV(0, 5)		/* /dev */
#define VMMFS_DEV	VMM_MKDEV(0, 32)	/* the scenario's files */

/* ---- inodes (guest/fs/inode.c) ------------------------------------------------------- */
unsigned long get_next_ino(void);
struct inode *new_inode(unsigned int mode, unsigned long sb_dev);
void ihold(struct inode *inode);
/* Drops a reference; the last one truncates the page cache and frees the inode. */
void iput(struct inode *inode);
/* The inode named path in the directory, or NULL. */
struct inode *lookup_path(const char *path);
/* Puts inode in the directory under path: 0, -EEXIST, -ENAMETOOLONG. */
int d_add_path(struct inode *inode, const char *path);
/* Every inode in the directory, for /proc/meminfo-style counts. */
void for_each_named_inode(void (*fn)(void *arg, struct inode *inode), void *arg);

/* How the scenario fills a new file (VMM_REQ_FILE_CREATE). */
enum file_fill {
	FILL_BYTE,	/* every byte the same */
	FILL_PAGE_INDEX,/* every byte of page n is n + 1 (mod 256): which page is which */
	FILL_DATA,	/* the bytes given, then zeros to the size */
};
/* A regular file at path with size bytes: its inode number, or -errno. */
long vmmfs_create(const char *path, loff_t size, enum file_fill how, u8 byte,
		  const void *data, size_t len);
/*
 * unlink(2): the name goes (ENOENT if there is none); the inode lives on,
 * i_nlink 0, while a descriptor or a mapping holds it.
 */
long vmmfs_unlink(const char *path);

/* ---- open files (guest/fs/file_table.c) --------------------------------------------- */
/* A new open file of inode (taking a reference on it): f_count 1, or NULL. */
struct file *alloc_file(struct inode *inode, unsigned int flags,
			const struct file_operations *fop);
static inline struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}
void fput(struct file *file);

/* ---- descriptors (guest/fs/file.c) --------------------------------------------------- */
#define NR_OPEN_DEFAULT	64

struct files_struct {
	int count;
	struct file *fd[NR_OPEN_DEFAULT];
};

struct files_struct *files_alloc(void);
/* fork: a copy of the table, every open file shared (one more reference each). */
struct files_struct *dup_fd(struct files_struct *old);
/* exit: drops a reference; the last closes every descriptor. */
void put_files_struct(struct files_struct *files);
/* The lowest free descriptor now holding file: the fd, or -EMFILE. */
int fd_install_lowest(struct files_struct *files, struct file *file);
/* The file at fd, no reference taken, or NULL. */
struct file *fget_raw(struct files_struct *files, unsigned long fd);
int close_fd(struct files_struct *files, unsigned long fd);

/* ---- the calls, for an explicit table (guest/fs/open.c, read_write.c, stat.c) ---------- */
long do_sys_open(struct files_struct *files, const char *path, unsigned int flags);
long ksys_read(struct files_struct *files, unsigned long fd, char *buf, size_t count);
long ksys_write(struct files_struct *files, unsigned long fd, const char *buf, size_t count);
long do_ftruncate(struct files_struct *files, unsigned long fd, loff_t length);
/*
 * lseek(2) on a regular file (Linux's generic_file_llseek()): SEEK_SET,
 * SEEK_CUR, SEEK_END, and SEEK_DATA/SEEK_HOLE with the whole file as data
 * (ENXIO at or past its end); EINVAL for another whence or a position
 * below 0 or past MAX_LFS_FILESIZE, ESPIPE for other files, EBADF.
 */
long ksys_lseek(struct files_struct *files, unsigned long fd, long offset, unsigned int whence);
long vfs_fstat(struct files_struct *files, unsigned long fd, struct linux_stat *st);

/* ---- the page cache (guest/mm/filemap.c) --------------------------------------------- */
/* The page at index, or NULL; no reference taken. */
struct page *filemap_get_page(struct address_space *mapping, unsigned long index);
/* The page at index, made zero-filled if missing: NULL only when out of memory. */
struct page *filemap_grab_page(struct address_space *mapping, unsigned long index);
/* PG_dirty on and off, counted (Linux's folio_mark_dirty(), and what writeback clears). */
void set_page_dirty(struct page *page);
void clear_page_dirty(struct page *page);
long generic_file_read(struct file *file, char *buf, size_t count, loff_t *pos);
long generic_file_write(struct file *file, const char *buf, size_t count, loff_t *pos);
/* Writes pages first..last back: here, cleans them and the shared PTEs mapping them. */
void filemap_write_and_wait_range(struct address_space *mapping, unsigned long first,
				  unsigned long last);
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
/* Unmaps and drops every page from byte offset lstart on (Linux's truncate_inode_pages()). */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
/* Sets the size; pages and mappings past it go (Linux's truncate_setsize + pagecache). */
void truncate_setsize(struct inode *inode, loff_t newsize);
extern const struct file_operations generic_file_operations;

/* Page-cache pages in all, dirty, of shmem objects (for the meminfo subject). */
struct page_cache_stats {
	unsigned long cached, dirty, shmem;
};
extern struct page_cache_stats page_cache_stats;

/* ---- shmem (guest/mm/shmem.c) ---------------------------------------------------------- */
/* The object behind a MAP_SHARED|MAP_ANONYMOUS mapping of size bytes: a file, or NULL. */
struct file *shmem_file_setup(loff_t size);

/* ---- user memory (guest/mm/gup.c; the native seam copies plainly) ---------------------- */
/* 0, or -EFAULT if some byte is not accessible to the user that way. */
int copy_to_user(void *to, const void *from, size_t n);
int copy_from_user(void *to, const void *from, size_t n);
/* The string at src, up to count bytes with its NUL: its length, -ENAMETOOLONG or -EFAULT. */
long strncpy_from_user(char *dst, const char *src, long count);

#endif
