// SPDX-License-Identifier: MIT
/*
 * The VMA tree: the augmented red-black tree of guest/lib/rbtree.c
 * holding an mm's VMAs ordered by address, with mm->mmap_list threading
 * the same VMAs in the same order for walks and O(1) neighbours, so that
 * a free range of a given size is found in O(log n).  Linux kept its VMAs
 * so before 6.1.
 *
 * Invariants (validate_mm() checks each):
 *   - in-order is address order and the order of mmap_list;
 *   - the red-black rules: the root is black, a red node has black
 *     children, and every path from a node down to a leaf meets as many
 *     black nodes, so the height stays within 2 log2(n + 1): 26 for
 *     10,000 VMAs, 31 for 65,530;
 *   - a node's rb_subtree_gap is the largest vma_gap() in its subtree,
 *     where vma_gap(v) is the free space just below v: from the end of
 *     the VMA before it (0 for the first) to vm_start_gap(v), so that the
 *     guard gap below a growsdown VMA counts as used.
 * A node's gap depends on its predecessor in the list: inserting or
 * removing a VMA, or changing its end, also changes its successor's gap,
 * whose path is then recomputed too.  The tree's callbacks recompute gaps
 * from the list as it is while they run, so the tree changes shape only
 * while every stored gap is right for the list of that moment: on
 * insertion the list changes first and the successor is brought up to
 * date before the new node goes in; on removal the node leaves the tree
 * first, then the list.
 */
#include <linux/printk.h>
#include <linux/rbtree_augmented.h>

#include "vma.h"

static inline struct vm_area_struct *vma_of(const struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct vm_area_struct, vm_rb) : NULL;
}

static unsigned long vma_gap(const struct vm_area_struct *v)
{
	const struct vm_area_struct *prev = vma_prev(v);
	unsigned long start = prev ? prev->vm_end : 0;
	unsigned long end = vm_start_gap(v);

	return end > start ? end - start : 0;
}

RB_DECLARE_CALLBACKS_MAX(static, vma_gap_callbacks, struct vm_area_struct, vm_rb,
			 unsigned long, rb_subtree_gap, vma_gap);

/* v's own gap changed: its path up to the root. */
static inline void vma_gap_update(struct vm_area_struct *v)
{
	vma_gap_callbacks_propagate(&v->vm_rb, NULL);
}

void vma_tree_insert(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL, *rb;
	struct vm_area_struct *prev = NULL, *next;
	unsigned long gap;

	while (*link) {
		parent = *link;
		if (vma->vm_start < vma_of(parent)->vm_start) {
			link = &parent->rb_left;
		} else {
			prev = vma_of(parent);
			link = &parent->rb_right;
		}
	}
	/* prev is the in-order predecessor: the last node we went right at. */
	list_add(&vma->vm_list, prev ? &prev->vm_list : &mm->mmap_list);
	next = vma_next(vma);
	if (next)
		vma_gap_update(next);
	/* A new leaf only raises the maxima on its path, and only as far as they are lower. */
	gap = vma_gap(vma);
	vma->rb_subtree_gap = gap;
	for (rb = parent; rb && vma_of(rb)->rb_subtree_gap < gap; rb = rb_parent(rb))
		vma_of(rb)->rb_subtree_gap = gap;
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
}

void vma_tree_erase(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);

	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	list_del(&vma->vm_list);
	if (next)
		vma_gap_update(next);
}

void vma_tree_update(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);

	vma_gap_update(vma);
	if (next)
		vma_gap_update(next);
}

/* ---- lookups ------------------------------------------------------------------- */

/*
 * VMAs do not overlap, so address order is vm_end order as well: the
 * answer is the leftmost node with addr < vm_end.  A VMA that contains
 * addr is that node, and ends the descent early.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *rb = mm->mm_rb.rb_node;
	struct vm_area_struct *v, *found = NULL;

	while (rb) {
		v = vma_of(rb);
		if (addr < v->vm_end) {
			found = v;
			if (addr >= v->vm_start)
				break;
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	return found;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma)
		*pprev = vma_prev(vma);
	else if (list_empty(&mm->mmap_list))
		*pprev = NULL;
	else
		*pprev = list_entry(mm->mmap_list.prev, struct vm_area_struct, vm_list);
	return vma;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	if (vma && end <= vma->vm_start)
		return NULL;
	return vma;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && addr < vma->vm_start)
		return NULL;
	return vma;
}

/* ---- free ranges ------------------------------------------------------------------ */

struct gap_query {
	unsigned long low, high, len;
};

/* The free range below v, clipped to the query, if len fits in it. */
static bool gap_fits(const struct vm_area_struct *v, const struct gap_query *q,
		     unsigned long *lo, unsigned long *hi)
{
	const struct vm_area_struct *prev = vma_prev(v);

	*lo = max(prev ? prev->vm_end : 0, q->low);
	*hi = min(vm_start_gap(v), q->high);
	return *hi > *lo && *hi - *lo >= q->len;
}

/*
 * The VMA with the highest fitting gap below it in v's subtree.  Right
 * to left, skipping subtrees without a gap of len and subtrees above the
 * query; *stop once everything further left must be too low.
 */
static struct vm_area_struct *highest_fit(struct vm_area_struct *v, const struct gap_query *q,
					  bool *stop)
{
	struct vm_area_struct *found;
	unsigned long lo, hi;

	if (!v || v->rb_subtree_gap < q->len)
		return NULL;
	/* Gaps in the right subtree start at v->vm_end or above. */
	if (v->vm_end + q->len <= q->high) {
		found = highest_fit(vma_of(v->vm_rb.rb_right), q, stop);
		if (found || *stop)
			return found;
	}
	if (gap_fits(v, q, &lo, &hi))
		return v;
	/* Gaps further left end below v->vm_start. */
	if (v->vm_start < q->low + q->len) {
		*stop = true;
		return NULL;
	}
	return highest_fit(vma_of(v->vm_rb.rb_left), q, stop);
}

/* The mirror image: left to right, the lowest fitting gap. */
static struct vm_area_struct *lowest_fit(struct vm_area_struct *v, const struct gap_query *q,
					 bool *stop)
{
	struct vm_area_struct *found;
	unsigned long lo, hi;

	if (!v || v->rb_subtree_gap < q->len)
		return NULL;
	if (v->vm_start >= q->low + q->len) {
		found = lowest_fit(vma_of(v->vm_rb.rb_left), q, stop);
		if (found || *stop)
			return found;
	}
	if (gap_fits(v, q, &lo, &hi))
		return v;
	if (v->vm_end + q->len > q->high) {
		*stop = true;
		return NULL;
	}
	return lowest_fit(vma_of(v->vm_rb.rb_right), q, stop);
}

/* The free range above the last VMA, which no node's gap describes. */
static bool top_fits(struct mm_struct *mm, const struct gap_query *q, unsigned long *lo)
{
	unsigned long start = 0;

	if (!list_empty(&mm->mmap_list))
		start = list_entry(mm->mmap_list.prev, struct vm_area_struct, vm_list)->vm_end;
	*lo = max(start, q->low);
	return q->high > *lo && q->high - *lo >= q->len;
}

unsigned long vma_gap_highest(struct mm_struct *mm, unsigned long low, unsigned long high,
			      unsigned long len)
{
	struct gap_query q = { low, high, len };
	struct vm_area_struct *v;
	unsigned long lo, hi;
	bool stop = false;

	if (top_fits(mm, &q, &lo))
		return high - len;
	v = highest_fit(vma_of(mm->mm_rb.rb_node), &q, &stop);
	if (!v)
		return (unsigned long)-ENOMEM;
	gap_fits(v, &q, &lo, &hi);
	return hi - len;
}

unsigned long vma_gap_lowest(struct mm_struct *mm, unsigned long low, unsigned long high,
			     unsigned long len)
{
	struct gap_query q = { low, high, len };
	struct vm_area_struct *v;
	unsigned long lo, hi;
	bool stop = false;

	v = lowest_fit(vma_of(mm->mm_rb.rb_node), &q, &stop);
	if (v) {
		gap_fits(v, &q, &lo, &hi);
		return lo;
	}
	if (top_fits(mm, &q, &lo))
		return lo;
	return (unsigned long)-ENOMEM;
}

/* ---- checking ---------------------------------------------------------------------- */

bool vm_debug_validate;

struct validate_state {
	struct mm_struct *mm;
	struct list_head *cursor;	/* next list entry the in-order walk must meet */
	bool ok;
};

static void invalid(struct validate_state *s, const struct vm_area_struct *v, const char *what)
{
	if (s->ok)
		printk("validate_mm: VMA %lx-%lx: %s\n", v ? v->vm_start : 0UL,
		       v ? v->vm_end : 0UL, what);
	s->ok = false;
}

/*
 * In order: the parent link, the colours, the gap and agreement with the
 * list.  Returns the number of black nodes on every path from rb down to
 * a leaf, the NULL leaf included.
 */
static int validate_node(struct validate_state *s, const struct rb_node *rb,
			 const struct rb_node *parent)
{
	struct vm_area_struct *v = vma_of(rb);
	unsigned long gap;
	int bl, br;

	if (!rb)
		return 1;
	if (rb_parent(rb) != parent)
		invalid(s, v, "wrong parent link");
	if (rb_is_red(rb) && (rb_is_red(rb->rb_left) || rb_is_red(rb->rb_right)))
		invalid(s, v, "red node with a red child");
	bl = validate_node(s, rb->rb_left, rb);
	if (s->cursor != &v->vm_list)
		invalid(s, v, "tree order differs from mmap_list");
	s->cursor = v->vm_list.next;
	br = validate_node(s, rb->rb_right, rb);
	if (bl != br)
		invalid(s, v, "black heights of the subtrees differ");
	gap = max(vma_gap_callbacks_max(rb->rb_left), vma_gap_callbacks_max(rb->rb_right));
	if (v->rb_subtree_gap != max(vma_gap(v), gap))
		invalid(s, v, "wrong rb_subtree_gap");
	return bl + rb_is_black(rb);
}

struct vm_sums {
	unsigned long count, total, locked, data, exec, stack;
};

static void validate_vma(struct validate_state *s, const struct vm_area_struct *v,
			 unsigned long prev_end, struct vm_sums *sum)
{
	unsigned long pages = vma_pages(v);

	if (v->vm_mm != s->mm)
		invalid(s, v, "wrong vm_mm");
	if (v->vm_start >= v->vm_end || offset_in_page(v->vm_start | v->vm_end))
		invalid(s, v, "empty or unaligned");
	if (v->vm_start < prev_end)
		invalid(s, v, "overlaps the VMA before");
	if (v->vm_end > s->mm->task_size)
		invalid(s, v, "beyond task_size");
	if (pgprot_val(v->vm_page_prot) != pgprot_val(vm_get_page_prot(v->vm_flags)))
		invalid(s, v, "vm_page_prot does not match vm_flags");
	sum->count++;
	sum->total += pages;
	if (v->vm_flags & VM_LOCKED)
		sum->locked += pages;
	if (is_exec_mapping(v->vm_flags))
		sum->exec += pages;
	else if (is_stack_mapping(v->vm_flags))
		sum->stack += pages;
	else if (is_data_mapping(v->vm_flags))
		sum->data += pages;
}

bool validate_mm(struct mm_struct *mm)
{
	struct validate_state s = { mm, mm->mmap_list.next, true };
	struct rb_node *root = mm->mm_rb.rb_node;
	struct vm_sums sum = { 0 };
	struct vm_area_struct *v;
	unsigned long prev_end = 0;

	if (rb_is_red(root))
		invalid(&s, vma_of(root), "red root");
	validate_node(&s, root, NULL);
	if (s.cursor != &mm->mmap_list)
		invalid(&s, NULL, "mmap_list longer than the tree");
	for_each_vma(mm, v) {
		validate_vma(&s, v, prev_end, &sum);
		prev_end = v->vm_end;
	}
	if (sum.count != (unsigned long)mm->map_count)
		invalid(&s, NULL, "map_count is not the number of VMAs");
	if (sum.total != mm->total_vm || sum.locked != mm->locked_vm ||
	    sum.data != mm->data_vm || sum.exec != mm->exec_vm || sum.stack != mm->stack_vm)
		invalid(&s, NULL, "page counters do not add up");
	return s.ok;
}

void vma_debug_check(struct mm_struct *mm)
{
	if (vm_debug_validate && !validate_mm(mm))
		BUG();
}
