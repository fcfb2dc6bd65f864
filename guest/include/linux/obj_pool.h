/* SPDX-License-Identifier: MIT */
/*
 * Object pools (guest/mm/vma.c): kmem_cache stand-ins for the objects
 * processes make and drop (VMAs, mms, open files, inodes, page-cache index
 * nodes).  A pool gives its pages back to the page allocator as soon as its
 * last object is freed, so that a process that exits, or a shmem object
 * that goes, leaves no frame behind, as a scenario's buddyinfo can show.
 */
#ifndef _LINUX_OBJ_POOL_H
#define _LINUX_OBJ_POOL_H

#include <linux/kernel.h>
#include <linux/types.h>

struct page;

struct vm_obj_pool {
	size_t size;			/* a multiple of sizeof(void *), at least two of them */
	void *free;			/* free objects, linked through their last word */
	unsigned long nr_pages;		/* pages taken from the page allocator */
	unsigned long in_use;		/* objects handed out */
	struct page *pages;		/* those pages, linked through page->private */
};

#define VM_OBJ_POOL_INIT(type)	{ .size = ALIGN(sizeof(type), sizeof(void *)) }

/* A zeroed object, or NULL if the page allocator has nothing. */
void *vm_obj_alloc(struct vm_obj_pool *pool);
void vm_obj_free(struct vm_obj_pool *pool, void *obj);

#endif
