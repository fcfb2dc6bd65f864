// SPDX-License-Identifier: MIT
/*
 * The page cache and the file system around it (guest/mm/filemap.c,
 * guest/mm/shmem.c, guest/fs/), compiled natively: files made with each
 * kind of contents, read() and write() through the cache at any offset,
 * holes that cost no page until touched, truncation zeroing the tail of
 * the last page and freeing the rest, descriptors shared by fork, and
 * shmem objects whose pages all go back when the last reference does.
 * Natively the "user" buffers are this process's memory (tests/native).
 */
#include <limits.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <native/mm_machine.h>

#include "check_fast.h"
#include "check_main.h"

#define PHYS_SIZE	(32UL << 20)

static unsigned long free_at_start;

static void setup(void)
{
	native_mm_machine_init(PHYS_SIZE);
	kmem_cache_init();
	free_at_start = native_free_pages();
}

static struct files_struct *files;

static long open_file(const char *path, unsigned int flags)
{
	if (!files)
		files = files_alloc();
	ck_assert_ptr_nonnull(files);
	return do_sys_open(files, path, flags);
}

START_TEST(fill_kinds)
{
	static char buf[3 * 4096];
	long fd;

	ck_assert_int_gt(vmmfs_create("/b", 5000, FILL_BYTE, 0x41, NULL, 0), 0);
	ck_assert_int_gt(vmmfs_create("/p", 3 * 4096, FILL_PAGE_INDEX, 0, NULL, 0), 0);
	ck_assert_int_gt(vmmfs_create("/t", 10, FILL_DATA, 0, "hi", 2), 0);
	ck_assert_int_eq(vmmfs_create("/t", 10, FILL_DATA, 0, "hi", 2), -EEXIST);
	ck_assert_int_eq(vmmfs_create("relative", 1, FILL_BYTE, 0, NULL, 0), -ENOENT);
	fd = open_file("/b", O_RDONLY);
	ck_assert_int_eq(ksys_read(files, fd, buf, sizeof(buf)), 5000);
	ck_assert_int_eq(buf[0], 0x41);
	ck_assert_int_eq(buf[4999], 0x41);
	fd = open_file("/p", O_RDONLY);
	ck_assert_int_eq(ksys_read(files, fd, buf, sizeof(buf)), 3 * 4096);
	ck_assert_int_eq(buf[0], 1);
	ck_assert_int_eq(buf[4096 + 7], 2);
	ck_assert_int_eq(buf[2 * 4096], 3);
	fd = open_file("/t", O_RDONLY);
	memset(buf, 0x77, 16);
	ck_assert_int_eq(ksys_read(files, fd, buf, 16), 10);
	ck_assert(!memcmp(buf, "hi\0\0\0\0\0\0\0\0", 10));
	ck_assert_int_eq(ksys_read(files, fd, buf, 16), 0);
}
END_TEST

/* A file of zeros holds no page until read or written; then exactly the pages touched. */
START_TEST(holes_cost_nothing)
{
	struct linux_stat st;
	char c = 0x5a;
	long fd;

	ck_assert_int_gt(vmmfs_create("/z", 1 << 20, FILL_BYTE, 0, NULL, 0), 0);
	fd = open_file("/z", O_RDWR);
	ck_assert_int_eq(vfs_fstat(files, fd, &st), 0);
	ck_assert_int_eq(st.st_size, 1 << 20);
	ck_assert_int_eq(st.st_blocks, 0);
	files->fd[fd]->f_pos = 700000;
	ck_assert_int_eq(ksys_write(files, fd, &c, 1), 1);
	ck_assert_int_eq(vfs_fstat(files, fd, &st), 0);
	ck_assert_int_eq(st.st_blocks, 8);
	ck_assert_ptr_nonnull(filemap_get_page(files->fd[fd]->f_mapping, 700000 >> 12));
	ck_assert(PageDirty(filemap_get_page(files->fd[fd]->f_mapping, 700000 >> 12)));
	ck_assert_uint_eq(page_cache_stats.dirty, 1);
}
END_TEST

/* Writes past the end grow the file; a truncate zeros the last page's tail and drops the rest. */
START_TEST(write_grow_truncate)
{
	static char buf[8192];
	struct inode *inode;
	struct page *last;
	long fd;

	ck_assert_int_gt(vmmfs_create("/g", 0, FILL_BYTE, 0, NULL, 0), 0);
	fd = open_file("/g", O_RDWR | O_APPEND);
	memset(buf, 0x33, sizeof(buf));
	ck_assert_int_eq(ksys_write(files, fd, buf, 6000), 6000);
	ck_assert_int_eq(ksys_write(files, fd, buf, 2192), 2192);
	ck_assert_int_eq(ksys_write(files, fd, buf, 0), 0);
	inode = lookup_path("/g");
	ck_assert_int_eq(inode->i_size, 8192);
	ck_assert_uint_eq(inode->i_data.nrpages, 2);
	ck_assert_int_eq(do_ftruncate(files, fd, 100), 0);
	ck_assert_uint_eq(inode->i_data.nrpages, 1);
	last = filemap_get_page(&inode->i_data, 0);
	ck_assert_int_eq(((char *)page_address(last))[99], 0x33);
	ck_assert_int_eq(((char *)page_address(last))[100], 0);
	ck_assert_int_eq(do_ftruncate(files, fd, -1), -EINVAL);
	ck_assert_int_eq(do_ftruncate(files, 40, 0), -EBADF);
}
END_TEST

/* Access modes and descriptors, with Linux's errors. */
START_TEST(descriptor_rules)
{
	struct files_struct *child;
	char c;
	long ro, wo;

	ck_assert_int_gt(vmmfs_create("/d", 10, FILL_BYTE, 1, NULL, 0), 0);
	ck_assert_int_eq(open_file("/nothing", O_RDONLY), -ENOENT);
	ck_assert_int_eq(open_file("/d", O_CREAT | O_EXCL), -EEXIST);
	ck_assert_int_eq(open_file("/d", O_ACCMODE), -EINVAL);
	ro = open_file("/d", O_RDONLY);
	wo = open_file("/d", O_WRONLY);
	ck_assert_int_eq(ro, 0);
	ck_assert_int_eq(wo, 1);
	ck_assert_int_eq(ksys_write(files, ro, &c, 1), -EBADF);
	ck_assert_int_eq(ksys_read(files, wo, &c, 1), -EBADF);
	ck_assert_int_eq(do_ftruncate(files, ro, 0), -EINVAL);
	/* fork: the same open files, offsets shared. */
	child = dup_fd(files);
	ck_assert_ptr_nonnull(child);
	ck_assert_int_eq(ksys_read(child, ro, &c, 1), 1);
	ck_assert_int_eq(files->fd[ro]->f_pos, 1);
	ck_assert_int_eq(files->fd[ro]->f_count, 2);
	put_files_struct(child);
	ck_assert_int_eq(files->fd[ro]->f_count, 1);
	ck_assert_int_eq(close_fd(files, ro), 0);
	ck_assert_int_eq(close_fd(files, ro), -EBADF);
	for (int i = 0; i < NR_OPEN_DEFAULT - 1; i++)
		ck_assert_int_ge(open_file("/d", O_RDONLY), 0);
	ck_assert_int_eq(open_file("/d", O_RDONLY), -EMFILE);
}
END_TEST

/* A shmem object's pages, Shmem in the counts, all back to the allocator with its last file. */
/* O_CREAT makes an empty file; unlink takes the name, the last close the pages. */
START_TEST(create_and_unlink)
{
	char buf[16] = "0123456789";
	long fd;

	ck_assert_int_eq(open_file("/c", O_RDWR), -ENOENT);
	fd = open_file("/c", O_RDWR | O_CREAT);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(file_inode(files->fd[fd])->i_size, 0);
	ck_assert_int_eq(file_inode(files->fd[fd])->i_nlink, 1);
	ck_assert_int_eq(open_file("/c", O_RDWR | O_CREAT | O_EXCL), -EEXIST);
	ck_assert_int_eq(ksys_write(files, fd, buf, 10), 10);
	ck_assert_int_eq(vmmfs_unlink("/c"), 0);
	ck_assert_int_eq(vmmfs_unlink("/c"), -ENOENT);
	ck_assert_int_eq(open_file("/c", O_RDONLY), -ENOENT);
	ck_assert_int_eq(file_inode(files->fd[fd])->i_nlink, 0);
	ck_assert_int_eq(file_inode(files->fd[fd])->i_data.nrpages, 1);
	/* The name can be made again: another file. */
	ck_assert_int_ge(open_file("/c", O_RDONLY | O_CREAT), 0);
	ck_assert_int_eq(close_fd(files, fd), 0);
	ck_assert_int_eq(vmmfs_unlink("/c"), 0);
}
END_TEST

/* lseek: each whence, and Linux's errno. */
START_TEST(lseek_whence)
{
	long fd;

	ck_assert_int_gt(vmmfs_create("/s", 100, FILL_BYTE, 7, NULL, 0), 0);
	fd = open_file("/s", O_RDONLY);
	ck_assert_int_eq(ksys_lseek(files, fd, 10, SEEK_SET), 10);
	ck_assert_int_eq(ksys_lseek(files, fd, 5, SEEK_CUR), 15);
	ck_assert_int_eq(ksys_lseek(files, fd, -20, SEEK_CUR), -EINVAL);
	ck_assert_int_eq(files->fd[fd]->f_pos, 15);
	ck_assert_int_eq(ksys_lseek(files, fd, -1, SEEK_END), 99);
	ck_assert_int_eq(ksys_lseek(files, fd, 50, SEEK_END), 150);
	ck_assert_int_eq(ksys_lseek(files, fd, 3, SEEK_DATA), 3);
	ck_assert_int_eq(ksys_lseek(files, fd, 3, SEEK_HOLE), 100);
	ck_assert_int_eq(ksys_lseek(files, fd, 100, SEEK_DATA), -ENXIO);
	ck_assert_int_eq(ksys_lseek(files, fd, -1, SEEK_HOLE), -ENXIO);
	ck_assert_int_eq(ksys_lseek(files, fd, 0, 5), -EINVAL);
	ck_assert_int_eq(ksys_lseek(files, fd, MAX_LFS_FILESIZE + 1, SEEK_SET), -EINVAL);
	ck_assert_int_eq(ksys_lseek(files, fd, LONG_MAX, SEEK_END), -EINVAL);
	ck_assert_int_eq(ksys_lseek(files, fd + 1, 0, SEEK_SET), -EBADF);
}
END_TEST

START_TEST(shmem_object_goes_whole)
{
	struct file *file = shmem_file_setup(64 << 12);
	struct page *page;

	ck_assert_ptr_nonnull(file);
	for (unsigned long i = 0; i < 64; i += 3) {
		page = filemap_grab_page(file->f_mapping, i);
		ck_assert_ptr_nonnull(page);
		ck_assert(PageSwapBacked(page));
		ck_assert_ptr_eq(filemap_grab_page(file->f_mapping, i), page);
	}
	ck_assert_uint_eq(page_cache_stats.shmem, 22);
	ck_assert_uint_eq(page_cache_stats.cached, 22);
	get_file(file);
	fput(file);
	ck_assert_uint_eq(page_cache_stats.cached, 22);
	fput(file);
	ck_assert_uint_eq(page_cache_stats.cached, 0);
	ck_assert_uint_eq(page_cache_stats.shmem, 0);
	drain_all_pages(NULL);
	ck_assert_uint_eq(native_free_pages(), free_at_start);
}
END_TEST

static Suite *filemap_suite(void)
{
	Suite *s = suite_create("filemap");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, native_mm_machine_exit);
	tcase_add_test(tc, fill_kinds);
	tcase_add_test(tc, holes_cost_nothing);
	tcase_add_test(tc, write_grow_truncate);
	tcase_add_test(tc, descriptor_rules);
	tcase_add_test(tc, create_and_unlink);
	tcase_add_test(tc, lseek_whence);
	tcase_add_test(tc, shmem_object_goes_whole);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(filemap_suite)
