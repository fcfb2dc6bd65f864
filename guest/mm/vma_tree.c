// SPDX-License-Identifier: MIT
/*
 * The VMA tree: an AVL tree of an mm's VMAs ordered by address, with
 * mm->mmap_list threading the same VMAs in the same order for walks and
 * O(1) neighbours, augmented so that a free range of a given size is
 * found in O(log n).
 *
 * Invariants (validate_mm() checks each):
 *   - in-order is address order and the order of mmap_list;
 *   - a node's height is 1 + the larger of its children's, and the two
 *     children's heights differ by at most one, so the height stays below
 *     1.45 log2(n + 2): about 20 for 10,000 VMAs, 24 for 65,530;
 *   - a node's subtree_gap is the largest vma_gap() in its subtree, where
 *     vma_gap(v) is the free space just below v: from the end of the VMA
 *     before it (0 for the first) to vm_start_gap(v), so that the guard
 *     gap below a growsdown VMA counts as used.
 * A node's gap depends on its predecessor: changing a VMA's end, or
 * inserting or removing one, also changes its successor's gap, so the
 * successor's path is recomputed too.  A walk up stops at the first node
 * whose height and subtree_gap come out as they were (and that was not
 * rotated): nothing above it can change.  O(log n) at worst, a level or
 * two in the common case.
 */
#include <linux/printk.h>

#include "vma.h"

static inline int height(const struct vm_area_struct *v)
{
	return v ? v->vm_rb.height : 0;
}

static inline unsigned long subtree_gap(const struct vm_area_struct *v)
{
	return v ? v->vm_rb.subtree_gap : 0;
}

static unsigned long vma_gap(const struct vm_area_struct *v)
{
	const struct vm_area_struct *prev = vma_prev(v);
	unsigned long start = prev ? prev->vm_end : 0;
	unsigned long end = vm_start_gap(v);

	return end > start ? end - start : 0;
}

/* Height and subtree_gap from the children; true if either changed. */
static bool recompute(struct vm_area_struct *v)
{
	struct vm_area_struct *l = v->vm_rb.left, *r = v->vm_rb.right;
	int h = 1 + max(height(l), height(r));
	unsigned long gap = max(vma_gap(v), max(subtree_gap(l), subtree_gap(r)));
	bool changed = h != v->vm_rb.height || gap != v->vm_rb.subtree_gap;

	v->vm_rb.height = h;
	v->vm_rb.subtree_gap = gap;
	return changed;
}

/* parent (or the root, if parent is NULL) points at new instead of old. */
static void replace_child(struct mm_struct *mm, struct vm_area_struct *parent,
			  struct vm_area_struct *old, struct vm_area_struct *new)
{
	if (!parent)
		mm->mm_rb = new;
	else if (parent->vm_rb.left == old)
		parent->vm_rb.left = new;
	else
		parent->vm_rb.right = new;
	if (new)
		new->vm_rb.parent = parent;
}

/* x's right child takes x's place, x becomes its left child. */
static struct vm_area_struct *rotate_left(struct mm_struct *mm, struct vm_area_struct *x)
{
	struct vm_area_struct *y = x->vm_rb.right;

	replace_child(mm, x->vm_rb.parent, x, y);
	x->vm_rb.right = y->vm_rb.left;
	if (x->vm_rb.right)
		x->vm_rb.right->vm_rb.parent = x;
	y->vm_rb.left = x;
	x->vm_rb.parent = y;
	recompute(x);
	recompute(y);
	return y;
}

static struct vm_area_struct *rotate_right(struct mm_struct *mm, struct vm_area_struct *x)
{
	struct vm_area_struct *y = x->vm_rb.left;

	replace_child(mm, x->vm_rb.parent, x, y);
	x->vm_rb.left = y->vm_rb.right;
	if (x->vm_rb.left)
		x->vm_rb.left->vm_rb.parent = x;
	y->vm_rb.right = x;
	x->vm_rb.parent = y;
	recompute(x);
	recompute(y);
	return y;
}

/*
 * Heights, balance and gaps from v towards the root, after v's subtree
 * changed shape.  Every node's stored values must be what its parent
 * last saw at that place, so that "unchanged" means "nothing above
 * needs to look".
 */
static void rebalance_up(struct mm_struct *mm, struct vm_area_struct *v)
{
	for (; v; v = v->vm_rb.parent) {
		struct vm_area_struct *l, *r;
		bool changed = recompute(v);

		l = v->vm_rb.left;
		r = v->vm_rb.right;
		if (height(l) > height(r) + 1) {
			if (height(l->vm_rb.left) < height(l->vm_rb.right))
				rotate_left(mm, l);
			v = rotate_right(mm, v);
			changed = true;
		} else if (height(r) > height(l) + 1) {
			if (height(r->vm_rb.right) < height(r->vm_rb.left))
				rotate_right(mm, r);
			v = rotate_left(mm, v);
			changed = true;
		}
		if (!changed)
			return;
	}
}

/* Gaps from v towards the root, after v's own gap changed (the shape did not). */
static void propagate_up(struct vm_area_struct *v)
{
	while (v && recompute(v))
		v = v->vm_rb.parent;
}

void vma_tree_insert(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct **link = &mm->mm_rb, *parent = NULL, *prev = NULL;
	struct vm_area_struct *next;

	while (*link) {
		parent = *link;
		if (vma->vm_start < parent->vm_start) {
			link = &parent->vm_rb.left;
		} else {
			prev = parent;
			link = &parent->vm_rb.right;
		}
	}
	/* Height 0 is no real height: the leaf counts as changed, and its parent is looked at. */
	vma->vm_rb = (struct vma_tree_links){ .parent = parent };
	*link = vma;
	/* prev is the in-order predecessor: the last node we went right at. */
	list_add(&vma->vm_list, prev ? &prev->vm_list : &mm->mmap_list);
	rebalance_up(mm, vma);
	next = vma_next(vma);
	if (next)
		propagate_up(next);
}

void vma_tree_erase(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);
	struct vm_area_struct *l = vma->vm_rb.left, *r = vma->vm_rb.right;
	struct vm_area_struct *from;

	list_del(&vma->vm_list);
	if (!l || !r) {
		from = vma->vm_rb.parent;
		replace_child(mm, from, vma, l ? l : r);
	} else {
		/*
		 * The successor, leftmost in the right subtree, takes vma's
		 * place, and its values: those are what vma's parent saw.
		 */
		next->vm_rb.height = vma->vm_rb.height;
		next->vm_rb.subtree_gap = vma->vm_rb.subtree_gap;
		if (next == r) {
			from = next;
		} else {
			from = next->vm_rb.parent;
			from->vm_rb.left = next->vm_rb.right;
			if (next->vm_rb.right)
				next->vm_rb.right->vm_rb.parent = from;
			next->vm_rb.right = r;
			r->vm_rb.parent = next;
		}
		next->vm_rb.left = l;
		l->vm_rb.parent = next;
		replace_child(mm, vma->vm_rb.parent, vma, next);
	}
	rebalance_up(mm, from);
	if (next)
		propagate_up(next);
}

void vma_tree_update(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);

	propagate_up(vma);
	if (next)
		propagate_up(next);
}

/* ---- lookups ------------------------------------------------------------------- */

/*
 * VMAs do not overlap, so address order is vm_end order as well: the
 * answer is the leftmost node with addr < vm_end.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *v = mm->mm_rb, *found = NULL;

	while (v) {
		if (addr < v->vm_end) {
			found = v;
			v = v->vm_rb.left;
		} else {
			v = v->vm_rb.right;
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

	if (!v || v->vm_rb.subtree_gap < q->len)
		return NULL;
	/* Gaps in the right subtree start at v->vm_end or above. */
	if (v->vm_end + q->len <= q->high) {
		found = highest_fit(v->vm_rb.right, q, stop);
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
	return highest_fit(v->vm_rb.left, q, stop);
}

/* The mirror image: left to right, the lowest fitting gap. */
static struct vm_area_struct *lowest_fit(struct vm_area_struct *v, const struct gap_query *q,
					 bool *stop)
{
	struct vm_area_struct *found;
	unsigned long lo, hi;

	if (!v || v->vm_rb.subtree_gap < q->len)
		return NULL;
	if (v->vm_start >= q->low + q->len) {
		found = lowest_fit(v->vm_rb.left, q, stop);
		if (found || *stop)
			return found;
	}
	if (gap_fits(v, q, &lo, &hi))
		return v;
	if (v->vm_end + q->len > q->high) {
		*stop = true;
		return NULL;
	}
	return lowest_fit(v->vm_rb.right, q, stop);
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
	v = highest_fit(mm->mm_rb, &q, &stop);
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

	v = lowest_fit(mm->mm_rb, &q, &stop);
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

/* In order: children, links, height, balance, gap, and agreement with the list. */
static int validate_node(struct validate_state *s, struct vm_area_struct *v,
			 struct vm_area_struct *parent)
{
	struct vm_area_struct *l, *r;
	int hl, hr;

	if (!v)
		return 0;
	l = v->vm_rb.left;
	r = v->vm_rb.right;
	if (v->vm_rb.parent != parent)
		invalid(s, v, "wrong parent link");
	hl = validate_node(s, l, v);
	if (s->cursor != &v->vm_list)
		invalid(s, v, "tree order differs from mmap_list");
	s->cursor = v->vm_list.next;
	hr = validate_node(s, r, v);
	if (v->vm_rb.height != 1 + max(hl, hr))
		invalid(s, v, "wrong height");
	if (hl > hr + 1 || hr > hl + 1)
		invalid(s, v, "unbalanced");
	if (v->vm_rb.subtree_gap != max(vma_gap(v), max(subtree_gap(l), subtree_gap(r))))
		invalid(s, v, "wrong subtree_gap");
	return v->vm_rb.height;
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
	struct vm_sums sum = { 0 };
	struct vm_area_struct *v;
	unsigned long prev_end = 0;

	if (mm->mm_rb && mm->mm_rb->vm_rb.parent)
		invalid(&s, mm->mm_rb, "root has a parent");
	validate_node(&s, mm->mm_rb, NULL);
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
