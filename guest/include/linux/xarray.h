/* SPDX-License-Identifier: MIT */
/*
 * An index from unsigned long to pointer, in Linux's xarray's shape (a
 * radix tree of 64-slot nodes that grows upward as larger indices arrive
 * and shrinks as nodes empty): the page cache's index from a file's page
 * offset to its struct page (guest/mm/filemap.c).  Entries are non-NULL
 * pointers; storing NULL erases.  Nodes come from an object pool
 * (linux/obj_pool.h).
 */
#ifndef _LINUX_XARRAY_H
#define _LINUX_XARRAY_H

#include <linux/gfp.h>
#include <linux/types.h>

#define XA_CHUNK_SHIFT	6
#define XA_CHUNK_SIZE	(1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK	(XA_CHUNK_SIZE - 1)

struct xa_node {
	unsigned char shift;		/* bits of the index below this node's slots */
	unsigned char offset;		/* our slot in the parent */
	unsigned char count;		/* slots in use */
	struct xa_node *parent;		/* NULL: the head */
	void *slots[XA_CHUNK_SIZE];
};

struct xarray {
	/* A node, or with no node yet the entry at index 0 (NULL: empty). */
	void *xa_head;
	/* Whether xa_head is a node: an entry is any pointer, so the tag lives here. */
	bool xa_head_is_node;
	unsigned long xa_nodes;		/* nodes allocated, for tests and accounting */
};

#define XARRAY_INIT	{ NULL, false, 0 }

static inline void xa_init(struct xarray *xa)
{
	*xa = (struct xarray)XARRAY_INIT;
}

static inline bool xa_empty(const struct xarray *xa)
{
	return !xa->xa_head;
}

/* The entry at index, or NULL. */
/* The pages all nodes take from the page allocator, and the nodes in use, of every xarray. */
void xa_node_pool_usage(unsigned long *pages, unsigned long *nodes);

void *xa_load(const struct xarray *xa, unsigned long index);
/* Stores entry at index (NULL erases): 0, or -ENOMEM with the array unchanged. */
int xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
/* Removes the entry at index and returns it (or NULL). */
void *xa_erase(struct xarray *xa, unsigned long index);
/*
 * The first entry at an index in [*index, max], with *index set to it;
 * NULL if there is none (*index is then unspecified).
 */
void *xa_find(const struct xarray *xa, unsigned long *index, unsigned long max);
/* Frees every node; the entries are the caller's, and must have been erased or be unreachable. */
void xa_destroy(struct xarray *xa);

#endif
