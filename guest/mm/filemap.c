// SPDX-License-Identifier: MIT
/*
 * The page cache (Linux's mm/filemap.c and mm/truncate.c): each inode's
 * pages indexed by their offset in the file (linux/xarray.h), read() and
 * write() through them, and truncation.
 *
 * A page in the cache has page->mapping and page->index set and holds one
 * reference for the cache; every PTE mapping it holds one more and a
 * mapcount.  So a page-cache page is never free while it is in the cache,
 * and it leaves the cache only after every PTE mapping it is gone
 * (truncate unmaps first).  Pages of shmem objects carry PG_swapbacked,
 * which makes them Shmem rather than file pages in every count.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/page-flags.h>
#include <linux/pgtable_ops.h>
#include <string.h>

struct page_cache_stats page_cache_stats;

struct page *filemap_get_page(struct address_space *mapping, unsigned long index)
{
	return xa_load(&mapping->i_pages, index);
}

struct page *filemap_grab_page(struct address_space *mapping, unsigned long index)
{
	struct page *page = filemap_get_page(mapping, index);

	if (page)
		return page;
	page = alloc_page(GFP_USER | __GFP_ZERO);
	if (!page)
		return NULL;
	if (xa_store(&mapping->i_pages, index, page, GFP_KERNEL)) {
		__free_page(page);
		return NULL;
	}
	page->mapping = mapping;
	page->index = index;
	if (mapping->host->i_shmem) {
		SetPageSwapBacked(page);
		page_cache_stats.shmem++;
	}
	mapping->nrpages++;
	page_cache_stats.cached++;
	return page;
}

/*
 * Linux's folio_mark_dirty() for a page-cache page.  Shmem pages have
 * nothing to be written back to: dirty, but not counted (Linux's Dirty
 * leaves them out too).
 */
void set_page_dirty(struct page *page)
{
	if (PageDirty(page))
		return;
	SetPageDirty(page);
	if (!PageSwapBacked(page))
		page_cache_stats.dirty++;
}

/* Writeback, which for pages held only in memory is just the bookkeeping. */
void clear_page_dirty(struct page *page)
{
	if (!PageDirty(page))
		return;
	ClearPageDirty(page);
	if (!PageSwapBacked(page))
		page_cache_stats.dirty--;
}

/* Out of the cache; the caller has unmapped it everywhere.  Drops the cache's reference. */
static void delete_from_page_cache(struct address_space *mapping, struct page *page)
{
	xa_erase(&mapping->i_pages, page->index);
	clear_page_dirty(page);
	if (PageSwapBacked(page)) {
		ClearPageSwapBacked(page);
		page_cache_stats.shmem--;
	}
	page->mapping = NULL;
	page->index = 0;
	mapping->nrpages--;
	page_cache_stats.cached--;
	__free_page(page);
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	unsigned long index = (unsigned long)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
	struct page *page;

	/* The page holding the new end keeps its head; its tail reads as zeros again. */
	if (lstart & ~PAGE_MASK) {
		page = filemap_get_page(mapping, lstart >> PAGE_SHIFT);
		if (page)
			memset((char *)page_address(page) + (lstart & ~PAGE_MASK), 0,
			       PAGE_SIZE - (lstart & ~PAGE_MASK));
	}
	while ((page = xa_find(&mapping->i_pages, &index, ~0UL))) {
		delete_from_page_cache(mapping, page);
		index++;
	}
	if (xa_empty(&mapping->i_pages))
		xa_destroy(&mapping->i_pages);
}

/*
 * Linux's truncate_setsize() and truncate_pagecache(): the PTEs of every
 * mapping past the new end go first, private copies too (nothing may be
 * visible past the end of a file), then the pages; an access there is
 * then SIGBUS.
 */
void truncate_setsize(struct inode *inode, loff_t newsize)
{
	loff_t oldsize = inode->i_size;
	unsigned long holebegin = (unsigned long)((newsize + PAGE_SIZE - 1) >> PAGE_SHIFT);

	inode->i_size = newsize;
	if (newsize >= oldsize)
		return;
	unmap_mapping_range(&inode->i_data, holebegin, ~0UL);
	truncate_inode_pages(&inode->i_data, newsize);
}

long generic_file_read(struct file *file, char *buf, size_t count, loff_t *pos)
{
	struct inode *inode = file_inode(file);
	size_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	while (done < count && *pos < inode->i_size) {
		unsigned long off = *pos & ~PAGE_MASK;
		size_t n = min3(count - done, PAGE_SIZE - off, (size_t)(inode->i_size - *pos));
		struct page *page = filemap_grab_page(file->f_mapping, *pos >> PAGE_SHIFT);

		if (!page)
			return done ? (long)done : -ENOMEM;
		if (copy_to_user(buf + done, (char *)page_address(page) + off, n))
			return done ? (long)done : -EFAULT;
		SetPageReferenced(page);
		done += n;
		*pos += n;
	}
	return (long)done;
}

long generic_file_write(struct file *file, const char *buf, size_t count, loff_t *pos)
{
	struct inode *inode = file_inode(file);
	size_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	if (*pos >= MAX_LFS_FILESIZE)
		return count ? -EFBIG : 0;
	count = min(count, (size_t)(MAX_LFS_FILESIZE - *pos));
	while (done < count) {
		unsigned long off = *pos & ~PAGE_MASK;
		size_t n = min(count - done, PAGE_SIZE - off);
		struct page *page = filemap_grab_page(file->f_mapping, *pos >> PAGE_SHIFT);

		if (!page)
			return done ? (long)done : -ENOMEM;
		if (copy_from_user((char *)page_address(page) + off, buf + done, n))
			return done ? (long)done : -EFAULT;
		set_page_dirty(page);
		done += n;
		*pos += n;
		if (*pos > inode->i_size)
			inode->i_size = *pos;
	}
	return (long)done;
}

void filemap_write_and_wait_range(struct address_space *mapping, unsigned long first,
				  unsigned long last)
{
	unsigned long index = first;
	struct page *page;

	mapping_mkclean(mapping, first, last);
	while ((page = xa_find(&mapping->i_pages, &index, last))) {
		clear_page_dirty(page);
		if (index++ == last)
			break;
	}
}

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	(void)vma;	/* faults find the pages through vma->vm_file */
	return 0;
}

const struct file_operations generic_file_operations = {
	.read = generic_file_read,
	.write = generic_file_write,
	.mmap = generic_file_mmap,
};
