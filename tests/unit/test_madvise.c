// SPDX-License-Identifier: MIT
/*
 * madvise and the mlock family natively (guest/mm/madvise.c, mlock.c):
 * Linux's errno, the VM flags each sets on exactly its range (splitting,
 * and merging back when the flags return), MADV_DONTNEED zapping the
 * range and keeping the VMAs, MADV_DONTFORK keeping a range from fork,
 * locked_vm and the faulting-in of locked memory, RLIMIT_MEMLOCK, and
 * mlockall(MCL_FUTURE) locking later mappings.
 */
#include <linux/mm.h>

#include "mm_test.h"

#define B	BASE

START_TEST(test_madvise_errno)
{
	struct mm_snapshot before;

	map_at(B, 4 * PG, RW);
	map_at(B + 8 * PG, PG, RW);
	take_snapshot(mm, &before);
	ck_assert_int_eq(do_madvise(mm, B, PG, 99), -EINVAL);			/* unknown */
	ck_assert_int_eq(do_madvise(mm, B + 1, PG, MADV_RANDOM), -EINVAL);	/* unaligned */
	ck_assert_int_eq(do_madvise(mm, B, ~0UL, MADV_RANDOM), -EINVAL);	/* aligns to 0 */
	ck_assert_int_eq(do_madvise(mm, B + 4 * PG, PG, MADV_RANDOM), -ENOMEM);	/* a hole */
	ck_assert_int_eq(do_madvise(mm, B, 0, MADV_RANDOM), 0);
	expect_snapshot(mm, &before);
	/* Across a hole: the mapped parts take the advice, then ENOMEM. */
	ck_assert_int_eq(do_madvise(mm, B + 2 * PG, 7 * PG, MADV_SEQUENTIAL), -ENOMEM);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 4 * PG, F_RW | VM_SEQ_READ),
		    V(B + 8 * PG, B + 9 * PG, F_RW | VM_SEQ_READ));
	/* No DONTNEED on locked memory. */
	ck_assert_uint_eq(do_mmap(mm, B + 16 * PG, PG, RW, FIXED | MAP_LOCKED, -1UL, 0),
			  B + 16 * PG);
	ck_assert_int_eq(do_madvise(mm, B + 16 * PG, PG, MADV_DONTNEED), -EINVAL);
}
END_TEST

START_TEST(test_madvise_flags_split_and_merge)
{
	map_at(B, 8 * PG, RW);
	ck_assert_int_eq(do_madvise(mm, B + 2 * PG, 2 * PG, MADV_RANDOM), 0);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 4 * PG, F_RW | VM_RAND_READ),
		    V(B + 4 * PG, B + 8 * PG, F_RW));
	/* SEQUENTIAL replaces RANDOM; NORMAL clears both and the three are one again. */
	ck_assert_int_eq(do_madvise(mm, B + 2 * PG, 2 * PG, MADV_SEQUENTIAL), 0);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 4 * PG, F_RW | VM_SEQ_READ),
		    V(B + 4 * PG, B + 8 * PG, F_RW));
	ck_assert_int_eq(do_madvise(mm, B, 8 * PG, MADV_NORMAL), 0);
	expect_vmas(mm, V(B, B + 8 * PG, F_RW));
	ck_assert_int_eq(do_madvise(mm, B, 8 * PG, MADV_WILLNEED), 0);
	ck_assert_uint_eq(vm_area_pool.in_use, 1);
}
END_TEST

START_TEST(test_madvise_dontneed)
{
	map_at(B, 4 * PG, RW);
	map_at(B + 4 * PG, 4 * PG, PROT_READ);
	native_pt_reset();
	ck_assert_int_eq(do_madvise(mm, B + 2 * PG, 4 * PG, MADV_DONTNEED), 0);
	expect_vmas(mm, V(B, B + 4 * PG, F_RW), V(B + 4 * PG, B + 8 * PG, F_RO));
	ck_assert_uint_eq(native_pt_ncalls, 2);
	expect_pt_call(0, NATIVE_PT_UNMAP, B + 2 * PG, B + 4 * PG);
	expect_pt_call(1, NATIVE_PT_UNMAP, B + 4 * PG, B + 6 * PG);
	ck_assert_int_eq(vm_committed_pages, 4);
}
END_TEST

START_TEST(test_madvise_dontfork)
{
	struct mm_struct *child;

	map_at(B, 4 * PG, RW);
	ck_assert_int_eq(do_madvise(mm, B + PG, PG, MADV_DONTFORK), 0);
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + PG, B + 2 * PG, F_RW | VM_DONTCOPY),
		    V(B + 2 * PG, B + 4 * PG, F_RW));
	child = dup_mm(mm);
	ck_assert_ptr_nonnull(child);
	expect_vmas(child, V(B, B + PG, F_RW), V(B + 2 * PG, B + 4 * PG, F_RW));
	ck_assert_uint_eq(child->total_vm, 3);
	ck_assert_int_eq(do_madvise(mm, B, 4 * PG, MADV_DOFORK), 0);
	expect_vmas(mm, V(B, B + 4 * PG, F_RW));
	mmput(child);
}
END_TEST

START_TEST(test_mlock)
{
	struct mm_snapshot before;

	map_at(B, 4 * PG, RW);
	map_at(B + 8 * PG, 2 * PG, RW);
	take_snapshot(mm, &before);
	ck_assert_int_eq(do_mlock(mm, B + 2 * PG, 8 * PG), -ENOMEM);	/* a hole: nothing locked */
	expect_snapshot(mm, &before);
	native_pt_reset();
	/* Any start: widened to whole pages. */
	ck_assert_int_eq(do_mlock(mm, B + PG + 100, PG), 0);
	expect_vmas(mm, V(B, B + PG, F_RW), V(B + PG, B + 3 * PG, F_RW | VM_LOCKED),
		    V(B + 3 * PG, B + 4 * PG, F_RW), V(B + 8 * PG, B + 10 * PG, F_RW));
	ck_assert_uint_eq(mm->locked_vm, 2);
	expect_pt_call((unsigned int)native_pt_ncalls - 1, NATIVE_PT_POPULATE, B + PG, B + 3 * PG);
	/* Locking again does not count twice; munlock merges back. */
	ck_assert_int_eq(do_mlock(mm, B, 4 * PG), 0);
	ck_assert_uint_eq(mm->locked_vm, 4);
	expect_vmas(mm, V(B, B + 4 * PG, F_RW | VM_LOCKED), V(B + 8 * PG, B + 10 * PG, F_RW));
	ck_assert_int_eq(do_munlock(mm, B, 4 * PG), 0);
	ck_assert_uint_eq(mm->locked_vm, 0);
	expect_vmas(mm, V(B, B + 4 * PG, F_RW), V(B + 8 * PG, B + 10 * PG, F_RW));
	/* RLIMIT_MEMLOCK: past it ENOMEM, at 0 EPERM. */
	mm->rlim_memlock = 2 * PG;
	ck_assert_int_eq(do_mlock(mm, B, 3 * PG), -ENOMEM);
	ck_assert_int_eq(do_mlock(mm, B, 2 * PG), 0);
	ck_assert_int_eq(do_mlock(mm, B, 2 * PG), 0);			/* already locked */
	mm->rlim_memlock = 0;
	ck_assert_int_eq(do_mlock(mm, B, PG), -EPERM);
}
END_TEST

START_TEST(test_mlockall)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	vma->vm_start = B + 16 * PG;
	vma->vm_end = B + 17 * PG;
	vma->vm_flags = VM_READ | VM_MAYREAD | VM_PFNMAP | VM_DONTEXPAND;
	ck_assert_int_eq(insert_vm_struct(mm, vma), 0);
	map_at(B, 2 * PG, RW);
	ck_assert_int_eq(do_mlockall(mm, 0), -EINVAL);
	ck_assert_int_eq(do_mlockall(mm, 8), -EINVAL);
	ck_assert_int_eq(do_mlockall(mm, MCL_ONFAULT), -EINVAL);
	ck_assert_int_eq(do_mlockall(mm, MCL_CURRENT | MCL_FUTURE), 0);
	/* The special mapping is left alone and not counted. */
	expect_vmas(mm, V(B, B + 2 * PG, F_RW | VM_LOCKED),
		    { B + 16 * PG, B + 17 * PG, (B + 16 * PG) >> PAGE_SHIFT,
		      VM_READ | VM_MAYREAD | VM_PFNMAP | VM_DONTEXPAND });
	ck_assert_uint_eq(mm->locked_vm, 2);
	/* MCL_FUTURE: later mappings are locked too. */
	map_at(B + 4 * PG, PG, RW);
	ck_assert_uint_eq(vma_lookup(mm, B + 4 * PG)->vm_flags, F_RW | VM_LOCKED);
	ck_assert_uint_eq(mm->locked_vm, 3);
	ck_assert_int_eq(do_munlockall(mm), 0);
	ck_assert_uint_eq(mm->locked_vm, 0);
	ck_assert_uint_eq(mm->def_flags, 0);
	map_at(B + 6 * PG, PG, RW);
	ck_assert_uint_eq(vma_lookup(mm, B + 6 * PG)->vm_flags, F_RW);
}
END_TEST

/* No VMA for a split: ENOMEM, and nothing changed, not even the part that needed none. */
START_TEST(test_flags_change_out_of_vmas)
{
	struct mm_snapshot before;

	map_at(B, 4 * PG, RW);
	map_at(B + 4 * PG, 4 * PG, PROT_READ);
	take_snapshot(mm, &before);
	fail_vma_alloc_nth(1);
	ck_assert_int_eq(do_madvise(mm, B + PG, 6 * PG, MADV_DONTFORK), -ENOMEM);
	expect_snapshot(mm, &before);
	fail_vma_alloc_nth(2);
	ck_assert_int_eq(do_mlock(mm, B + PG, 6 * PG), -ENOMEM);
	expect_snapshot(mm, &before);
}
END_TEST

static Suite *madvise_suite(void)
{
	Suite *s = suite_create("madvise");
	TCase *tc = tcase_create("madvise");

	tcase_add_checked_fixture(tc, mm_setup, NULL);
	tcase_add_test(tc, test_madvise_errno);
	tcase_add_test(tc, test_madvise_flags_split_and_merge);
	tcase_add_test(tc, test_madvise_dontneed);
	tcase_add_test(tc, test_madvise_dontfork);
	tcase_add_test(tc, test_mlock);
	tcase_add_test(tc, test_mlockall);
	tcase_add_test(tc, test_flags_change_out_of_vmas);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(madvise_suite)
