/* SPDX-License-Identifier: MIT */
/*
 * What users of an augmented red-black tree need beyond linux/rbtree.h:
 * the colours, for code that checks a tree's rules, and callbacks made to
 * measure for the commonest augmentation, the largest of a per-node value
 * over each subtree.
 */
#ifndef _LINUX_RBTREE_AUGMENTED_H
#define _LINUX_RBTREE_AUGMENTED_H

#include <linux/rbtree.h>

#define RB_RED		0UL
#define RB_BLACK	1UL

static inline unsigned long rb_color(const struct rb_node *node)
{
	return node->__rb_parent_color & RB_BLACK;
}

/* The NULL leaves count as black. */
static inline bool rb_is_black(const struct rb_node *node)
{
	return !node || rb_color(node) == RB_BLACK;
}

static inline bool rb_is_red(const struct rb_node *node)
{
	return !rb_is_black(node);
}

/*
 * RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBTYPE,
 *			    RBAUGMENTED, RBCOMPUTE)
 *
 * Defines struct rb_augment_callbacks RBNAME (RBSTATIC: "static" or
 * nothing) for a tree of RBSTRUCT linked through its struct rb_node
 * RBFIELD, where each node's RBTYPE RBAUGMENTED is the largest
 * RBCOMPUTE(node) in its subtree: a value never below 0, so that an
 * absent subtree can count as 0.  For the user's own updates it also
 * defines:
 *   RBNAME_max(rb)		the largest value in rb's subtree (NULL: 0);
 *   RBNAME_compute(node)	node's value from its own and its children's,
 *				true if that changed it;
 *   RBNAME_propagate(rb, stop)	after RBCOMPUTE() of rb's node changed,
 *				with stop NULL: the path up to the root.
 */
#define RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBTYPE,		\
				 RBAUGMENTED, RBCOMPUTE)				\
static inline RBTYPE RBNAME##_max(const struct rb_node *rb)				\
{											\
	return rb ? rb_entry(rb, RBSTRUCT, RBFIELD)->RBAUGMENTED : 0;			\
}											\
											\
static inline bool RBNAME##_compute(RBSTRUCT *node)					\
{											\
	RBTYPE val = RBCOMPUTE(node);							\
	RBTYPE left = RBNAME##_max(node->RBFIELD.rb_left);				\
	RBTYPE right = RBNAME##_max(node->RBFIELD.rb_right);				\
											\
	val = max(val, max(left, right));						\
	if (node->RBAUGMENTED == val)							\
		return false;								\
	node->RBAUGMENTED = val;							\
	return true;									\
}											\
											\
/* Nothing above a node whose value did not change can change. */			\
static void RBNAME##_propagate(struct rb_node *rb, struct rb_node *stop)		\
{											\
	for (; rb != stop; rb = rb_parent(rb))						\
		if (!RBNAME##_compute(rb_entry(rb, RBSTRUCT, RBFIELD)))			\
			break;								\
}											\
											\
static void RBNAME##_copy(struct rb_node *rb_old, struct rb_node *rb_new)		\
{											\
	rb_entry(rb_new, RBSTRUCT, RBFIELD)->RBAUGMENTED =				\
		rb_entry(rb_old, RBSTRUCT, RBFIELD)->RBAUGMENTED;			\
}											\
											\
/* new heads the nodes old headed; old traded new for one of new's children. */	\
static void RBNAME##_rotate(struct rb_node *rb_old, struct rb_node *rb_new)		\
{											\
	RBNAME##_copy(rb_old, rb_new);							\
	RBNAME##_compute(rb_entry(rb_old, RBSTRUCT, RBFIELD));				\
}											\
											\
RBSTATIC const struct rb_augment_callbacks RBNAME = {					\
	.propagate = RBNAME##_propagate,						\
	.copy = RBNAME##_copy,								\
	.rotate = RBNAME##_rotate,							\
}

#endif
