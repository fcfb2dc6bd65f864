// SPDX-License-Identifier: MIT
/*
 * The VMA tree and its merge/split rules, natively (the guest's
 * guest/mm/vma.c and vma_tree.c compiled as host C: one source for the
 * guest and these tests), after Linux's tools/testing/vma: merge with
 * none/prev/next/both and the exact start, end, pgoff and map_count after
 * every step; special flags never merge; a VMA cloned at fork does not
 * merge on the strength of the clone; a failed allocation inside any
 * operation leaves the tree exactly as it was.  Also find_vma() and
 * friends at their edges, and the tree's balance and gaps under thousands
 * of insertions and removals.
 *
 * B is BASE (0x10000000); a private anonymous VMA at a has pgoff a >> 12.
 */
#include <stdlib.h>

#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rbtree_augmented.h>

#include "mm_test.h"

#define B	BASE

/* ---- lookups -------------------------------------------------------------------- */

START_TEST(test_find_vma_empty)
{
	struct vm_area_struct *prev = (void *)1;

	ck_assert_ptr_null(find_vma(mm, 0));
	ck_assert_ptr_null(find_vma(mm, B));
	ck_assert_ptr_null(find_vma_prev(mm, B, &prev));
	ck_assert_ptr_null(prev);
	ck_assert_ptr_null(find_vma_intersection(mm, 0, TASK_SIZE));
	ck_assert_ptr_null(vma_lookup(mm, B));
}
END_TEST

START_TEST(test_find_vma_edges)
{
	struct vm_area_struct *a, *c, *prev;

	map_at(B, 2 * PG, RW);
	map_at(B + 4 * PG, 2 * PG, PROT_READ);
	a = find_vma(mm, B);
	c = find_vma(mm, B + 4 * PG);
	ck_assert_uint_eq(a->vm_start, B);
	ck_assert_uint_eq(c->vm_start, B + 4 * PG);
	/* The first VMA with addr < vm_end: below, inside, at vm_end, in a gap, beyond. */
	ck_assert_ptr_eq(find_vma(mm, 0), a);
	ck_assert_ptr_eq(find_vma(mm, B + 2 * PG - 1), a);
	ck_assert_ptr_eq(find_vma(mm, B + 2 * PG), c);
	ck_assert_ptr_eq(find_vma(mm, B + 3 * PG), c);
	ck_assert_ptr_eq(find_vma(mm, B + 6 * PG - 1), c);
	ck_assert_ptr_null(find_vma(mm, B + 6 * PG));
	ck_assert_ptr_null(find_vma(mm, ~0UL));
	/* find_vma_prev: the VMA before the answer, or the last one. */
	ck_assert_ptr_eq(find_vma_prev(mm, B, &prev), a);
	ck_assert_ptr_null(prev);
	ck_assert_ptr_eq(find_vma_prev(mm, B + 3 * PG, &prev), c);
	ck_assert_ptr_eq(prev, a);
	ck_assert_ptr_eq(find_vma_prev(mm, B + 2 * PG, &prev), c);
	ck_assert_ptr_eq(prev, a);
	ck_assert_ptr_null(find_vma_prev(mm, B + 6 * PG, &prev));
	ck_assert_ptr_eq(prev, c);
	/* find_vma_intersection: half-open ranges. */
	ck_assert_ptr_null(find_vma_intersection(mm, B + 2 * PG, B + 4 * PG));
	ck_assert_ptr_eq(find_vma_intersection(mm, B + 2 * PG, B + 4 * PG + 1), c);
	ck_assert_ptr_eq(find_vma_intersection(mm, B + PG, B + 3 * PG), a);
	ck_assert_ptr_eq(find_vma_intersection(mm, 0, B + 1), a);
	ck_assert_ptr_null(find_vma_intersection(mm, 0, B));
	ck_assert_ptr_null(find_vma_intersection(mm, B + 6 * PG, B + 8 * PG));
	/* vma_lookup: containing only. */
	ck_assert_ptr_null(vma_lookup(mm, B - 1));
	ck_assert_ptr_eq(vma_lookup(mm, B), a);
	ck_assert_ptr_null(vma_lookup(mm, B + 2 * PG));
	ck_assert_ptr_eq(vma_lookup(mm, B + 5 * PG), c);
}
END_TEST

/* Every answer of the tree against a walk of the list, over many VMAs. */
static struct vm_area_struct *find_vma_linear(unsigned long addr)
{
	struct vm_area_struct *vma;

	for_each_vma(mm, vma)
		if (addr < vma->vm_end)
			return vma;
	return NULL;
}

START_TEST(test_find_vma_matches_linear)
{
	struct rnd_state rnd;
	unsigned long addr;
	int i;

	/* 1000 one-page VMAs, every other page, alternate protections so none merge. */
	for (i = 0; i < 1000; i++)
		map_at(B + 2 * i * PG, PG, i % 2 ? RW : PROT_READ);
	prandom_seed_state(&rnd, 42);
	for (i = 0; i < 20000; i++) {
		addr = B - PG + (prandom_u32_state(&rnd) % (2002 * PG));
		fast_assert_ptr_eq(find_vma(mm, addr), find_vma_linear(addr));
	}
	ck_assert_int_eq(mm->map_count, 1000);
	/* Height bound of a red-black tree: 2 log2(1001) < 20. */
	ck_assert_int_le(tree_height(mm->mm_rb.rb_node), 19);
}
END_TEST

/* Random insertions and removals keep the tree balanced, ordered and its gaps right. */
START_TEST(test_tree_churn)
{
	static bool mapped[4096];
	struct rnd_state rnd;
	unsigned long i, slot;
	int n = 0;

	prandom_seed_state(&rnd, 7);
	for (i = 0; i < 20000; i++) {
		slot = prandom_u32_below(&rnd, 4096);
		if (mapped[slot]) {
			fast_assert_int_eq(do_munmap(mm, B + 2 * slot * PG, PG), 0);
			n--;
		} else {
			map_at(B + 2 * slot * PG, PG, RW);
			n++;
		}
		mapped[slot] = !mapped[slot];
		if (i % 1000 == 0) {
			vm_debug_validate = true;
			fast_assert(validate_mm(mm));
		} else {
			vm_debug_validate = false;	/* validate_mm() is O(n): not each time */
		}
	}
	ck_assert_int_eq(mm->map_count, n);
	ck_assert(validate_mm(mm));
	ck_assert_uint_eq(vm_area_pool.in_use, (unsigned long)n);
	/* At most 4096 VMAs: 2 log2(4097) < 25. */
	ck_assert_int_le(tree_height(mm->mm_rb.rb_node), 24);
}
END_TEST

/* Each rule of the tree, broken by hand, is caught; mended, it passes again. */
START_TEST(test_validate_catches_broken_tree)
{
	struct rb_node *root, *rb;
	struct vm_area_struct *vma;
	int i;

	for (i = 0; i < 64; i++)
		map_at(B + 2 * i * PG, PG, i % 2 ? RW : PROT_READ);
	ck_assert(validate_mm(mm));
	root = mm->mm_rb.rb_node;
	/* Any node but the root with the other colour: its subtree's black height is off by one. */
	for (rb = rb_first(&mm->mm_rb); rb; rb = rb_next(rb)) {
		if (rb == root)
			continue;
		rb->__rb_parent_color ^= RB_BLACK;
		fast_assert(!validate_mm(mm));
		rb->__rb_parent_color ^= RB_BLACK;
	}
	root->__rb_parent_color ^= RB_BLACK;
	ck_assert(!validate_mm(mm));
	root->__rb_parent_color ^= RB_BLACK;
	/* A gap a page off either way: at the root, and at each node with no left child. */
	for_each_vma(mm, vma) {
		if (&vma->vm_rb != root && vma->vm_rb.rb_left)
			continue;
		vma->rb_subtree_gap += PG;
		fast_assert(!validate_mm(mm));
		vma->rb_subtree_gap -= 2 * PG;
		fast_assert(!validate_mm(mm));
		vma->rb_subtree_gap += PG;
	}
	ck_assert(validate_mm(mm));
}
END_TEST

/* The free ranges of [low, high) against a walk of the list: the highest or lowest fit. */
static unsigned long gap_linear(unsigned long low, unsigned long high, unsigned long len,
				bool highest)
{
	unsigned long best = -ENOMEM, start = 0, lo, hi;
	struct vm_area_struct *vma = find_vma(mm, 0);

	for (;; vma = vma_next(vma)) {
		lo = max(start, low);
		hi = min(vma ? vm_start_gap(vma) : TASK_SIZE, high);
		if (hi > lo && hi - lo >= len) {
			if (!highest)
				return lo;
			best = hi - len;
		}
		if (!vma)
			return best;
		start = vma->vm_end;
	}
}

/*
 * Mappings of random sizes come and go, some growing down (whose guard
 * gap is not free); after each batch, random queries get the answer a
 * walk of the list gives.
 */
START_TEST(test_gap_search_matches_linear)
{
	unsigned long a, len, low, high, prot, flags;
	struct rnd_state rnd;
	int step, i;

	vm_debug_validate = false;	/* validate_mm() is O(n): once per batch */
	prandom_seed_state(&rnd, 11);
	for (step = 0; step < 4000; step++) {
		a = B + prandom_u32_below(&rnd, 8192) * PG;
		len = (1 + prandom_u32_below(&rnd, 8)) * PG;
		if (prandom_u32_below(&rnd, 3) == 0) {
			fast_assert_int_eq(do_munmap(mm, a, len), 0);
		} else {
			prot = prandom_u32_below(&rnd, 2) ? RW : PROT_READ;
			flags = prandom_u32_below(&rnd, 16) ? FIXED : FIXED | MAP_GROWSDOWN;
			fast_assert_uint_eq(do_mmap(mm, a, len, prot, flags, -1UL, 0), a);
		}
		if (step % 200)
			continue;
		fast_assert(validate_mm(mm));
		for (i = 0; i < 200; i++) {
			low = B - 100 * PG + prandom_u32_below(&rnd, 8400) * PG;
			high = low + prandom_u32_below(&rnd, 8400) * PG;
			len = (1 + prandom_u32_below(&rnd, 64)) * PG;
			fast_assert_uint_eq(vma_gap_highest(mm, low, high, len),
					    gap_linear(low, high, len, true));
			fast_assert_uint_eq(vma_gap_lowest(mm, low, high, len),
					    gap_linear(low, high, len, false));
		}
	}
	ck_assert(validate_mm(mm));
}
END_TEST

/* ---- merging new ranges ------------------------------------------------------------ */

START_TEST(test_merge_new_none_prev_next_both)
{
	map_at(B + 2 * PG, 2 * PG, RW);				/* none */
	expect_vmas(mm, V(B + 2 * PG, B + 4 * PG, F_RW));
	map_at(B + 6 * PG, 2 * PG, RW);				/* none: not adjacent */
	expect_vmas(mm, V(B + 2 * PG, B + 4 * PG, F_RW), V(B + 6 * PG, B + 8 * PG, F_RW));
	map_at(B + 4 * PG, PG, RW);				/* prev */
	expect_vmas(mm, V(B + 2 * PG, B + 5 * PG, F_RW), V(B + 6 * PG, B + 8 * PG, F_RW));
	map_at(B + PG, PG, RW);					/* next */
	expect_vmas(mm, V(B + PG, B + 5 * PG, F_RW), V(B + 6 * PG, B + 8 * PG, F_RW));
	map_at(B + 5 * PG, PG, RW);				/* both */
	expect_vmas(mm, V(B + PG, B + 8 * PG, F_RW));
	ck_assert_uint_eq(mm->total_vm, 7);
	ck_assert_uint_eq(mm->data_vm, 7);
	ck_assert_int_eq(vm_committed_pages, 7);
	ck_assert_uint_eq(vm_area_pool.in_use, 1);
}
END_TEST

START_TEST(test_merge_needs_equal_flags)
{
	map_at(B, PG, PROT_READ);
	map_at(B + PG, PG, RW);
	map_at(B + 2 * PG, PG, PROT_READ | PROT_EXEC);
	expect_vmas(mm, V(B, B + PG, F_RO), V(B + PG, B + 2 * PG, F_RW),
		    V(B + 2 * PG, B + 3 * PG, F_RO | VM_EXEC));
	ck_assert_uint_eq(mm->exec_vm, 1);
	/* Same protection, different accounting: MAP_NORESERVE has no VM_ACCOUNT. */
	ck_assert_uint_eq(do_mmap(mm, B + 3 * PG, PG, RW, FIXED | MAP_NORESERVE, -1UL, 0),
			  B + 3 * PG);
	ck_assert_int_eq(mm->map_count, 4);
	/* Making the first one like the second merges them. */
	ck_assert_int_eq(do_mprotect(mm, B, PG, RW), 0);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 3 * PG, F_RO | VM_EXEC),
		    V(B + 3 * PG, B + 4 * PG, VM_READ | VM_WRITE | MAY | VM_NORESERVE));
}
END_TEST

/* Continuity of pgoff is a merge condition: a VMA inserted with another pgoff stays apart. */
START_TEST(test_merge_needs_pgoff_continuity)
{
	struct vma_proto p = { .start = B + PG, .end = B + 2 * PG, .flags = F_RW };
	struct vma_reserve r;
	struct vm_area_struct *a, *v;

	map_at(B, PG, RW);
	a = find_vma(mm, B);
	ck_assert_int_eq(vma_reserve_fill(mm, &r, 1), 0);
	p.pgoff = (B + PG) >> PAGE_SHIFT;
	p.pgoff += 5;
	v = vma_merge_new_range(mm, a, NULL, &p, &r);
	ck_assert_ptr_ne(v, a);
	ck_assert_int_eq(mm->map_count, 2);
	vm_stat_account(mm, F_RW, 1);
	vm_committed_pages++;
	ck_assert_int_eq(do_munmap(mm, B + PG, PG), 0);
	/* And with the right pgoff it merges, using nothing from the reserve. */
	p.pgoff -= 5;
	ck_assert_int_eq(vma_reserve_fill(mm, &r, 1), 0);
	ck_assert_ptr_eq(vma_merge_new_range(mm, a, NULL, &p, &r), a);
	ck_assert_int_eq(r.nr, 1);
	vma_reserve_release(&r);
	vm_stat_account(mm, F_RW, 1);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW));
}
END_TEST

/* VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP: identical flags, still never merged. */
START_TEST(test_special_flags_never_merge)
{
	static const vm_flags_t special[] = { VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP };
	vm_flags_t flags = VM_READ | VM_WRITE | MAY | special[_i];
	struct vma_proto p = {
		.start = B + PG, .end = B + 2 * PG, .pgoff = (B + PG) >> PAGE_SHIFT, .flags = flags,
	};
	struct vm_area_struct *a = vm_area_alloc(mm), *c = vm_area_alloc(mm), *v;
	struct vma_reserve r;

	a->vm_start = B;
	a->vm_end = B + PG;
	a->vm_flags = flags;
	c->vm_start = B + 2 * PG;
	c->vm_end = B + 3 * PG;
	c->vm_flags = flags;
	ck_assert_int_eq(insert_vm_struct(mm, a), 0);
	ck_assert_int_eq(insert_vm_struct(mm, c), 0);
	ck_assert_int_eq(vma_reserve_fill(mm, &r, 1), 0);
	v = vma_merge_new_range(mm, a, c, &p, &r);
	ck_assert_ptr_ne(v, a);
	ck_assert_ptr_ne(v, c);
	vm_stat_account(mm, flags, 1);
	expect_vmas(mm, V(B, B + PG, flags), V(B + PG, B + 2 * PG, flags),
		    V(B + 2 * PG, B + 3 * PG, flags));
	/* mprotect over all three gives them equal flags again: still three. */
	ck_assert_int_eq(do_mprotect(mm, B, 3 * PG, PROT_READ), 0);
	expect_vmas(mm, V(B, B + PG, F_RO | special[_i]), V(B + PG, B + 2 * PG, F_RO | special[_i]),
		    V(B + 2 * PG, B + 3 * PG, F_RO | special[_i]));
}
END_TEST

/* ---- merging existing ranges (mprotect) ---------------------------------------- */

/* prev RO [B, B+2), middle RW [B+2, B+6), next RO [B+6, B+8). */
static void three_vmas(void)
{
	map_at(B, 2 * PG, PROT_READ);
	map_at(B + 2 * PG, 4 * PG, RW);
	map_at(B + 6 * PG, 2 * PG, PROT_READ);
	expect_vmas(mm, V(B, B + 2 * PG, F_RO), V(B + 2 * PG, B + 6 * PG, F_RW),
		    V(B + 6 * PG, B + 8 * PG, F_RO));
}

START_TEST(test_merge_existing_left_partial_right_partial_both)
{
	three_vmas();
	ck_assert_int_eq(do_mprotect(mm, B + 2 * PG, PG, PROT_READ), 0);	/* left, partial */
	expect_vmas(mm, V(B, B + 3 * PG, F_RO), V(B + 3 * PG, B + 6 * PG, F_RW),
		    V(B + 6 * PG, B + 8 * PG, F_RO));
	ck_assert_int_eq(do_mprotect(mm, B + 5 * PG, PG, PROT_READ), 0);	/* right, partial */
	expect_vmas(mm, V(B, B + 3 * PG, F_RO), V(B + 3 * PG, B + 5 * PG, F_RW),
		    V(B + 5 * PG, B + 8 * PG, F_RO));
	ck_assert_int_eq(do_mprotect(mm, B + 3 * PG, 2 * PG, PROT_READ), 0);	/* both */
	expect_vmas(mm, V(B, B + 8 * PG, F_RO));
	ck_assert_uint_eq(vm_area_pool.in_use, 1);
	ck_assert_int_eq(vm_committed_pages, 0);
	ck_assert_uint_eq(mm->data_vm, 0);
	ck_assert_uint_eq(mm->total_vm, 8);
}
END_TEST

START_TEST(test_merge_existing_left_whole_right_whole)
{
	three_vmas();
	/* Give next the middle's flags, then the middle merges into it whole. */
	ck_assert_int_eq(do_mprotect(mm, B + 6 * PG, 2 * PG, RW), 0);
	expect_vmas(mm, V(B, B + 2 * PG, F_RO), V(B + 2 * PG, B + 8 * PG, F_RW));
	/* The whole of it turns RO: merges into prev, whole. */
	ck_assert_int_eq(do_mprotect(mm, B + 2 * PG, 6 * PG, PROT_READ), 0);
	expect_vmas(mm, V(B, B + 8 * PG, F_RO));
	/* And a whole-VMA change with no mergeable neighbour just changes flags in place. */
	map_at(B + 10 * PG, PG, PROT_READ);
	ck_assert_int_eq(do_mprotect(mm, B + 10 * PG, PG, PROT_EXEC), 0);
	expect_vmas(mm, V(B, B + 8 * PG, F_RO), V(B + 10 * PG, B + 11 * PG, VM_EXEC | MAY));
}
END_TEST

START_TEST(test_mprotect_middle_three_then_one)
{
	map_at(B, 3 * PG, RW);
	native_pt_reset();
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, PROT_READ), 0);
	/* Never faulted in: turning read-only also gives back the charge (VM_ACCOUNT). */
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + PG, B + 2 * PG, F_RO),
		    V(B + 2 * PG, B + 3 * PG, F_RW));
	ck_assert_uint_eq(native_pt_ncalls, 1);
	expect_pt_call(0, NATIVE_PT_PROTECT, B + PG, B + 2 * PG);
	ck_assert_uint_eq(native_pt_calls[0].vma_start, B + PG);
	ck_assert_uint_eq(native_pt_calls[0].vma_end, B + 2 * PG);
	ck_assert_uint_eq(native_pt_calls[0].vm_flags, F_RO);
	ck_assert_uint_eq(native_pt_calls[0].prot,
			  _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX);
	ck_assert_int_eq(vm_committed_pages, 2);
	ck_assert_uint_eq(mm->data_vm, 2);
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, RW), 0);
	expect_vmas(mm, V(B, B + 3 * PG, F_RW));
	ck_assert_int_eq(vm_committed_pages, 3);
	ck_assert_uint_eq(vm_area_pool.in_use, 1);
}
END_TEST

/* Once faulted in, the pieces share the anon_vma and keep VM_ACCOUNT: they still merge back. */
START_TEST(test_mprotect_faulted_splits_and_merges_back)
{
	struct vm_area_struct *vma;

	map_at(B, 4 * PG, RW);
	vma = find_vma(mm, B);
	anon_vma_prepare(vma);
	ck_assert_uint_ne(vma->anon_vma, 0);
	ck_assert_int_eq(do_mprotect(mm, B + PG, 2 * PG, PROT_READ), 0);
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + PG, B + 3 * PG, F_RO | VM_ACCOUNT),
		    V(B + 3 * PG, B + 4 * PG, F_RW));
	for_each_vma(mm, vma)
		ck_assert_uint_eq(vma->anon_vma, find_vma(mm, B)->anon_vma);
	ck_assert_int_eq(vm_committed_pages, 4);
	ck_assert_int_eq(do_mprotect(mm, B + PG, 2 * PG, RW), 0);
	expect_vmas(mm, V(B, B + 4 * PG, F_RW));
}
END_TEST

/* ---- anonymous memory identity -------------------------------------------------- */

START_TEST(test_anon_vma_reused_from_neighbour)
{
	struct vm_area_struct *a, *b;

	ck_assert_uint_eq(do_mmap(mm, B, PG, RW, FIXED | MAP_NORESERVE, -1UL, 0), B);
	ck_assert_uint_eq(do_mmap(mm, B + PG, PG, PROT_READ, FIXED | MAP_NORESERVE, -1UL, 0),
			  B + PG);
	a = find_vma(mm, B);
	b = find_vma(mm, B + PG);
	ck_assert_ptr_ne(a, b);
	anon_vma_prepare(a);
	/* Only the access flags differ: b may share a's anon_vma (Linux's anon_vma_compatible()). */
	anon_vma_prepare(b);
	ck_assert_uint_eq(a->anon_vma, b->anon_vma);
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, RW), 0);
	expect_vmas(mm, V(B, B + 2 * PG, VM_READ | VM_WRITE | MAY | VM_NORESERVE));
}
END_TEST

/* A faulted VMA merges into an unfaulted neighbour and takes its anon_vma along. */
START_TEST(test_anon_faulted_merges_into_unfaulted)
{
	struct vm_area_struct *vma;
	unsigned long anon;

	/* MAP_NORESERVE: no VM_ACCOUNT on either, so that only access flags differ. */
	ck_assert_uint_eq(do_mmap(mm, B, PG, PROT_READ, FIXED | MAP_NORESERVE, -1UL, 0), B);
	ck_assert_uint_eq(do_mmap(mm, B + PG, PG, RW, FIXED | MAP_NORESERVE, -1UL, 0), B + PG);
	vma = find_vma(mm, B + PG);
	anon_vma_prepare(vma);
	anon = vma->anon_vma;
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, PROT_READ), 0);
	expect_vmas(mm, V(B, B + 2 * PG, F_RO | VM_NORESERVE));
	ck_assert_uint_eq(find_vma(mm, B)->anon_vma, anon);
	/* A read-only page without MAP_NORESERVE differs in VM_NORESERVE: its own VMA. */
	map_at(B + 2 * PG, PG, PROT_READ);
	ck_assert_int_eq(mm->map_count, 2);
}
END_TEST

/*
 * prev and next faulted with different anon_vmas, the unfaulted middle
 * becomes like them: it may join either, but not both at once.
 */
START_TEST(test_anon_three_way_needs_prev_next_agreement)
{
	map_at(B, 3 * PG, RW);
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, PROT_READ), 0);
	anon_vma_prepare(find_vma(mm, B));
	anon_vma_prepare(find_vma(mm, B + 2 * PG));
	ck_assert_uint_ne(find_vma(mm, B)->anon_vma, find_vma(mm, B + 2 * PG)->anon_vma);
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, RW), 0);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 3 * PG, F_RW));
	ck_assert_uint_eq(find_vma(mm, B)->anon_vma, find_vma(mm, B)->anon_vma);
}
END_TEST

START_TEST(test_fork_clone_does_not_merge)
{
	struct mm_struct *child;
	struct vm_area_struct *pv, *cv;

	map_at(B, 2 * PG, RW);
	map_at(B + 8 * PG, 2 * PG, RW);
	pv = find_vma(mm, B);
	anon_vma_prepare(pv);				/* faulted in the parent */
	child = dup_mm(mm);
	ck_assert_ptr_nonnull(child);
	expect_vmas(child, V(B, B + 2 * PG, F_RW), V(B + 8 * PG, B + 10 * PG, F_RW));
	cv = find_vma(child, B);
	ck_assert(cv->anon_vma_forked);
	ck_assert_uint_ne(cv->anon_vma, pv->anon_vma);
	ck_assert(!find_vma(child, B + 8 * PG)->anon_vma);
	ck_assert(!pv->anon_vma_forked);

	/* In the child, a new neighbour does not merge with the clone... */
	ck_assert_uint_eq(do_mmap(child, B + 2 * PG, PG, RW, FIXED, -1UL, 0), B + 2 * PG);
	expect_vmas(child, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 3 * PG, F_RW),
		    V(B + 8 * PG, B + 10 * PG, F_RW));
	/* ...but merges with a copy that never had anonymous memory... */
	ck_assert_uint_eq(do_mmap(child, B + 10 * PG, PG, RW, FIXED, -1UL, 0), B + 10 * PG);
	ck_assert_int_eq(child->map_count, 3);
	/* ...and in the parent the same mmap merges. */
	map_at(B + 2 * PG, PG, RW);
	expect_vmas(mm, V(B, B + 3 * PG, F_RW), V(B + 8 * PG, B + 10 * PG, F_RW));

	/* The clone's own pieces still share its anon_vma and merge back. */
	ck_assert_int_eq(do_mprotect(child, B + PG, PG, PROT_READ), 0);
	ck_assert_int_eq(child->map_count, 4);
	ck_assert_int_eq(do_mprotect(child, B + PG, PG, RW), 0);
	expect_vmas(child, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 3 * PG, F_RW),
		    V(B + 8 * PG, B + 11 * PG, F_RW));
	/* mprotect cannot merge the clone with its new neighbour either. */
	ck_assert_int_eq(do_mprotect(child, B, 3 * PG, PROT_READ), 0);
	ck_assert_int_eq(child->map_count, 3);
	mmput(child);
}
END_TEST

START_TEST(test_fork_copies_layout_and_counters)
{
	struct vm_area_struct *v;
	struct mm_struct *child;
	unsigned int k;

	map_at(B, 2 * PG, RW);
	ck_assert_uint_eq(do_mmap(mm, B + 4 * PG, PG, RW, FIXED | MAP_LOCKED, -1UL, 0), B + 4 * PG);
	map_at(B + 8 * PG, 3 * PG, PROT_READ | PROT_EXEC);
	v = find_vma(mm, B + 8 * PG);
	v->vm_flags |= VM_DONTCOPY;			/* madvise(MADV_DONTFORK) */
	mm->start_brk = mm->brk = 0x5000000;
	ck_assert_uint_eq(mm->locked_vm, 1);
	native_pt_reset();
	child = dup_mm(mm);
	ck_assert_ptr_nonnull(child);
	/* VM_DONTCOPY stays behind, VM_LOCKED is not inherited. */
	expect_vmas(child, V(B, B + 2 * PG, F_RW), V(B + 4 * PG, B + 5 * PG, F_RW));
	ck_assert_uint_eq(child->total_vm, 3);
	ck_assert_uint_eq(child->exec_vm, 0);
	ck_assert_uint_eq(child->locked_vm, 0);
	ck_assert_uint_eq(child->brk, 0x5000000);
	ck_assert_uint_eq(child->mmap_base, mm->mmap_base);
	ck_assert_int_eq(vm_committed_pages, 6);
	/* copy_page_range once per copied VMA, with the parent's VMA and the child's mm. */
	for (k = 0; k < native_pt_ncalls && native_pt_calls[k].op != NATIVE_PT_COPY; k++)
		;
	expect_pt_call(k, NATIVE_PT_COPY, B, B + 2 * PG);
	ck_assert_ptr_eq(native_pt_calls[k].mm, child);
	expect_pt_call(k + 1, NATIVE_PT_COPY, B + 4 * PG, B + 5 * PG);
	mmput(child);
	ck_assert_int_eq(vm_committed_pages, 3);
}
END_TEST

/* ---- munmap ------------------------------------------------------------------------ */

START_TEST(test_munmap_middle_splits_exactly)
{
	map_at(B, 8 * PG, RW);
	native_pt_reset();
	ck_assert_int_eq(do_munmap(mm, B + 3 * PG, 2 * PG), 0);
	expect_vmas(mm, V(B, B + 3 * PG, F_RW), V(B + 5 * PG, B + 8 * PG, F_RW));
	ck_assert_uint_eq(native_pt_ncalls, 2);
	expect_pt_call(0, NATIVE_PT_UNMAP, B + 3 * PG, B + 5 * PG);
	ck_assert_uint_eq(native_pt_calls[0].vma_start, B);	/* the VMA, before the cut */
	expect_pt_call(1, NATIVE_PT_FREE_PGTABLES, B + 3 * PG, B + 5 * PG);
	ck_assert_uint_eq(native_pt_calls[1].floor, B + 3 * PG);
	ck_assert_uint_eq(native_pt_calls[1].ceiling, B + 5 * PG);
	ck_assert_uint_eq(mm->total_vm, 6);
	ck_assert_int_eq(vm_committed_pages, 6);

	/* Across both, cutting each: one zap per piece, page tables between the remains. */
	native_pt_reset();
	ck_assert_int_eq(do_munmap(mm, B + 2 * PG, 4 * PG), 0);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 6 * PG, B + 8 * PG, F_RW));
	ck_assert_uint_eq(native_pt_ncalls, 3);
	expect_pt_call(0, NATIVE_PT_UNMAP, B + 2 * PG, B + 3 * PG);
	expect_pt_call(1, NATIVE_PT_UNMAP, B + 5 * PG, B + 6 * PG);
	expect_pt_call(2, NATIVE_PT_FREE_PGTABLES, B + 2 * PG, B + 6 * PG);
	ck_assert_uint_eq(native_pt_calls[2].floor, B + 2 * PG);
	ck_assert_uint_eq(native_pt_calls[2].ceiling, B + 6 * PG);

	/* A hole: nothing to do, and not an error. */
	native_pt_reset();
	ck_assert_int_eq(do_munmap(mm, B + 3 * PG, 2 * PG), 0);
	ck_assert_uint_eq(native_pt_ncalls, 0);
	/* Everything: the last VMA gone, page tables freed to the top. */
	ck_assert_int_eq(do_munmap(mm, 0x100000, TASK_SIZE - 0x100000), 0);
	expect_no_vmas(mm);
	expect_pt_call(2, NATIVE_PT_FREE_PGTABLES, 0x100000, TASK_SIZE);
	ck_assert_uint_eq(native_pt_calls[2].floor, 0);
	ck_assert_uint_eq(native_pt_calls[2].ceiling, 0);
	ck_assert_int_eq(vm_committed_pages, 0);
	ck_assert_uint_eq(vm_area_pool.in_use, 0);
}
END_TEST

/* ---- failed allocations change nothing -------------------------------------------- */

/*
 * Runs op with the nth VMA allocation failing, n = 1, 2, ... until it
 * succeeds: each failure must return the error and leave everything as
 * the snapshot had it.  Returns the number of allocations the op needed.
 */
static int fail_each_allocation(long (*op)(void), long failed)
{
	struct mm_snapshot before;
	unsigned long nth;
	long ret;

	for (nth = 1;; nth++) {
		take_snapshot(mm, &before);
		fail_vma_alloc_nth(nth);
		ret = op();
		if (ret != failed)
			break;
		expect_snapshot(mm, &before);
		ck_assert_uint_le(nth, 4);
	}
	fail_vma_alloc_nth(0);
	return (int)nth - 1;
}

static long op_mmap_new(void)
{
	return mmap_err(B + 20 * PG, PG, RW, FIXED);
}

static long op_mmap_fixed_middle(void)
{
	return mmap_err(B + PG, PG, PROT_READ, FIXED);
}

static long op_munmap_middle(void)
{
	return do_munmap(mm, B + PG, PG);
}

static long op_mprotect_middle(void)
{
	return do_mprotect(mm, B + PG, PG, PROT_READ);
}

static long op_mprotect_across(void)
{
	return do_mprotect(mm, B + PG, 4 * PG, PROT_EXEC);
}

static long op_brk_grow(void)
{
	return (long)do_brk(mm, mm->brk + 3 * PG);
}

START_TEST(test_failed_allocation_leaves_tree_unchanged)
{
	map_at(B, 3 * PG, RW);
	map_at(B + 3 * PG, 3 * PG, PROT_READ);
	mm->start_brk = mm->brk = 0x4000000;

	ck_assert_int_eq(fail_each_allocation(op_mmap_new, -ENOMEM), 1);
	ck_assert_int_eq(fail_each_allocation(op_mmap_fixed_middle, -ENOMEM), 2);
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + PG, B + 2 * PG, F_RO),
		    V(B + 2 * PG, B + 3 * PG, F_RW), V(B + 3 * PG, B + 6 * PG, F_RO),
		    V(B + 20 * PG, B + 21 * PG, F_RW));
	ck_assert_int_eq(do_munmap(mm, B, 6 * PG), 0);
	map_at(B, 3 * PG, RW);
	ck_assert_int_eq(fail_each_allocation(op_mprotect_middle, -ENOMEM), 2);
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, RW), 0);
	ck_assert_int_eq(fail_each_allocation(op_munmap_middle, -ENOMEM), 1);
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + 2 * PG, B + 3 * PG, F_RW),
		    V(B + 20 * PG, B + 21 * PG, F_RW));
	map_at(B, 6 * PG, RW);
	map_at(B + 3 * PG, 3 * PG, PROT_READ);
	ck_assert_int_eq(fail_each_allocation(op_mprotect_across, -ENOMEM), 2);
	/*
	 * Both ends inside a VMA: two splits reserved.  The second is not
	 * used: [B+3, B+5) ends up like [B+1, B+3) and merges into it.
	 */
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + PG, B + 5 * PG, VM_EXEC | MAY),
		    V(B + 5 * PG, B + 6 * PG, F_RO), V(B + 20 * PG, B + 21 * PG, F_RW));
	/* brk reports failure by returning the old break. */
	ck_assert_int_eq(fail_each_allocation(op_brk_grow, 0x4000000), 1);
	ck_assert_uint_eq(mm->brk, 0x4000000 + 3 * PG);
}
END_TEST

/* The page allocator failing under the VMA pool is the same failure. */
START_TEST(test_failed_page_allocation_leaves_tree_unchanged)
{
	struct fault_config cfg = { .nth = 1, .times = -1 };
	struct mm_snapshot before;
	int i;

	/* Use up the pool's first page, so that the next VMA needs a new one. */
	for (i = 0; i == 0 || vm_area_pool.free; i++)
		map_at(B + 2 * i * PG, PG, RW);
	ck_assert_uint_eq(vm_area_pool.nr_pages, 1);
	ck_assert_ptr_null(vm_area_pool.free);
	take_snapshot(mm, &before);
	fail_page_alloc_configure(&cfg);
	ck_assert_int_eq(mmap_err(0x40000000, PG, RW, FIXED), -ENOMEM);
	expect_snapshot(mm, &before);
	ck_assert_uint_eq(mmap_err(0x40000000, PG, RW, FIXED), 0x40000000);
}
END_TEST

START_TEST(test_failed_fork_leaves_parent_unchanged)
{
	struct mm_snapshot before;
	struct mm_struct *child;
	unsigned long nth;

	map_at(B, 2 * PG, RW);
	map_at(B + 4 * PG, 2 * PG, PROT_READ);
	map_at(B + 8 * PG, 2 * PG, RW);
	anon_vma_prepare(find_vma(mm, B));
	for (nth = 1; nth <= 3; nth++) {
		take_snapshot(mm, &before);
		fail_vma_alloc_nth(nth);
		ck_assert_ptr_null(dup_mm(mm));
		expect_snapshot(mm, &before);
	}
	fail_vma_alloc_nth(0);
	/* A page-table copy failing half way: the child is torn down, the parent untouched. */
	native_pt_fail_copy_nth = 2;
	take_snapshot(mm, &before);
	ck_assert_ptr_null(dup_mm(mm));
	expect_snapshot(mm, &before);
	native_pt_fail_pgd_nth = 1;
	ck_assert_ptr_null(dup_mm(mm));
	child = dup_mm(mm);
	ck_assert_ptr_nonnull(child);
	ck_assert_int_eq(child->map_count, 3);
	mmput(child);
	expect_snapshot(mm, &before);
}
END_TEST

/* ---- address-space lifetime ---------------------------------------------------------- */

START_TEST(test_mm_users_and_count)
{
	struct mm_struct *other = mm_alloc();

	ck_assert_ptr_nonnull(other);
	ck_assert_int_eq(other->mm_users, 1);
	ck_assert_int_eq(other->mm_count, 1);
	ck_assert_uint_eq(other->mmap_base, 0x7ffff7fff000UL);
	ck_assert_uint_eq(other->mmap_legacy_base, 0x2aaaaaaab000UL);
	ck_assert_uint_ne(other->pgd, 0);
	ck_assert_uint_eq(do_mmap(other, B, PG, RW, FIXED, -1UL, 0), B);
	mmgrab(other);				/* a lazy-TLB reference, say */
	mmget(other);
	mmput(other);
	ck_assert_int_eq(other->map_count, 1);
	native_pt_reset();
	mmput(other);				/* last user: the mappings go */
	ck_assert_int_eq(other->map_count, 0);
	ck_assert_int_eq(other->mm_count, 1);
	expect_pt_call(0, NATIVE_PT_UNMAP, B, B + PG);
	expect_pt_call(1, NATIVE_PT_FREE_PGTABLES, B, B + PG);
	ck_assert_uint_eq(native_pt_ncalls, 2);
	mmdrop(other);				/* last reference: the struct goes */
	expect_pt_call(2, NATIVE_PT_FREE_PGD, 0, 0);
	native_pt_fail_pgd_nth = 1;
	ck_assert_ptr_null(mm_alloc());
}
END_TEST

static Suite *vma_suite(void)
{
	Suite *s = suite_create("vma");
	TCase *tc = tcase_create("vma");

	tcase_add_checked_fixture(tc, mm_setup, NULL);
	tcase_add_test(tc, test_find_vma_empty);
	tcase_add_test(tc, test_find_vma_edges);
	tcase_add_test(tc, test_find_vma_matches_linear);
	tcase_add_test(tc, test_tree_churn);
	tcase_add_test(tc, test_validate_catches_broken_tree);
	tcase_add_test(tc, test_gap_search_matches_linear);
	tcase_add_test(tc, test_merge_new_none_prev_next_both);
	tcase_add_test(tc, test_merge_needs_equal_flags);
	tcase_add_test(tc, test_merge_needs_pgoff_continuity);
	tcase_add_loop_test(tc, test_special_flags_never_merge, 0, 4);
	tcase_add_test(tc, test_merge_existing_left_partial_right_partial_both);
	tcase_add_test(tc, test_merge_existing_left_whole_right_whole);
	tcase_add_test(tc, test_mprotect_middle_three_then_one);
	tcase_add_test(tc, test_mprotect_faulted_splits_and_merges_back);
	tcase_add_test(tc, test_anon_vma_reused_from_neighbour);
	tcase_add_test(tc, test_anon_faulted_merges_into_unfaulted);
	tcase_add_test(tc, test_anon_three_way_needs_prev_next_agreement);
	tcase_add_test(tc, test_fork_clone_does_not_merge);
	tcase_add_test(tc, test_fork_copies_layout_and_counters);
	tcase_add_test(tc, test_munmap_middle_splits_exactly);
	tcase_add_test(tc, test_failed_allocation_leaves_tree_unchanged);
	tcase_add_test(tc, test_failed_page_allocation_leaves_tree_unchanged);
	tcase_add_test(tc, test_failed_fork_leaves_parent_unchanged);
	tcase_add_test(tc, test_mm_users_and_count);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(vma_suite)
