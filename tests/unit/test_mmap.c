// SPDX-License-Identifier: MIT
/*
 * mmap, munmap, mprotect, brk and get_unmapped_area with Linux's semantics
 * and errno values, natively: every errno case, MAP_FIXED over existing
 * mappings, MAP_FIXED_NOREPLACE, brk growing and shrinking (also across a
 * heap split by mprotect), the top-down search with its guard gap and
 * hints, vm.max_map_count, /proc/PID/maps and smaps text, and seeded random
 * sequences of thousands of operations checked against a page-by-page
 * model.
 */
#include <stdlib.h>

#include <linux/mm.h>
#include <linux/random.h>

#include "mm_test.h"

#define B	BASE

/* ---- errno ---------------------------------------------------------------------- */

START_TEST(test_mmap_errno)
{
	ck_assert_int_eq(mmap_err(0, 0, RW, ANON), -EINVAL);			/* length 0 */
	ck_assert_int_eq((long)do_mmap(mm, 0, PG, RW, ANON, -1UL, 1), -EINVAL);	/* offset */
	ck_assert_int_eq((long)do_mmap(mm, 0, PG, RW, MAP_PRIVATE, 3, 0), -EBADF); /* a file */
	ck_assert_int_eq(mmap_err(0, PG, RW, MAP_ANONYMOUS), -EINVAL);		/* no type */
	ck_assert_int_eq(mmap_err(0, PG, RW, MAP_ANONYMOUS | MAP_PRIVATE | MAP_SHARED), -EINVAL);
	ck_assert_int_eq(mmap_err(B + 1, PG, RW, FIXED), -EINVAL);		/* unaligned */
	ck_assert_int_eq(mmap_err(0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), -EINVAL);
	ck_assert_int_eq(mmap_err(0, TASK_SIZE + PG, RW, ANON), -ENOMEM);	/* too long */
	ck_assert_int_eq(mmap_err(0, ~0UL, RW, ANON), -ENOMEM);		/* wraps when aligned */
	ck_assert_int_eq(mmap_err(TASK_SIZE - PG, 2 * PG, RW, FIXED), -ENOMEM);	/* past the end */
	ck_assert_int_eq(mmap_err(0x1000, PG, RW, FIXED), -EPERM);		/* below mmap_min_addr */
	ck_assert_int_eq(mmap_err(0, PG, RW, FIXED), -EPERM);
	/* Overcommit: private writable memory larger than RAM is refused... */
	ck_assert_int_eq(mmap_err(0, 128UL << 20, RW, ANON), -ENOMEM);
	/* ...unless it is not charged: read-only, MAP_NORESERVE or shared. */
	ck_assert(!IS_ERR_VALUE(do_mmap(mm, 0, 128UL << 20, PROT_READ, ANON, -1UL, 0)));
	ck_assert(!IS_ERR_VALUE(do_mmap(mm, 0, 128UL << 20, RW, ANON | MAP_NORESERVE, -1UL, 0)));
	ck_assert(!IS_ERR_VALUE(do_mmap(mm, 0, 128UL << 20, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0)));
	ck_assert_int_eq(vm_committed_pages, 0);
	/* RLIMIT_MEMLOCK: 8 MiB, and 0 forbids MAP_LOCKED outright. */
	ck_assert_int_eq(mmap_err(0, 9UL << 20, RW, ANON | MAP_LOCKED), -EAGAIN);
	ck_assert(!IS_ERR_VALUE(do_mmap(mm, 0, 8UL << 20, RW, ANON | MAP_LOCKED, -1UL, 0)));
	ck_assert_int_eq(mmap_err(0, PG, RW, ANON | MAP_LOCKED), -EAGAIN);
	mm->rlim_memlock = 0;
	ck_assert_int_eq(mmap_err(0, PG, RW, ANON | MAP_LOCKED), -EPERM);
	ck_assert_int_eq(mm->map_count, 4);
	ck_assert_uint_eq(mm->locked_vm, 2048);
}
END_TEST

START_TEST(test_munmap_errno)
{
	map_at(B, 4 * PG, RW);
	ck_assert_int_eq(do_munmap(mm, B + 1, PG), -EINVAL);
	ck_assert_int_eq(do_munmap(mm, B, 0), -EINVAL);
	ck_assert_int_eq(do_munmap(mm, TASK_SIZE + PG, PG), -EINVAL);
	ck_assert_int_eq(do_munmap(mm, B, TASK_SIZE), -EINVAL);
	ck_assert_int_eq(do_munmap(mm, B + 8 * PG, PG), 0);			/* a hole */
	ck_assert_int_eq(do_munmap(mm, B + 3 * PG, 1), 0);			/* rounds up */
	expect_vmas(mm, V(B, B + 3 * PG, F_RW));
}
END_TEST

/* A VMA mprotect may make readable only: what a read-only special mapping looks like. */
static struct vm_area_struct *insert_special(unsigned long start, unsigned long end,
					     vm_flags_t flags, const char *name)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_name = name;
	ck_assert_int_eq(insert_vm_struct(mm, vma), 0);
	return vma;
}

START_TEST(test_mprotect_errno)
{
	struct mm_snapshot before;

	map_at(B, 2 * PG, RW);
	map_at(B + 3 * PG, 2 * PG, RW);
	insert_special(B + 5 * PG, B + 6 * PG, VM_READ | VM_MAYREAD | VM_DONTEXPAND, "[vvar]");
	take_snapshot(mm, &before);
	ck_assert_int_eq(do_mprotect(mm, B + 1, PG, PROT_READ), -EINVAL);
	ck_assert_int_eq(do_mprotect(mm, B, 0, PROT_READ), 0);
	ck_assert_int_eq(do_mprotect(mm, B, PG, 0x10), -EINVAL);
	ck_assert_int_eq(do_mprotect(mm, B, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	ck_assert_int_eq(do_mprotect(mm, B, PG, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	ck_assert_int_eq(do_mprotect(mm, B, PG, PROT_READ | PROT_GROWSUP), -EINVAL);
	ck_assert_int_eq(do_mprotect(mm, B - PG, 2 * PG, PROT_READ), -ENOMEM);	/* hole before */
	ck_assert_int_eq(do_mprotect(mm, B, 4 * PG, PROT_READ), -ENOMEM);	/* hole inside */
	ck_assert_int_eq(do_mprotect(mm, B + 5 * PG, 2 * PG, PROT_READ), -ENOMEM); /* hole after */
	ck_assert_int_eq(do_mprotect(mm, B + 8 * PG, PG, PROT_READ), -ENOMEM);	/* nothing */
	ck_assert_int_eq(do_mprotect(mm, B, ~0UL - PG, PROT_READ), -ENOMEM);	/* wraps */
	ck_assert_int_eq(do_mprotect(mm, B + 5 * PG, PG, RW), -EACCES);	/* no VM_MAYWRITE */
	ck_assert_int_eq(do_mprotect(mm, B + 5 * PG, PG, PROT_EXEC), -EACCES);
	/* Checked before anything changes: the first VMA keeps RW (Linux would change it). */
	ck_assert_int_eq(do_mprotect(mm, B + 3 * PG, 3 * PG, RW), -EACCES);
	expect_snapshot(mm, &before);
	ck_assert_int_eq(do_mprotect(mm, B + 5 * PG, PG, PROT_NONE), 0);
	ck_assert_int_eq(do_mprotect(mm, B + 5 * PG, PG, PROT_READ), 0);
}
END_TEST

/* PROT_GROWSDOWN: from anywhere in a growsdown VMA down to its start. */
START_TEST(test_mprotect_growsdown)
{
	ck_assert_uint_eq(do_mmap(mm, B + 8 * PG, 8 * PG, RW, FIXED | MAP_GROWSDOWN, -1UL, 0),
			  B + 8 * PG);
	ck_assert_int_eq(do_mprotect(mm, B + 12 * PG, PG, PROT_READ | PROT_GROWSDOWN), 0);
	expect_vmas(mm, V(B + 8 * PG, B + 13 * PG, F_RO | VM_GROWSDOWN),
		    V(B + 13 * PG, B + 16 * PG, F_RW | VM_GROWSDOWN));
	ck_assert_uint_eq(mm->stack_vm, 8);
}
END_TEST

/* ---- MAP_FIXED ------------------------------------------------------------------- */

START_TEST(test_map_fixed_replaces)
{
	map_at(B, 4 * PG, RW);
	map_at(B + 4 * PG, 4 * PG, PROT_READ);
	native_pt_reset();
	map_at(B + 2 * PG, 4 * PG, PROT_EXEC);
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 6 * PG, VM_EXEC | MAY),
		    V(B + 6 * PG, B + 8 * PG, F_RO));
	ck_assert_uint_eq(native_pt_ncalls, 3);
	expect_pt_call(0, NATIVE_PT_UNMAP, B + 2 * PG, B + 4 * PG);
	expect_pt_call(1, NATIVE_PT_UNMAP, B + 4 * PG, B + 6 * PG);
	expect_pt_call(2, NATIVE_PT_FREE_PGTABLES, B + 2 * PG, B + 6 * PG);
	ck_assert_int_eq(vm_committed_pages, 2);
	ck_assert_uint_eq(mm->exec_vm, 4);
	ck_assert_uint_eq(mm->total_vm, 8);
	/* Replacing with what is beside it merges; the charge for RW is taken again. */
	map_at(B + 2 * PG, 4 * PG, RW);
	expect_vmas(mm, V(B, B + 6 * PG, F_RW), V(B + 6 * PG, B + 8 * PG, F_RO));
	ck_assert_int_eq(vm_committed_pages, 6);
	/* Over the middle of one VMA with the same flags: the same one VMA, the range zapped. */
	native_pt_reset();
	map_at(B + PG, 2 * PG, RW);
	expect_vmas(mm, V(B, B + 6 * PG, F_RW), V(B + 6 * PG, B + 8 * PG, F_RO));
	expect_pt_call(0, NATIVE_PT_UNMAP, B + PG, B + 3 * PG);
	ck_assert_int_eq(vm_committed_pages, 6);
	ck_assert_uint_eq(vm_area_pool.in_use, 2);
	/* Shared anonymous memory over private: a new object, pgoff 0. */
	ck_assert_uint_eq(do_mmap(mm, B + PG, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				  -1UL, 0), B + PG);
	expect_vmas(mm, V(B, B + PG, F_RW),
		    { B + PG, B + 3 * PG, 0, VM_READ | VM_WRITE | MAY | VM_SHARED | VM_MAYSHARE },
		    V(B + 3 * PG, B + 6 * PG, F_RW), V(B + 6 * PG, B + 8 * PG, F_RO));
	ck_assert_int_eq(vm_committed_pages, 4);
}
END_TEST

START_TEST(test_map_fixed_noreplace)
{
	struct mm_snapshot before;

	map_at(B + 2 * PG, 2 * PG, RW);
	take_snapshot(mm, &before);
	ck_assert_int_eq(mmap_err(B + 2 * PG, PG, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	ck_assert_int_eq(mmap_err(B, 3 * PG, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	ck_assert_int_eq(mmap_err(B + 3 * PG, 4 * PG, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	ck_assert_int_eq(mmap_err(B + 1, PG, RW, ANON | MAP_FIXED_NOREPLACE), -EINVAL);
	expect_snapshot(mm, &before);
	/* Right next to it is free: allowed, and merges. */
	ck_assert_uint_eq(mmap_err(B, 2 * PG, RW, ANON | MAP_FIXED_NOREPLACE), B);
	expect_vmas(mm, V(B, B + 4 * PG, F_RW));
}
END_TEST

/* ---- get_unmapped_area --------------------------------------------------------------- */

START_TEST(test_get_unmapped_area_topdown)
{
	unsigned long base = mm->mmap_base, a;

	ck_assert_uint_eq(base, 0x7ffff7fff000UL);
	ck_assert_uint_eq(mmap_err(0, PG, RW, ANON), base - PG);
	ck_assert_uint_eq(mmap_err(0, 3 * PG, RW, ANON), base - 4 * PG);	/* merges below */
	expect_vmas(mm, V(base - 4 * PG, base, F_RW));
	/* A free hint is honoured; an aligned-down one too; a taken one falls back. */
	ck_assert_uint_eq(mmap_err(B, PG, RW, ANON), B);
	ck_assert_uint_eq(mmap_err(B + 2 * PG + 123, PG, PROT_READ, ANON), B + 2 * PG);
	ck_assert_uint_eq(mmap_err(B, PG, PROT_READ, ANON), base - 5 * PG);
	/* A hint below mmap_min_addr is raised to it. */
	ck_assert_uint_eq(mmap_err(0x1000, PG, RW, ANON), 0x10000);
	/* A hole that fits is used: the highest one. */
	ck_assert_int_eq(do_munmap(mm, base - 3 * PG, PG), 0);
	ck_assert_uint_eq(mmap_err(0, PG, PROT_EXEC, ANON), base - 3 * PG);
	ck_assert_uint_eq(mmap_err(0, 2 * PG, PROT_EXEC, ANON), base - 7 * PG);
	a = get_unmapped_area(mm, 0, TASK_SIZE + 1, 0);
	ck_assert_int_eq((long)a, -ENOMEM);
}
END_TEST

/* Linux's stack_guard_gap: 256 pages below a growsdown VMA stay free. */
START_TEST(test_get_unmapped_area_guard_gap)
{
	unsigned long base = mm->mmap_base, stack = base - 16 * PG;

	ck_assert_uint_eq(stack_guard_gap, 256 * PG);
	ck_assert_uint_eq(do_mmap(mm, stack, 8 * PG, RW, FIXED | MAP_GROWSDOWN, -1UL, 0), stack);
	/* 8 free pages above the stack: 8 fit, 9 must go below the guard gap. */
	ck_assert_uint_eq(mmap_err(0, 9 * PG, PROT_READ, ANON), stack - 256 * PG - 9 * PG);
	ck_assert_uint_eq(mmap_err(0, 8 * PG, PROT_READ, ANON), stack + 8 * PG);
	/* A hint inside the guard gap is not honoured... */
	ck_assert_uint_ne(mmap_err(stack - 4 * PG, PG, RW, ANON), stack - 4 * PG);
	/* ...but MAP_FIXED may go there. */
	map_at(stack - PG, PG, RW);
	/* Below the gap (and the 9 pages placed there) a hint is honoured. */
	ck_assert_uint_eq(mmap_err(stack - 300 * PG, PG, RW, ANON | MAP_NORESERVE),
			  stack - 300 * PG);
}
END_TEST

/* When nothing fits below mmap_base, Linux falls back to bottom-up from TASK_SIZE / 3. */
START_TEST(test_get_unmapped_area_bottomup_fallback)
{
	mm->mmap_base = 0x20000;
	ck_assert_uint_eq(mmap_err(0, 16 * PG, RW, ANON), 0x10000);
	ck_assert_uint_eq(mmap_err(0, PG, RW, ANON), 0x2aaaaaaab000UL);
	ck_assert_uint_eq(mmap_err(0, PG, PROT_READ, ANON), 0x2aaaaaaac000UL);
}
END_TEST

/* ---- brk --------------------------------------------------------------------------- */

#define HEAP	0x600000UL

START_TEST(test_brk_grow_shrink)
{
	map_at(HEAP - PG, PG, RW);		/* the data segment, just below the heap */
	mm->start_brk = mm->brk = HEAP;
	ck_assert_uint_eq(do_brk(mm, HEAP - 1), HEAP);		/* below start_brk */
	ck_assert_uint_eq(do_brk(mm, HEAP + 0x1800), HEAP + 0x1800);
	/* A VMA of its own, although the data VMA has the same flags. */
	expect_vmas(mm, V(HEAP - PG, HEAP, F_RW), V(HEAP, HEAP + 2 * PG, F_RW));
	ck_assert_uint_eq(mm->brk, HEAP + 0x1800);
	ck_assert_uint_eq(do_brk(mm, HEAP + 4 * PG), HEAP + 4 * PG);	/* extends the heap */
	expect_vmas(mm, V(HEAP - PG, HEAP, F_RW), V(HEAP, HEAP + 4 * PG, F_RW));
	ck_assert_uint_eq(do_brk(mm, HEAP + 3 * PG + 5), HEAP + 3 * PG + 5);	/* same page */
	ck_assert_int_eq(mm->map_count, 2);
	native_pt_reset();
	ck_assert_uint_eq(do_brk(mm, HEAP + 2 * PG), HEAP + 2 * PG);	/* shrinks */
	expect_vmas(mm, V(HEAP - PG, HEAP, F_RW), V(HEAP, HEAP + 2 * PG, F_RW));
	expect_pt_call(0, NATIVE_PT_UNMAP, HEAP + 2 * PG, HEAP + 4 * PG);
	ck_assert_int_eq(vm_committed_pages, 3);
	ck_assert_uint_eq(mm->data_vm, 3);
}
END_TEST

START_TEST(test_brk_refuses_next_vma)
{
	mm->start_brk = mm->brk = HEAP;
	map_at(HEAP + 16 * PG, PG, PROT_READ);
	/* One page must stay free below the next VMA. */
	ck_assert_uint_eq(do_brk(mm, HEAP + 15 * PG + 1), HEAP);
	ck_assert_uint_eq(do_brk(mm, HEAP + 15 * PG), HEAP + 15 * PG);
	expect_vmas(mm, V(HEAP, HEAP + 15 * PG, F_RW), V(HEAP + 16 * PG, HEAP + 17 * PG, F_RO));
	/* Below a growsdown VMA, its guard gap too. */
	ck_assert_int_eq(do_munmap(mm, HEAP + 16 * PG, PG), 0);
	ck_assert_uint_eq(do_mmap(mm, HEAP + 300 * PG, PG, RW, FIXED | MAP_GROWSDOWN, -1UL, 0),
			  HEAP + 300 * PG);
	ck_assert_uint_eq(do_brk(mm, HEAP + 44 * PG + 1), HEAP + 15 * PG);
	ck_assert_uint_eq(do_brk(mm, HEAP + 43 * PG), HEAP + 43 * PG);
}
END_TEST

START_TEST(test_brk_shrink_across_split_heap)
{
	mm->start_brk = mm->brk = HEAP;
	ck_assert_uint_eq(do_brk(mm, HEAP + 8 * PG), HEAP + 8 * PG);
	ck_assert_int_eq(do_mprotect(mm, HEAP + 3 * PG, 2 * PG, PROT_READ), 0);
	ck_assert_int_eq(mm->map_count, 3);
	ck_assert_uint_eq(do_brk(mm, HEAP + 2 * PG), HEAP + 2 * PG);
	expect_vmas(mm, V(HEAP, HEAP + 2 * PG, F_RW));
	ck_assert_int_eq(vm_committed_pages, 2);
	/* The heap unmapped by hand: brk can no longer shrink, only report. */
	ck_assert_int_eq(do_munmap(mm, HEAP, 2 * PG), 0);
	ck_assert_uint_eq(do_brk(mm, HEAP + PG), HEAP + 2 * PG);
	/* And growing again starts a new heap VMA. */
	ck_assert_uint_eq(do_brk(mm, HEAP + 4 * PG), HEAP + 4 * PG);
	expect_vmas(mm, V(HEAP + 2 * PG, HEAP + 4 * PG, F_RW));
}
END_TEST

/* ---- vm.max_map_count -------------------------------------------------------------- */

START_TEST(test_max_map_count)
{
	int i;

	sysctl_max_map_count = 10;
	for (i = 0; i < 10; i++)
		map_at(B + 4 * i * PG, 3 * PG, RW);
	/* mmap checks "> max": it may still take map_count one past the limit (Linux). */
	map_at(B + 100 * PG, PG, RW);
	ck_assert_int_eq(mm->map_count, 11);
	ck_assert_int_eq(mmap_err(B + 200 * PG, PG, RW, FIXED), -ENOMEM);
	/* A split that adds a VMA needs map_count below the limit. */
	ck_assert_int_eq(do_munmap(mm, B + PG, PG), -ENOMEM);
	ck_assert_int_eq(do_mprotect(mm, B + PG, PG, PROT_READ), -ENOMEM);
	ck_assert_int_eq(do_munmap(mm, B + 100 * PG, PG), 0);		/* whole: 10 */
	ck_assert_int_eq(do_munmap(mm, B + PG, PG), -ENOMEM);
	ck_assert_int_eq(do_munmap(mm, B + 2 * PG, PG), 0);		/* an end: no split */
	ck_assert_int_eq(do_munmap(mm, B + 4 * PG, 3 * PG), 0);		/* 9 */
	ck_assert_int_eq(do_mprotect(mm, B + 8 * PG, PG, PROT_READ), 0);	/* one split: 10 */
	ck_assert_int_eq(do_mprotect(mm, B + 12 * PG, 3 * PG, PROT_READ), 0);	/* no split */
	ck_assert_int_eq(mm->map_count, 10);
	/* Two splits at 9 VMAs: the second would reach 11. */
	ck_assert_int_eq(do_munmap(mm, B + 16 * PG, 3 * PG), 0);
	ck_assert_int_eq(do_mprotect(mm, B + 21 * PG, PG, PROT_READ), -ENOMEM);
	ck_assert_int_eq(do_mprotect(mm, B + 20 * PG, PG, PROT_READ), 0);
	/* mmap into the middle of a VMA is a munmap split first. */
	ck_assert_int_eq(mmap_err(B + 25 * PG, PG, PROT_READ, FIXED), -ENOMEM);
}
END_TEST

START_TEST(test_max_map_count_default)
{
	int i;

	vm_debug_validate = false;
	ck_assert_int_eq(sysctl_max_map_count, 65530);
	for (i = 0; i < 65530; i++)
		map_at(B + 2 * i * PG, PG, i % 2 ? RW : PROT_READ);
	map_at(B + 2 * 65530UL * PG, PG, RW);
	ck_assert_int_eq(mmap_err(0, PG, RW, ANON), -ENOMEM);
	ck_assert_int_eq(mm->map_count, 65531);
	ck_assert(validate_mm(mm));
	/* A red-black tree of 65531 nodes is at most 2 log2(n + 1) high. */
	ck_assert_int_le(tree_height(mm->mm_rb.rb_node), 31);
}
END_TEST

/* ---- /proc/PID/maps ------------------------------------------------------------------- */

/* Spaces before a name: to column 73, plus the one seq_pad() adds. */
#define SP26	"                          "
#define SP34	SP26 "        "

START_TEST(test_proc_maps_text)
{
	static const char expected[] =
		"00400000-00401000 r-xp 00000000 00:00 0 \n"
		"005ff000-00600000 rw-p 00000000 00:00 0 \n"
		"00600000-00603000 rw-p 00000000 00:00 0" SP34 "[heap]\n"
		"10000000-10001000 r--p 00000000 00:00 0" SP34 "[vvar]\n"
		"7ffff7ffc000-7ffff7ffd000 ---p 00000000 00:00 0 \n"
		"7ffff7ffd000-7ffff7ffe000 rw-s 00000000 00:01 1" SP26 "/dev/zero (deleted)\n"
		"7ffff7ffe000-7ffff7fff000 r--s 00001000 00:01 1" SP26 "/dev/zero (deleted)\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0" SP26 "[stack]\n";
	unsigned long base = mm->mmap_base;
	char buf[1024];

	map_at(0x400000, PG, PROT_READ | PROT_EXEC);
	map_at(0x5ff000, PG, RW);
	mm->start_brk = mm->brk = 0x600000;
	ck_assert_uint_eq(do_brk(mm, 0x602010), 0x602010);
	insert_special(B, B + PG, VM_READ | VM_MAYREAD | VM_DONTEXPAND, "[vvar]");
	ck_assert_uint_eq(mmap_err(0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS), base - 2 * PG);
	ck_assert_int_eq(do_mprotect(mm, base - PG, PG, PROT_READ), 0);
	ck_assert_uint_eq(mmap_err(0, PG, PROT_NONE, ANON), base - 3 * PG);
	ck_assert_uint_eq(do_mmap(mm, 0x7ffffffde000, 0x21000, RW, FIXED | MAP_GROWSDOWN, -1UL, 0),
			  0x7ffffffde000);
	mm->start_stack = 0x7fffffffe5a0;
	ck_assert_int_eq(proc_maps_show(mm, buf, sizeof(buf)), (int)strlen(expected));
	ck_assert_str_eq(buf, expected);
	/* Too small a buffer: -1 and a NUL-terminated prefix. */
	ck_assert_int_eq(proc_maps_show(mm, buf, 50), -1);
	ck_assert_uint_eq(strlen(buf), 49);
	ck_assert_int_eq(strncmp(buf, expected, 49), 0);
}
END_TEST

/* ---- /proc/PID/smaps -------------------------------------------------------------------- */

static void present(unsigned int i, unsigned long addr, struct page *page, bool young, bool dirty)
{
	native_pt_entries[i] = (struct pte_walk_entry){ addr, page, young, dirty };
	native_pt_nentries = i + 1;
}

/*
 * Linux's accounting: the zero page is not resident; a page mapped twice
 * adds half of itself to Pss and counts as shared; a clean page is
 * Private_Clean; Locked is the Pss of VM_LOCKED VMAs; shared anonymous
 * memory is not Anonymous.
 */
START_TEST(test_proc_smaps_text)
{
	static const char first[] =
		"7ffff7ffb000-7ffff7fff000 rw-p 00000000 00:00 0 \n"
		"Size:                 16 kB\n"
		"KernelPageSize:        4 kB\n"
		"MMUPageSize:           4 kB\n"
		"Rss:                   8 kB\n"
		"Pss:                   6 kB\n"
		"Pss_Dirty:             6 kB\n"
		"Shared_Clean:          0 kB\n"
		"Shared_Dirty:          4 kB\n"
		"Private_Clean:         0 kB\n"
		"Private_Dirty:         4 kB\n"
		"Referenced:            4 kB\n"
		"Anonymous:             8 kB\n"
		"KSM:                   0 kB\n"
		"LazyFree:              0 kB\n"
		"AnonHugePages:         0 kB\n"
		"ShmemPmdMapped:        0 kB\n"
		"FilePmdMapped:         0 kB\n"
		"Shared_Hugetlb:        0 kB\n"
		"Private_Hugetlb:       0 kB\n"
		"Swap:                  0 kB\n"
		"SwapPss:               0 kB\n"
		"Locked:                0 kB\n"
		"THPeligible:    0\n"
		"VmFlags: rd wr mr mw me ac \n";
	struct page own = { ._refcount = 1, ._mapcount = 1 };
	struct page cow = { ._refcount = 2, ._mapcount = 2 };
	struct page locked3 = { ._refcount = 3, ._mapcount = 3 };
	struct page clean = { ._refcount = 1, ._mapcount = 1 };
	struct page shm = { ._refcount = 1, ._mapcount = 1 };
	unsigned long base = mm->mmap_base;
	static char buf[8192];

	ck_assert_uint_eq(mmap_err(0, 4 * PG, RW, ANON), base - 4 * PG);
	ck_assert_uint_eq(mmap_err(0, 3 * PG, PROT_READ, ANON | MAP_LOCKED), base - 7 * PG);
	ck_assert_uint_eq(mmap_err(0, PG, RW, MAP_SHARED | MAP_ANONYMOUS), base - 8 * PG);
	/* As a page of the mapping's shmem object would be. */
	shm.mapping = find_vma(mm, base - 8 * PG)->vm_file->f_mapping;
	present(0, base - 8 * PG, &shm, true, true);
	present(1, base - 7 * PG, &locked3, false, false);
	present(2, base - 6 * PG, &clean, false, false);
	present(3, base - 5 * PG, NULL, true, false);		/* the zero page */
	present(4, base - 4 * PG, &own, true, true);
	present(5, base - 3 * PG, &cow, false, true);
	ck_assert_int_gt(proc_smaps_show(mm, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, first));
	/* The locked VMA: 4 kB / 3 + 4 kB of Pss, all of it Locked; clean, unreferenced. */
	ck_assert_ptr_nonnull(strstr(buf, "rw-s 00000000 00:01 1"));
	ck_assert_ptr_nonnull(strstr(buf, "Pss:                   5 kB\nPss_Dirty:             0 kB\n"
					  "Shared_Clean:          4 kB\nShared_Dirty:          0 kB\n"
					  "Private_Clean:         4 kB\n"));
	ck_assert_ptr_nonnull(strstr(buf, "Locked:                5 kB\nTHPeligible:    0\n"
					  "VmFlags: rd mr mw me lo \n"));
	/* The shared anonymous page: resident and dirty, but not Anonymous. */
	ck_assert_ptr_nonnull(strstr(buf, "Private_Dirty:         4 kB\nReferenced:            4 kB\n"
					  "Anonymous:             0 kB\n"));
	ck_assert_ptr_nonnull(strstr(buf, "VmFlags: rd wr sh mr mw me ms \n"));
	ck_assert_int_eq(proc_smaps_show(mm, buf, 100), -1);
}
END_TEST

/* ---- MAP_POPULATE, MAP_LOCKED, stack growth, special mappings ------------------------ */

static unsigned int count_calls(enum native_pt_op op)
{
	unsigned int k, n = 0;

	for (k = 0; k < native_pt_ncalls && k < NATIVE_PT_KEEP; k++)
		n += native_pt_calls[k].op == op;
	return n;
}

START_TEST(test_populate_and_locked)
{
	ck_assert_uint_eq(do_mmap(mm, B, 4 * PG, RW, FIXED | MAP_POPULATE, -1UL, 0), B);
	expect_pt_call(0, NATIVE_PT_POPULATE, B, B + 4 * PG);
	native_pt_reset();
	do_mmap(mm, B + 8 * PG, PG, RW, FIXED | MAP_POPULATE | MAP_NONBLOCK, -1UL, 0);
	do_mmap(mm, B + 10 * PG, PG, PROT_NONE, FIXED | MAP_POPULATE, -1UL, 0);
	ck_assert_uint_eq(count_calls(NATIVE_PT_POPULATE), 0);
	/* MAP_LOCKED populates and counts; munmap uncounts. */
	ck_assert_uint_eq(do_mmap(mm, B + 12 * PG, 3 * PG, PROT_READ, FIXED | MAP_LOCKED, -1UL, 0),
			  B + 12 * PG);
	ck_assert_uint_eq(count_calls(NATIVE_PT_POPULATE), 1);
	ck_assert_uint_eq(mm->locked_vm, 3);
	/* A locked private mapping turning writable is populated for writing. */
	native_pt_reset();
	ck_assert_int_eq(do_mprotect(mm, B + 13 * PG, PG, RW), 0);
	expect_pt_call(0, NATIVE_PT_PROTECT, B + 13 * PG, B + 14 * PG);
	expect_pt_call(1, NATIVE_PT_POPULATE, B + 13 * PG, B + 14 * PG);
	ck_assert_int_eq(do_munmap(mm, B + 12 * PG, 2 * PG), 0);
	ck_assert_uint_eq(mm->locked_vm, 1);
	ck_assert_int_eq(vm_committed_pages, 5);
}
END_TEST

START_TEST(test_expand_stack)
{
	unsigned long s = B + 0x2000000, top = s + 4 * PG, start;
	struct vm_area_struct *vma, *below;

	ck_assert_uint_eq(do_mmap(mm, s, 4 * PG, RW, FIXED | MAP_GROWSDOWN, -1UL, 0), s);
	vma = find_vma(mm, s);
	ck_assert_ptr_eq(expand_stack(mm, s + PG), vma);		/* inside: as is */
	ck_assert_ptr_eq(expand_stack(mm, s - PG + 8), vma);
	expect_vmas(mm, { s - PG, top, (s >> PAGE_SHIFT) - 1, F_RW | VM_GROWSDOWN });
	ck_assert_uint_eq(mm->stack_vm, 5);
	ck_assert_int_eq(vm_committed_pages, 5);
	ck_assert_uint_ne(vma->anon_vma, 0);
	/* RLIMIT_STACK: 8 MiB in all. */
	ck_assert_ptr_null(expand_stack(mm, top - (8UL << 20) - PG));
	ck_assert_ptr_eq(expand_stack(mm, top - (8UL << 20)), vma);
	ck_assert_uint_eq(mm->stack_vm, 2048);
	ck_assert_ptr_null(expand_stack(mm, vma->vm_start - PG));
	/* An accessible VMA less than the guard gap below stops it; PROT_NONE does not. */
	mm->rlim_stack = 64UL << 20;
	start = vma->vm_start;
	map_at(start - 300 * PG, PG, PROT_READ);
	below = find_vma(mm, start - 300 * PG);
	ck_assert_ptr_null(expand_stack(mm, start - 44 * PG));
	ck_assert_ptr_eq(expand_stack(mm, start - 43 * PG), vma);
	ck_assert_int_eq(do_mprotect(mm, below->vm_start, PG, PROT_NONE), 0);
	ck_assert_ptr_eq(expand_stack(mm, below->vm_end), vma);
	ck_assert_uint_eq(vma->vm_start, below->vm_end);
	/* Below a VMA that does not grow down, or above every VMA: nothing. */
	ck_assert_ptr_null(expand_stack(mm, below->vm_start - PG));
	ck_assert_ptr_null(expand_stack(mm, TASK_SIZE - PG));
}
END_TEST

START_TEST(test_insert_vm_struct)
{
	struct vm_area_struct *vma;

	map_at(B, 2 * PG, RW);
	vma = vm_area_alloc(mm);
	vma->vm_start = B + PG;
	vma->vm_end = B + 3 * PG;
	vma->vm_flags = F_RW;
	ck_assert_int_eq(insert_vm_struct(mm, vma), -ENOMEM);		/* overlaps */
	vma->vm_start = B + 2 * PG;
	ck_assert_int_eq(insert_vm_struct(mm, vma), 0);			/* never merges */
	expect_vmas(mm, V(B, B + 2 * PG, F_RW), V(B + 2 * PG, B + 3 * PG, F_RW));
	ck_assert_int_eq(vm_committed_pages, 3);
}
END_TEST

/* ---- random operations against a model ----------------------------------------------- */

/*
 * The model: one entry per page of a window of NPAGES pages at B, with
 * what the VMA over it must say.  After every step the tree must hold
 * exactly the maximal runs of pages that can be one VMA (same flags and
 * object, continuous pgoff), as Linux's merging leaves them.
 */
#define NPAGES	96

struct page_model {
	bool mapped;
	vm_flags_t flags;
	unsigned long shm, pgoff;
};

static struct page_model model[NPAGES];
static unsigned long model_shm;

static unsigned long page_addr(int i)
{
	return B + (unsigned long)i * PG;
}

static bool model_joins(int i)
{
	const struct page_model *a = &model[i - 1], *b = &model[i];

	return a->mapped && b->mapped && a->flags == b->flags && a->shm == b->shm &&
	       b->pgoff == a->pgoff + 1;
}

/* The shmem object's inode number: shared mappings made in order number them 1, 2, ... */
static unsigned long vma_ino(const struct vm_area_struct *vma)
{
	return vma->vm_file ? file_inode(vma->vm_file)->i_ino : 0;
}

/* The tree against the model after step (for the message when it is not). */
static void model_check(int step)
{
	struct vm_area_struct *vma = find_vma(mm, 0);
	long committed = 0;
	int i, j, n = 0;

	for (i = 0; i < NPAGES; i++)
		committed += model[i].mapped && (model[i].flags & VM_ACCOUNT);
	for (i = 0; i < NPAGES; i++) {
		if (!model[i].mapped)
			continue;
		if (i > 0 && model_joins(i))
			continue;
		/* Pages i to j - 1 are one VMA: it must be the next one, exactly. */
		for (j = i + 1; j < NPAGES && model_joins(j); j++)
			;
		fast_assert_msg(vma, "step %d: no VMA at %lx, the model has %lx-%lx", step,
				page_addr(i), page_addr(i), page_addr(j));
		fast_assert_msg(vma->vm_start == page_addr(i) && vma->vm_end == page_addr(j) &&
				vma->vm_flags == model[i].flags && vma_ino(vma) == model[i].shm &&
				vma->vm_pgoff == model[i].pgoff,
				"step %d: VMA %lx-%lx flags %lx shm %lu pgoff %lx, the model has "
				"%lx-%lx flags %lx shm %lu pgoff %lx", step, vma->vm_start,
				vma->vm_end, vma->vm_flags, vma_ino(vma), vma->vm_pgoff, page_addr(i),
				page_addr(j), model[i].flags, model[i].shm, model[i].pgoff);
		vma = vma_next(vma);
		i = j - 1;
		n++;
	}
	fast_assert_msg(!vma, "step %d: VMA %lx-%lx, which the model does not have", step,
			vma ? vma->vm_start : 0, vma ? vma->vm_end : 0);
	fast_assert_int_eq(mm->map_count, n);
	fast_assert_int_eq(vm_committed_pages, committed);
}

static const unsigned long prots[] = {
	PROT_NONE, PROT_READ, PROT_WRITE, RW, PROT_EXEC, PROT_READ | PROT_EXEC,
	RW | PROT_EXEC,
};

static void model_mmap(struct rnd_state *rnd, int a, int b)
{
	unsigned long prot = prots[prandom_u32_below(rnd, ARRAY_SIZE(prots))];
	bool shared = prandom_u32_below(rnd, 4) == 0;
	bool noreserve = prandom_u32_below(rnd, 4) == 0;
	unsigned long flags = MAP_ANONYMOUS | MAP_FIXED | (shared ? MAP_SHARED : MAP_PRIVATE) |
			      (noreserve ? MAP_NORESERVE : 0);
	vm_flags_t vmf = prot | MAY | (shared ? VM_SHARED | VM_MAYSHARE : 0) |
			 (noreserve ? VM_NORESERVE : 0);
	int i;

	if (accountable_mapping(vmf))
		vmf |= VM_ACCOUNT;
	fast_assert_uint_eq(do_mmap(mm, page_addr(a), (unsigned long)(b - a) * PG, prot, flags,
				    -1UL, 0), page_addr(a));
	if (shared)
		model_shm++;
	for (i = a; i < b; i++)
		model[i] = (struct page_model){
			.mapped = true, .flags = vmf, .shm = shared ? model_shm : 0,
			.pgoff = shared ? (unsigned long)(i - a) : page_addr(i) >> PAGE_SHIFT,
		};
}

static void model_munmap(int a, int b)
{
	int i;

	fast_assert_int_eq(do_munmap(mm, page_addr(a), (unsigned long)(b - a) * PG), 0);
	for (i = a; i < b; i++)
		model[i].mapped = false;
}

/* Linux's mprotect_fixup() flags; nothing is faulted in here, so no anon_vma. */
static vm_flags_t model_newflags(vm_flags_t old, unsigned long prot)
{
	vm_flags_t f = prot | (old & ~VM_ACCESS_FLAGS);

	if (f & VM_WRITE) {
		if (!(old & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)))
			f |= VM_ACCOUNT;
	} else if (!(old & VM_SHARED)) {
		f &= ~VM_ACCOUNT;
	}
	return f;
}

static void model_mprotect(struct rnd_state *rnd, int a, int b)
{
	unsigned long prot = prots[prandom_u32_below(rnd, ARRAY_SIZE(prots))];
	bool hole = false;
	int i;

	for (i = a; i < b; i++)
		hole |= !model[i].mapped;
	fast_assert_int_eq(do_mprotect(mm, page_addr(a), (unsigned long)(b - a) * PG, prot),
			   hole ? -ENOMEM : 0);
	if (hole)
		return;
	for (i = a; i < b; i++)
		model[i].flags = model_newflags(model[i].flags, prot);
}

START_TEST(test_random_ops_against_model)
{
	struct rnd_state rnd;
	int step, a, b, op;

	prandom_seed_state(&rnd, 1000 + _i);
	for (step = 0; step < 3000; step++) {
		a = prandom_u32_below(&rnd, NPAGES);
		b = a + 1 + prandom_u32_below(&rnd, min(16, NPAGES - a));
		op = prandom_u32_below(&rnd, 10);
		if (op < 4)
			model_mmap(&rnd, a, b);
		else if (op < 6)
			model_munmap(a, b);
		else
			model_mprotect(&rnd, a, b);
		model_check(step);
	}
	model_munmap(0, NPAGES);
	model_check(step);
	ck_assert_uint_eq(vm_area_pool.in_use, 0);
}
END_TEST

static Suite *mmap_suite(void)
{
	Suite *s = suite_create("mmap");
	TCase *tc = tcase_create("mmap");

	tcase_add_checked_fixture(tc, mm_setup, NULL);
	tcase_add_test(tc, test_mmap_errno);
	tcase_add_test(tc, test_munmap_errno);
	tcase_add_test(tc, test_mprotect_errno);
	tcase_add_test(tc, test_mprotect_growsdown);
	tcase_add_test(tc, test_map_fixed_replaces);
	tcase_add_test(tc, test_map_fixed_noreplace);
	tcase_add_test(tc, test_get_unmapped_area_topdown);
	tcase_add_test(tc, test_get_unmapped_area_guard_gap);
	tcase_add_test(tc, test_get_unmapped_area_bottomup_fallback);
	tcase_add_test(tc, test_brk_grow_shrink);
	tcase_add_test(tc, test_brk_refuses_next_vma);
	tcase_add_test(tc, test_brk_shrink_across_split_heap);
	tcase_add_test(tc, test_max_map_count);
	tcase_add_test(tc, test_max_map_count_default);
	tcase_add_test(tc, test_proc_maps_text);
	tcase_add_test(tc, test_proc_smaps_text);
	tcase_add_test(tc, test_populate_and_locked);
	tcase_add_test(tc, test_expand_stack);
	tcase_add_test(tc, test_insert_vm_struct);
	tcase_add_loop_test(tc, test_random_ops_against_model, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(mmap_suite)
