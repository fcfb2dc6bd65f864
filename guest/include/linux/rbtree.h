/* SPDX-License-Identifier: MIT */
/*
 * Red-black trees (guest/lib/rbtree.c), in Linux's vocabulary: the tree
 * stores no keys and never allocates.  The user embeds a struct rb_node,
 * finds the insertion point itself, links the node with rb_link_node()
 * and then calls rb_insert_color() to rebalance.
 *
 * Augmented trees keep a value per node computed from its subtree (say,
 * the largest free gap below it).  Callbacks keep that value right while
 * rebalancing moves nodes: on insertion the user first updates the value
 * along the path to the new node, then links it and calls
 * rb_insert_augmented(); rb_erase_augmented() does all the updating.
 * linux/rbtree_augmented.h makes the callbacks for a subtree maximum.
 */
#ifndef _LINUX_RBTREE_H
#define _LINUX_RBTREE_H

#include <linux/kernel.h>
#include <linux/types.h>

/* The parent pointer and the colour (bit 0: 1 black, 0 red) share a word. */
struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __aligned(sizeof(long));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT			((struct rb_root){ NULL })
#define rb_entry(ptr, type, member)	container_of(ptr, type, member)
#define RB_EMPTY_ROOT(root)	((root)->rb_node == NULL)

static inline struct rb_node *rb_parent(const struct rb_node *node)
{
	return (struct rb_node *)(node->__rb_parent_color & ~3UL);
}

/* A new node is red, with no children, hanging from parent at *link. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order walks; NULL past either end. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/*
 * propagate(node, stop): recompute node and its ancestors up to, not
 * including, stop (NULL: the root), and may stop early once a value comes
 * out unchanged.  copy(old, new): new takes old's place, value included.
 * rotate(old, new): new took old's place by a rotation, old is now new's
 * child: new gets old's value, old is recomputed.
 */
struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new);
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment);

#endif
