// SPDX-License-Identifier: MIT
/*
 * mremap natively (guest/mm/mremap.c): Linux's errno for each wrong
 * argument, shrinking, growing in place (merging with the VMA above, the
 * two expand-merge cases of Linux's selftest mremap_test.c), moving with
 * MREMAP_MAYMOVE and to a fixed place at the source and destination
 * alignments mremap_test.c tries, the charge and counters carried over,
 * and a move that runs out of page-table pages halfway undone exactly.
 * The page-table seam records the moves: one move_page_tables() of the
 * old range to the new address, never a copy.
 */
#include <linux/mm.h>

#include "mm_test.h"

#define B	BASE
#define SHARED_ANON	(MAP_SHARED | MAP_ANONYMOUS)
#define F_SH	(VM_READ | VM_WRITE | MAY | VM_SHARED | VM_MAYSHARE)

static long mremap_(unsigned long addr, unsigned long old_len, unsigned long new_len,
		    unsigned long flags, unsigned long new_addr)
{
	return (long)do_mremap(mm, addr, old_len, new_len, flags, new_addr);
}

/* The index of the first recorded call of op, or -1. */
static int find_pt_call(enum native_pt_op op)
{
	for (unsigned int i = 0; i < native_pt_ncalls && i < NATIVE_PT_KEEP; i++)
		if (native_pt_calls[i].op == op)
			return (int)i;
	return -1;
}

static void expect_moved(unsigned long from, unsigned long len, unsigned long to)
{
	int k = find_pt_call(NATIVE_PT_MOVE);

	ck_assert_int_ge(k, 0);
	expect_pt_call((unsigned int)k, NATIVE_PT_MOVE, from, from + len);
	ck_assert_uint_eq(native_pt_calls[k].new_addr, to);
}

START_TEST(test_mremap_errno)
{
	struct mm_snapshot before;
	struct vm_area_struct *vma;

	map_at(B, 4 * PG, RW);
	map_at(B + 5 * PG, PG, RW);
	take_snapshot(mm, &before);
	ck_assert_int_eq(mremap_(B, PG, 2 * PG, 8, 0), -EINVAL);		/* unknown flag */
	ck_assert_int_eq(mremap_(B, PG, PG, MREMAP_FIXED, B + 8 * PG), -EINVAL);
	ck_assert_int_eq(mremap_(B, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
	ck_assert_int_eq(mremap_(B, PG, PG, MREMAP_DONTUNMAP, 0), -EINVAL);	/* no MAYMOVE */
	/* mremap_test.c: "Source Address Misaligned (1KB-aligned)". */
	ck_assert_int_eq(mremap_(B + 1024, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, B + 8 * PG),
			 -EINVAL);
	ck_assert_int_eq(mremap_(B, PG, 0, 0, 0), -EINVAL);			/* new_len 0 */
	ck_assert_int_eq(mremap_(B, PG, ~0UL, MREMAP_MAYMOVE, 0), -EINVAL);	/* aligns to 0 */
	ck_assert_int_eq(mremap_(B + 4 * PG, PG, 2 * PG, MREMAP_MAYMOVE, 0), -EFAULT); /* a hole */
	/* The old range may not run past its VMA when it grows or moves. */
	ck_assert_int_eq(mremap_(B + 2 * PG, 3 * PG, 4 * PG, MREMAP_MAYMOVE, 0), -EFAULT);
	ck_assert_int_eq(mremap_(B, 0, PG, MREMAP_MAYMOVE, 0), -EINVAL);	/* old_len 0, private */
	/* No room above, no permission to move. */
	ck_assert_int_eq(mremap_(B, 4 * PG, 6 * PG, 0, 0), -ENOMEM);
	ck_assert_int_eq(mremap_(B + 3 * PG, PG, 3 * PG, 0, 0), -ENOMEM);
	/* mremap_test.c: "Source and Destination Regions Overlapping", "Destination Misaligned". */
	ck_assert_int_eq(mremap_(B, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B + 3 * PG),
			 -EINVAL);
	ck_assert_int_eq(mremap_(B, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B - PG),
			 -EINVAL);
	ck_assert_int_eq(mremap_(B, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, B + 8 * PG + 1024),
			 -EINVAL);
	ck_assert_int_eq(mremap_(B, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, TASK_SIZE), -EINVAL);
	ck_assert_int_eq(mremap_(B, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, TASK_SIZE - PG),
			 -EINVAL);
	expect_snapshot(mm, &before);
	/* Below mmap_min_addr: EPERM from the placement, after the target was unmapped. */
	ck_assert_int_eq(mremap_(B, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, 0x1000), -EPERM);
	expect_snapshot(mm, &before);
	/* A special mapping cannot grow (EFAULT); RLIMIT_MEMLOCK holds for locked growth. */
	vma = vm_area_alloc(mm);
	vma->vm_start = B + 16 * PG;
	vma->vm_end = B + 17 * PG;
	vma->vm_flags = VM_READ | VM_MAYREAD | VM_DONTEXPAND;
	ck_assert_int_eq(insert_vm_struct(mm, vma), 0);
	ck_assert_int_eq(mremap_(B + 16 * PG, PG, 2 * PG, MREMAP_MAYMOVE, 0), -EFAULT);
	ck_assert_uint_eq(do_mmap(mm, B + 32 * PG, 8UL << 20, RW, FIXED | MAP_LOCKED, -1UL, 0),
			  B + 32 * PG);
	ck_assert_int_eq(mremap_(B + 32 * PG, 8UL << 20, (8UL << 20) + PG, MREMAP_MAYMOVE, 0),
			 -EAGAIN);
}
END_TEST

START_TEST(test_mremap_shrink)
{
	map_at(B, 4 * PG, RW);
	map_at(B + 4 * PG, 2 * PG, PROT_READ);
	native_pt_reset();
	ck_assert_int_eq(mremap_(B, 4 * PG, 4 * PG, 0, 0), (long)B);		/* nothing to do */
	ck_assert_uint_eq(native_pt_ncalls, 0);
	ck_assert_int_eq(mremap_(B + PG, 3 * PG, PG + 100, 0, 0), (long)(B + PG));
	expect_vmas(mm, V(B, B + 3 * PG, F_RW), V(B + 4 * PG, B + 6 * PG, F_RO));
	expect_pt_call(0, NATIVE_PT_UNMAP, B + 3 * PG, B + 4 * PG);
	ck_assert_int_eq(vm_committed_pages, 3);
	/* A shrink unmaps the tail whatever is there, across VMAs, as munmap would. */
	ck_assert_int_eq(mremap_(B, 6 * PG, PG, 0, 0), (long)B);
	expect_vmas(mm, V(B, B + PG, F_RW));
	ck_assert_uint_eq(mm->total_vm, 1);
}
END_TEST

START_TEST(test_mremap_grow_in_place)
{
	map_at(B, 2 * PG, RW);
	map_at(B + 8 * PG, PG, RW);
	native_pt_reset();
	ck_assert_int_eq(mremap_(B, 2 * PG, 5 * PG, 0, 0), (long)B);
	expect_vmas(mm, V(B, B + 5 * PG, F_RW), V(B + 8 * PG, B + 9 * PG, F_RW));
	ck_assert_int_eq(find_pt_call(NATIVE_PT_MOVE), -1);
	ck_assert_int_eq(vm_committed_pages, 6);
	ck_assert_uint_eq(mm->data_vm, 6);
	/* Up to the next VMA: the two become one. */
	ck_assert_int_eq(mremap_(B, 5 * PG, 8 * PG, MREMAP_MAYMOVE, 0), (long)B);
	expect_vmas(mm, V(B, B + 9 * PG, F_RW));
	ck_assert_int_eq(find_pt_call(NATIVE_PT_MOVE), -1);
	ck_assert_int_eq(vm_committed_pages, 9);
}
END_TEST

/* mremap_test.c's mremap_expand_merge(): growing into a hole joins the VMA above it. */
START_TEST(test_mremap_expand_merge)
{
	unsigned long start = mmap_err(0, 3 * PG, RW, ANON);

	ck_assert_int_eq(do_munmap(mm, start + PG, PG), 0);
	ck_assert_int_eq(mremap_(start, PG, 2 * PG, 0, 0), (long)start);
	expect_vmas(mm, V(start, start + 3 * PG, F_RW));
}
END_TEST

/* mremap_test.c's mremap_expand_merge_offset(): growing from the second page restores the whole. */
START_TEST(test_mremap_expand_merge_offset)
{
	unsigned long start = mmap_err(0, 3 * PG, RW, ANON);

	ck_assert_int_eq(do_munmap(mm, start + 2 * PG, PG), 0);
	ck_assert_int_eq(mremap_(start + PG, PG, 2 * PG, 0, 0), (long)(start + PG));
	expect_vmas(mm, V(start, start + 3 * PG, F_RW));
}
END_TEST

START_TEST(test_mremap_maymove)
{
	unsigned long base = mm->mmap_base, to;
	struct vm_area_struct *vma;

	map_at(B, 4 * PG, RW);
	map_at(B + 4 * PG, PG, PROT_READ);
	vma = vma_lookup(mm, B);
	anon_vma_prepare(vma);				/* faulted: the pages keep their pgoff */
	native_pt_reset();
	to = (unsigned long)mremap_(B + PG, 3 * PG, 6 * PG, MREMAP_MAYMOVE, 0);
	ck_assert_uint_eq(to, base - 6 * PG);
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + 4 * PG, B + 5 * PG, F_RO),
		    { to, to + 6 * PG, (B >> PAGE_SHIFT) + 1, F_RW });
	expect_moved(B + PG, 3 * PG, to);
	ck_assert_int_eq(vma_lookup(mm, to)->anon_vma, vma_lookup(mm, B)->anon_vma);
	/* The old range's charge moved with it: only the growth is new. */
	ck_assert_int_eq(vm_committed_pages, 7);
	ck_assert_uint_eq(mm->total_vm, 8);
	ck_assert_uint_eq(mm->data_vm, 7);
	ck_assert_uint_eq(vm_area_pool.in_use, 3);
}
END_TEST

/* mremap_test.c's table: source and destination at PTE, 1 MiB, PMD and PUD alignments. */
static const struct {
	unsigned long src_align, dst_align, size;
} alignments[] = {
	{ PG, PG, 2 * PG },
	{ 1UL << 20, PG, 2UL << 20 },
	{ 1UL << 20, 1UL << 20, 2UL << 20 },
	{ 2UL << 20, PG, 4UL << 20 },
	{ 2UL << 20, 1UL << 20, 4UL << 20 },
	{ 2UL << 20, 2UL << 20, 4UL << 20 },
	{ 1UL << 30, PG, 2UL << 30 },
	{ 1UL << 30, 1UL << 20, 2UL << 30 },
	{ 1UL << 30, 2UL << 20, 2UL << 30 },
	{ 1UL << 30, 1UL << 30, 2UL << 30 },
};

/* An address aligned to align but not to twice it, as mremap_test.c picks them. */
static unsigned long exactly_aligned(unsigned long above, unsigned long align)
{
	unsigned long a = ALIGN(above, align);

	return (a & align) ? a : a + align;
}

START_TEST(test_mremap_fixed_alignments)
{
	unsigned long src_align = alignments[_i].src_align, size = alignments[_i].size;
	unsigned long src = exactly_aligned(1UL << 32, src_align);
	unsigned long dst = exactly_aligned(src + size + alignments[_i].dst_align,
					    alignments[_i].dst_align);

	/* Shared, as the selftest maps it: not charged, however large. */
	ck_assert_uint_eq(do_mmap(mm, src, size, RW, SHARED_ANON | MAP_FIXED, -1UL, 0), src);
	native_pt_reset();
	ck_assert_int_eq(mremap_(src, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, dst), (long)dst);
	expect_vmas(mm, { dst, dst + size, 0, F_SH });
	expect_moved(src, size, dst);
	ck_assert_uint_eq(mm->total_vm, size >> PAGE_SHIFT);
	ck_assert_int_eq(vm_committed_pages, 0);
}
END_TEST

START_TEST(test_mremap_fixed_replaces_and_shrinks)
{
	map_at(B, 4 * PG, RW);
	map_at(B + 16 * PG, 4 * PG, PROT_READ);
	anon_vma_prepare(vma_lookup(mm, B));
	native_pt_reset();
	/* Onto the middle of another mapping, keeping 2 of 4 pages. */
	ck_assert_int_eq(mremap_(B, 4 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B + 17 * PG),
			 (long)(B + 17 * PG));
	expect_vmas(mm, V(B + 16 * PG, B + 17 * PG, F_RO),
		    { B + 17 * PG, B + 19 * PG, B >> PAGE_SHIFT, F_RW },
		    V(B + 19 * PG, B + 20 * PG, F_RO));
	expect_pt_call(0, NATIVE_PT_UNMAP, B + 17 * PG, B + 19 * PG);	/* the target first */
	expect_moved(B, 2 * PG, B + 17 * PG);
	ck_assert_int_eq(vm_committed_pages, 2);
	ck_assert_uint_eq(mm->total_vm, 4);
}
END_TEST

/* The middle of a VMA moves: the rest is cut in two, each keeping its pgoff. */
START_TEST(test_mremap_middle)
{
	map_at(B, 8 * PG, RW);
	anon_vma_prepare(vma_lookup(mm, B));
	ck_assert_int_eq(mremap_(B + 2 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				 B + 32 * PG), (long)(B + 32 * PG));
	expect_vmas(mm, V(B, B + 2 * PG, F_RW),
		    { B + 4 * PG, B + 8 * PG, (B >> PAGE_SHIFT) + 4, F_RW },
		    { B + 32 * PG, B + 34 * PG, (B >> PAGE_SHIFT) + 2, F_RW });
	expect_moved(B + 2 * PG, 2 * PG, B + 32 * PG);
	ck_assert_int_eq(vm_committed_pages, 8);
	ck_assert_uint_eq(vm_area_pool.in_use, 3);
	/* Moved back where it was, it is one VMA again. */
	ck_assert_int_eq(mremap_(B + 32 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				 B + 2 * PG), (long)(B + 2 * PG));
	expect_vmas(mm, V(B, B + 8 * PG, F_RW));
	ck_assert_int_eq(vm_committed_pages, 8);
}
END_TEST

/* Anonymous memory never faulted is placed as a fresh mmap: it merges where it lands. */
START_TEST(test_mremap_unfaulted_merges)
{
	map_at(B, 2 * PG, RW);
	map_at(B + 8 * PG, 2 * PG, RW);
	ck_assert_int_eq(mremap_(B + 8 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				 B + 2 * PG), (long)(B + 2 * PG));
	expect_vmas(mm, V(B, B + 4 * PG, F_RW));
	ck_assert_uint_eq(vm_area_pool.in_use, 1);
	/* Moved beside itself: it merges with what remains of itself, then the old range goes. */
	ck_assert_int_eq(mremap_(B + 2 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				 B + 4 * PG), (long)(B + 4 * PG));
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 4 * PG, B + 6 * PG, F_RW));
	ck_assert_int_eq(vm_committed_pages, 4);
}
END_TEST

START_TEST(test_mremap_locked)
{
	unsigned long to;

	ck_assert_uint_eq(do_mmap(mm, B, 2 * PG, RW, FIXED | MAP_LOCKED, -1UL, 0), B);
	map_at(B + 2 * PG, PG, PROT_READ);
	native_pt_reset();
	to = (unsigned long)mremap_(B, 2 * PG, 4 * PG, MREMAP_MAYMOVE, 0);
	ck_assert(!IS_ERR_VALUE(to));
	ck_assert_uint_eq(mm->locked_vm, 4);
	/* The new pages are faulted in, the moved ones were already. */
	expect_pt_call((unsigned int)find_pt_call(NATIVE_PT_POPULATE), NATIVE_PT_POPULATE,
		       to + 2 * PG, to + 4 * PG);
	ck_assert_int_eq(do_munmap(mm, to, 4 * PG), 0);
	ck_assert_uint_eq(mm->locked_vm, 0);
}
END_TEST

/*
 * MREMAP_DONTUNMAP (mremap_dontunmap.c's basic case): the pages move, the
 * old range stays mapped and empty, its charge kept and the new range
 * charged too; new_addr is only a hint.
 */
START_TEST(test_mremap_dontunmap)
{
	unsigned long to, hint = B + 64 * PG, anon;

	map_at(B, 4 * PG, RW);
	anon_vma_prepare(vma_lookup(mm, B));
	anon = vma_lookup(mm, B)->anon_vma;
	native_pt_reset();
	to = (unsigned long)mremap_(B, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	ck_assert(!IS_ERR_VALUE(to));
	ck_assert_uint_ne(to, B);
	/* The pages' identity went with them: the old VMA is like a fresh mapping. */
	ck_assert_uint_eq(vma_lookup(mm, to)->anon_vma, anon);
	ck_assert_uint_eq(vma_lookup(mm, B)->anon_vma, 0);
	expect_moved(B, 4 * PG, to);
	ck_assert_int_eq(find_pt_call(NATIVE_PT_UNMAP), -1);
	ck_assert_ptr_nonnull(vma_lookup(mm, B));
	ck_assert_uint_eq(vma_lookup(mm, B)->vm_end, B + 4 * PG);
	ck_assert_uint_eq(vma_lookup(mm, to)->vm_end, to + 4 * PG);
	ck_assert_uint_eq(mm->total_vm, 8);
	ck_assert_int_eq(vm_committed_pages, 8);
	/* A free hint is taken. */
	ck_assert_int_eq(mremap_(to, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, hint),
			 (long)hint);
	/* With MREMAP_FIXED, to new_addr; the lengths must agree. */
	ck_assert_int_eq(mremap_(hint, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
				 B + 32 * PG), (long)(B + 32 * PG));
	ck_assert_int_eq(mremap_(hint, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
}
END_TEST

/* Not for VM_PFNMAP or VM_DONTEXPAND; a locked old VMA loses its lock, locked_vm unchanged. */
START_TEST(test_mremap_dontunmap_special_and_locked)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);
	unsigned long to;

	vma->vm_start = B + 16 * PG;
	vma->vm_end = B + 17 * PG;
	vma->vm_flags = VM_READ | VM_MAYREAD | VM_PFNMAP | VM_IO;
	ck_assert_int_eq(insert_vm_struct(mm, vma), 0);
	ck_assert_int_eq(mremap_(B + 16 * PG, PG, PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0),
			 -EINVAL);
	ck_assert_uint_eq(do_mmap(mm, B, 2 * PG, RW, FIXED | MAP_LOCKED, -1UL, 0), B);
	ck_assert_uint_eq(mm->locked_vm, 2);
	to = (unsigned long)mremap_(B, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	ck_assert(!IS_ERR_VALUE(to));
	ck_assert_uint_eq(vma_lookup(mm, B)->vm_flags & VM_LOCKED, 0);
	ck_assert_uint_eq(vma_lookup(mm, to)->vm_flags & VM_LOCKED, VM_LOCKED);
	ck_assert_uint_eq(mm->locked_vm, 2);
}
END_TEST

/* Out of page-table pages halfway: moved back, the new range gone, nothing else changed. */
START_TEST(test_mremap_move_fails_halfway)
{
	struct mm_snapshot before;
	unsigned long base = mm->mmap_base;

	map_at(B, 8 * PG, RW);
	map_at(B + 8 * PG, PG, PROT_READ);
	anon_vma_prepare(vma_lookup(mm, B));
	take_snapshot(mm, &before);
	native_pt_reset();
	native_pt_fail_move_nth = 1;
	ck_assert_int_eq(mremap_(B + 2 * PG, 6 * PG, 8 * PG, MREMAP_MAYMOVE, 0), -ENOMEM);
	expect_snapshot(mm, &before);
	expect_moved(B + 2 * PG, 6 * PG, base - 8 * PG);
	ck_assert_uint_eq(native_pt_calls[find_pt_call(NATIVE_PT_MOVE) + 1].op, NATIVE_PT_MOVE);
	expect_pt_call(find_pt_call(NATIVE_PT_MOVE) + 1, NATIVE_PT_MOVE, base - 8 * PG,
		       base - 5 * PG);
	/* No VMA for the new range, nor for the split: the same. */
	fail_vma_alloc_nth(1);
	ck_assert_int_eq(mremap_(B + 2 * PG, 6 * PG, 8 * PG, MREMAP_MAYMOVE, 0), -ENOMEM);
	expect_snapshot(mm, &before);
	fail_vma_alloc_nth(2);
	ck_assert_int_eq(mremap_(B + 2 * PG, 6 * PG, 8 * PG, MREMAP_MAYMOVE, 0), -ENOMEM);
	expect_snapshot(mm, &before);
}
END_TEST

static Suite *mremap_suite(void)
{
	Suite *s = suite_create("mremap");
	TCase *tc = tcase_create("mremap");

	tcase_add_checked_fixture(tc, mm_setup, NULL);
	tcase_add_test(tc, test_mremap_errno);
	tcase_add_test(tc, test_mremap_shrink);
	tcase_add_test(tc, test_mremap_grow_in_place);
	tcase_add_test(tc, test_mremap_expand_merge);
	tcase_add_test(tc, test_mremap_expand_merge_offset);
	tcase_add_test(tc, test_mremap_maymove);
	tcase_add_loop_test(tc, test_mremap_fixed_alignments, 0, ARRAY_SIZE(alignments));
	tcase_add_test(tc, test_mremap_fixed_replaces_and_shrinks);
	tcase_add_test(tc, test_mremap_middle);
	tcase_add_test(tc, test_mremap_unfaulted_merges);
	tcase_add_test(tc, test_mremap_locked);
	tcase_add_test(tc, test_mremap_dontunmap);
	tcase_add_test(tc, test_mremap_dontunmap_special_and_locked);
	tcase_add_test(tc, test_mremap_move_fails_halfway);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(mremap_suite)
