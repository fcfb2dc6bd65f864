// SPDX-License-Identifier: MIT
/*
 * Red-black trees (see linux/rbtree.h).  The rules, which keep every path
 * from the root to a leaf within twice the length of any other:
 *   1. a node is red or black; the root and the (NULL) leaves are black;
 *   2. a red node has black children;
 *   3. every path from a node down to a leaf meets as many black nodes.
 * Insertion adds a red leaf, which can break only rule 2; erasure can
 * remove a black node, which breaks rule 3 on one side.  Each fix-up
 * recolours its way up the tree and ends with at most three rotations.
 *
 * With an augmented tree every rotation tells the user (rotate), and so
 * do the node moves of erasure (copy, propagate), so that per-subtree
 * values stay right.
 */
#include <linux/rbtree_augmented.h>

static inline void rb_set_color(struct rb_node *node, unsigned long color)
{
	node->__rb_parent_color = (node->__rb_parent_color & ~RB_BLACK) | color;
}

static inline void rb_set_parent(struct rb_node *node, struct rb_node *parent)
{
	node->__rb_parent_color = (unsigned long)parent | rb_color(node);
}

/* new takes old's place under parent (NULL: at the root). */
static inline void change_child(struct rb_node *old, struct rb_node *new, struct rb_node *parent,
				struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/* node goes down to the left, its right child takes its place. */
static void rotate_left(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *aug)
{
	struct rb_node *right = node->rb_right, *parent = rb_parent(node);

	node->rb_right = right->rb_left;
	if (right->rb_left)
		rb_set_parent(right->rb_left, node);
	right->rb_left = node;
	rb_set_parent(right, parent);
	change_child(node, right, parent, root);
	rb_set_parent(node, right);
	if (aug)
		aug->rotate(node, right);
}

/* node goes down to the right, its left child takes its place. */
static void rotate_right(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *aug)
{
	struct rb_node *left = node->rb_left, *parent = rb_parent(node);

	node->rb_left = left->rb_right;
	if (left->rb_right)
		rb_set_parent(left->rb_right, node);
	left->rb_right = node;
	rb_set_parent(left, parent);
	change_child(node, left, parent, root);
	rb_set_parent(node, left);
	if (aug)
		aug->rotate(node, left);
}

/*
 * node is red; while its parent is red too (so not the root, and the
 * grandparent is black): a red uncle lets the grandparent turn red and the
 * problem move up two levels; a black one ends it with one or two
 * rotations about the grandparent.
 */
static void insert_fixup(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *aug)
{
	struct rb_node *parent, *gparent, *uncle;

	while ((parent = rb_parent(node)) && rb_is_red(parent)) {
		gparent = rb_parent(parent);
		uncle = parent == gparent->rb_left ? gparent->rb_right : gparent->rb_left;
		if (rb_is_red(uncle)) {
			rb_set_color(parent, RB_BLACK);
			rb_set_color(uncle, RB_BLACK);
			rb_set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}
		if (parent == gparent->rb_left) {
			if (node == parent->rb_right) {
				rotate_left(parent, root, aug);
				parent = node;
			}
			rotate_right(gparent, root, aug);
		} else {
			if (node == parent->rb_left) {
				rotate_right(parent, root, aug);
				parent = node;
			}
			rotate_left(gparent, root, aug);
		}
		rb_set_color(parent, RB_BLACK);
		rb_set_color(gparent, RB_RED);
		break;
	}
	rb_set_color(root->rb_node, RB_BLACK);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	insert_fixup(node, root, NULL);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment)
{
	insert_fixup(node, root, augment);
}

/*
 * A black node left the subtree at parent's child slot node (NULL: a
 * leaf), which is one black short.  A red sibling is first rotated up, so
 * that the sibling is black; a sibling with two black children turns red
 * and the shortage moves up to parent; otherwise one or two rotations
 * lend node's side a black node and end it.
 */
static void erase_fixup(struct rb_node *parent, struct rb_root *root,
			const struct rb_augment_callbacks *aug)
{
	struct rb_node *node = NULL, *sibling;
	bool left;

	while (parent && rb_is_black(node)) {
		left = node == parent->rb_left;
		sibling = left ? parent->rb_right : parent->rb_left;
		if (rb_is_red(sibling)) {
			rb_set_color(sibling, RB_BLACK);
			rb_set_color(parent, RB_RED);
			if (left)
				rotate_left(parent, root, aug);
			else
				rotate_right(parent, root, aug);
			sibling = left ? parent->rb_right : parent->rb_left;
		}
		if (rb_is_black(sibling->rb_left) && rb_is_black(sibling->rb_right)) {
			rb_set_color(sibling, RB_RED);
			node = parent;
			parent = rb_parent(node);
			continue;
		}
		if (left && rb_is_black(sibling->rb_right)) {
			rb_set_color(sibling->rb_left, RB_BLACK);
			rb_set_color(sibling, RB_RED);
			rotate_right(sibling, root, aug);
			sibling = parent->rb_right;
		} else if (!left && rb_is_black(sibling->rb_left)) {
			rb_set_color(sibling->rb_right, RB_BLACK);
			rb_set_color(sibling, RB_RED);
			rotate_left(sibling, root, aug);
			sibling = parent->rb_left;
		}
		rb_set_color(sibling, rb_color(parent));
		rb_set_color(parent, RB_BLACK);
		if (left) {
			rb_set_color(sibling->rb_right, RB_BLACK);
			rotate_left(parent, root, aug);
		} else {
			rb_set_color(sibling->rb_left, RB_BLACK);
			rotate_right(parent, root, aug);
		}
		node = root->rb_node;
		break;
	}
	if (node)
		rb_set_color(node, RB_BLACK);
}

/*
 * A node with two children is replaced by its successor (the leftmost
 * node of its right subtree, which has no left child), so what leaves the
 * tree structurally is always a node with at most one child.  A single
 * child is red and its parent black: the child takes the place and turns
 * black, and nothing is short.
 */
static void erase(struct rb_node *node, struct rb_root *root,
		  const struct rb_augment_callbacks *aug)
{
	struct rb_node *child, *parent, *succ;
	bool short_black;

	if (!node->rb_left || !node->rb_right) {
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = rb_parent(node);
		change_child(node, child, parent, root);
		short_black = rb_is_black(node) && !child;
		if (child)
			child->__rb_parent_color = node->__rb_parent_color;
		if (aug && parent)
			aug->propagate(parent, NULL);
	} else {
		succ = node->rb_right;
		while (succ->rb_left)
			succ = succ->rb_left;
		child = succ->rb_right;
		short_black = rb_is_black(succ) && !child;
		if (succ == node->rb_right) {
			parent = succ;
		} else {
			parent = rb_parent(succ);
			parent->rb_left = child;
			if (child)
				rb_set_parent(child, parent);
			succ->rb_right = node->rb_right;
			rb_set_parent(node->rb_right, succ);
		}
		succ->rb_left = node->rb_left;
		rb_set_parent(node->rb_left, succ);
		change_child(node, succ, rb_parent(node), root);
		succ->__rb_parent_color = node->__rb_parent_color;
		if (child)
			rb_set_color(child, RB_BLACK);
		if (aug) {
			aug->copy(node, succ);
			if (parent != succ)
				aug->propagate(parent, succ);
			aug->propagate(succ, NULL);
		}
	}
	if (short_black)
		erase_fixup(parent, root, aug);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	erase(node, root, NULL);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment)
{
	erase(node, root, augment);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (n)
		while (n->rb_left)
			n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (n)
		while (n->rb_right)
			n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}
