// SPDX-License-Identifier: MIT
/*
 * The page cache's index (linux/xarray.h): a radix tree of 64-slot nodes.
 * A lookup is one step per 6 bits of the highest index stored: a file of
 * up to 256 KiB takes one node, up to 16 MiB two levels.  Nodes come from
 * a pool of their own (Linux: radix_tree_node_cachep).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/obj_pool.h>
#include <linux/xarray.h>

/* The largest index the tree can hold with its current height. */
static unsigned long xa_max_index(const struct xarray *xa)
{
	const struct xa_node *node = xa->xa_head;
	unsigned int bits;

	if (!xa->xa_head_is_node)
		return 0;
	bits = node->shift + XA_CHUNK_SHIFT;
	return bits >= 8 * sizeof(long) ? ~0UL : (1UL << bits) - 1;
}

static struct vm_obj_pool xa_node_pool = VM_OBJ_POOL_INIT(struct xa_node);

static struct xa_node *xa_node_alloc(struct xarray *xa, unsigned int shift, gfp_t gfp)
{
	struct xa_node *node;

	(void)gfp;	/* the pool's pages are GFP_KERNEL */
	node = vm_obj_alloc(&xa_node_pool);

	if (node) {
		node->shift = shift;
		xa->xa_nodes++;
	}
	return node;
}

static void xa_node_free(struct xarray *xa, struct xa_node *node)
{
	xa->xa_nodes--;
	vm_obj_free(&xa_node_pool, node);
}

void xa_node_pool_usage(unsigned long *pages, unsigned long *nodes)
{
	*pages = xa_node_pool.nr_pages;
	*nodes = xa_node_pool.in_use;
}

void *xa_load(const struct xarray *xa, unsigned long index)
{
	const struct xa_node *node;

	if (!xa->xa_head_is_node)
		return index ? NULL : xa->xa_head;
	if (index > xa_max_index(xa))
		return NULL;
	node = xa->xa_head;
	for (;;) {
		void *entry = node->slots[(index >> node->shift) & XA_CHUNK_MASK];

		if (!node->shift || !entry)
			return entry;
		node = entry;
	}
}

/*
 * Adds a level above the head: the old head (node or entry 0) becomes slot
 * 0.  An empty array starts at the height index needs.
 */
static int xa_expand(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	unsigned int shift = 0;
	struct xa_node *node;

	if (xa->xa_head_is_node)
		shift = ((struct xa_node *)xa->xa_head)->shift + XA_CHUNK_SHIFT;
	else if (!xa->xa_head)
		while (shift + XA_CHUNK_SHIFT < 8 * sizeof(long) && index >> (shift + XA_CHUNK_SHIFT))
			shift += XA_CHUNK_SHIFT;
	node = xa_node_alloc(xa, shift, gfp);

	if (!node)
		return -ENOMEM;
	if (xa->xa_head) {
		node->slots[0] = xa->xa_head;
		node->count = 1;
		if (xa->xa_head_is_node)
			((struct xa_node *)xa->xa_head)->parent = node;
	}
	xa->xa_head = node;
	xa->xa_head_is_node = true;
	return 0;
}

/* Drops node, empty now, and every ancestor it leaves empty. */
static void xa_delete_empty(struct xarray *xa, struct xa_node *node)
{
	while (node && !node->count) {
		struct xa_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			xa->xa_head = NULL;
			xa->xa_head_is_node = false;
		}
		xa_node_free(xa, node);
		node = parent;
	}
}

/* While the head holds only slot 0, slot 0 can be the head (Linux's xas_shrink()). */
static void xa_shrink(struct xarray *xa)
{
	while (xa->xa_head_is_node) {
		struct xa_node *node = xa->xa_head;

		if (node->count != 1 || !node->slots[0])
			return;
		xa->xa_head = node->slots[0];
		xa->xa_head_is_node = node->shift != 0;
		if (xa->xa_head_is_node)
			((struct xa_node *)xa->xa_head)->parent = NULL;
		xa_node_free(xa, node);
	}
}

int xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct xa_node *node;
	void **slot;

	if (!entry) {
		xa_erase(xa, index);
		return 0;
	}
	if (!index && !xa->xa_head_is_node) {
		xa->xa_head = entry;
		return 0;
	}
	while (index > xa_max_index(xa) || !xa->xa_head_is_node)
		if (xa_expand(xa, index, gfp))
			goto fail;
	node = xa->xa_head;
	for (;;) {
		unsigned int offset = (index >> node->shift) & XA_CHUNK_MASK;
		struct xa_node *child;

		slot = &node->slots[offset];
		if (!node->shift)
			break;
		if (!*slot) {
			child = xa_node_alloc(xa, node->shift - XA_CHUNK_SHIFT, gfp);
			if (!child) {
				xa_delete_empty(xa, node);
				goto fail;
			}
			child->parent = node;
			child->offset = offset;
			*slot = child;
			node->count++;
		}
		node = *slot;
	}
	if (!*slot)
		node->count++;
	*slot = entry;
	return 0;
fail:
	/* Only empty nodes and levels were added: drop them so nothing changed. */
	xa_shrink(xa);
	return -ENOMEM;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	struct xa_node *node;
	void *entry;

	if (!xa->xa_head_is_node) {
		if (index)
			return NULL;
		entry = xa->xa_head;
		xa->xa_head = NULL;
		return entry;
	}
	if (index > xa_max_index(xa))
		return NULL;
	node = xa->xa_head;
	for (;;) {
		unsigned int offset = (index >> node->shift) & XA_CHUNK_MASK;

		entry = node->slots[offset];
		if (!entry)
			return NULL;
		if (!node->shift) {
			node->slots[offset] = NULL;
			node->count--;
			xa_delete_empty(xa, node);
			xa_shrink(xa);
			return entry;
		}
		node = entry;
	}
}

/* The first entry at or after *index under node, which covers *index. */
static void *xa_node_find(const struct xa_node *node, unsigned long *index, unsigned long max)
{
	unsigned int offset = (*index >> node->shift) & XA_CHUNK_MASK;

	for (; offset < XA_CHUNK_SIZE; offset++) {
		void *entry = node->slots[offset];
		unsigned long base = *index & ~((XA_CHUNK_SIZE << node->shift) - 1);
		unsigned long first = base + ((unsigned long)offset << node->shift);

		if (first > max)
			return NULL;
		if (!entry)
			continue;
		if (first > *index)
			*index = first;
		if (!node->shift)
			return entry;
		entry = xa_node_find(entry, index, max);
		if (entry)
			return entry;
		/* The child had nothing more: on from the start of the next slot. */
		if (offset == XA_CHUNK_MASK && first + (1UL << node->shift) == 0)
			return NULL;
		*index = first + (1UL << node->shift);
	}
	return NULL;
}

void *xa_find(const struct xarray *xa, unsigned long *index, unsigned long max)
{
	if (*index > max)
		return NULL;
	if (!xa->xa_head_is_node)
		return !*index && xa->xa_head ? xa->xa_head : NULL;
	if (*index > xa_max_index(xa))
		return NULL;
	return xa_node_find(xa->xa_head, index, min(max, xa_max_index(xa)));
}

static void xa_destroy_node(struct xarray *xa, struct xa_node *node)
{
	if (node->shift)
		for (unsigned int i = 0; i < XA_CHUNK_SIZE; i++)
			if (node->slots[i])
				xa_destroy_node(xa, node->slots[i]);
	xa_node_free(xa, node);
}

void xa_destroy(struct xarray *xa)
{
	if (xa->xa_head_is_node)
		xa_destroy_node(xa, xa->xa_head);
	xa->xa_head = NULL;
	xa->xa_head_is_node = false;
}
