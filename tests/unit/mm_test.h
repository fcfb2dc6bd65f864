/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the address-space tests (test_vma.c, test_mmap.c): a fresh
 * machine and mm per test, VMA-list expectations, and whole snapshots of
 * an mm to show that a failed operation changed nothing.
 *
 * Each test runs in its own forked process (Check), so the machine, the
 * allocators and every counter start from zero.  vm_debug_validate is
 * on: every operation ends with validate_mm() and a broken rule aborts.
 */
#ifndef TESTS_MM_TEST_H
#define TESTS_MM_TEST_H

#include <string.h>

#include <linux/fs.h>
#include <linux/mm_vma.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <native/mm_machine.h>
#include <native/pgtable_seam.h>

#include "check_fast.h"
#include "check_main.h"
#include "guest/mm/vma.h"

#define PG		PAGE_SIZE
#define MACHINE_SIZE	(64UL << 20)
/* Where fixed mappings go in the tests: far from mmap_base and the hints. */
#define BASE		0x10000000UL
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)
#define FIXED		(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
/* What an anonymous mapping always may become. */
#define MAY		(VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define F_RW		(VM_READ | VM_WRITE | MAY | VM_ACCOUNT)
#define F_RO		(VM_READ | MAY)

static struct mm_struct *mm;

static void mm_setup(void)
{
	native_mm_machine_init(MACHINE_SIZE);
	kmem_cache_init();	/* shared anonymous memory's shmem objects come from kmalloc */
	vm_debug_validate = true;
	mm = mm_alloc();
	ck_assert_ptr_nonnull(mm);
	native_pt_reset();
}

/* mmap that must succeed at exactly addr.  Tests call it in loops of thousands. */
static inline void map_at(unsigned long addr, unsigned long len, unsigned long prot)
{
	fast_assert_uint_eq(do_mmap(mm, addr, len, prot, FIXED, -1UL, 0), addr);
}

static inline long mmap_err(unsigned long addr, unsigned long len, unsigned long prot,
			    unsigned long flags)
{
	return (long)do_mmap(mm, addr, len, prot, flags, -1UL, 0);
}

struct vma_expect {
	unsigned long start, end, pgoff;
	vm_flags_t flags;
};

/* The mm holds exactly these VMAs, in order; map_count agrees. */
static inline void expect_vmas_(struct mm_struct *m, const struct vma_expect *e, int n,
				int line)
{
	struct vm_area_struct *vma;
	int i = 0;

	for_each_vma(m, vma) {
		fast_assert_msg(i < n, "line %d: more than %d VMAs, next %lx-%lx", line, n,
				vma->vm_start, vma->vm_end);
		fast_assert_msg(vma->vm_start == e[i].start && vma->vm_end == e[i].end &&
				vma->vm_pgoff == e[i].pgoff && vma->vm_flags == e[i].flags,
				"line %d: VMA %d is %lx-%lx pgoff %lx flags %lx, expected %lx-%lx "
				"pgoff %lx flags %lx", line, i, vma->vm_start, vma->vm_end,
				vma->vm_pgoff, vma->vm_flags, e[i].start, e[i].end, e[i].pgoff,
				e[i].flags);
		i++;
	}
	ck_assert_msg(i == n, "line %d: %d VMAs, expected %d", line, i, n);
	ck_assert_int_eq(m->map_count, n);
	ck_assert(validate_mm(m));
}

#define expect_vmas(m, ...)						\
	do {								\
		const struct vma_expect e_[] = { __VA_ARGS__ };		\
		expect_vmas_(m, e_, (int)ARRAY_SIZE(e_), __LINE__);	\
	} while (0)
#define expect_no_vmas(m)	expect_vmas_(m, NULL, 0, __LINE__)

/* A private anonymous VMA made by mmap at start: pgoff is start's page number. */
#define V(start, end, flags)	{ (start), (end), (start) >> PAGE_SHIFT, (flags) }

/* Nodes on the longest path from rb down: what a lookup can cost. */
static inline int tree_height(const struct rb_node *rb)
{
	int left, right;

	if (!rb)
		return 0;
	left = tree_height(rb->rb_left);
	right = tree_height(rb->rb_right);
	return 1 + max(left, right);
}

/* ---- snapshots -------------------------------------------------------------------- */
#define SNAP_MAX	64

struct mm_snapshot {
	struct vm_area_struct vmas[SNAP_MAX];	/* copies; links not compared */
	int n;
	struct mm_struct mm;			/* copy of the counters */
	long committed;
	unsigned long pool_in_use;
};

static inline void take_snapshot(struct mm_struct *m, struct mm_snapshot *s)
{
	struct vm_area_struct *vma;

	s->n = 0;
	for_each_vma(m, vma) {
		fast_assert_int_lt(s->n, SNAP_MAX);
		s->vmas[s->n++] = *vma;
	}
	s->mm = *m;
	s->committed = vm_committed_pages;
	s->pool_in_use = vm_area_pool.in_use;
}

/* Everything a VMA is, and every counter, as in the snapshot; same structures too. */
static inline void expect_snapshot(struct mm_struct *m, const struct mm_snapshot *s)
{
	struct mm_snapshot now;
	int i;

	take_snapshot(m, &now);
	ck_assert_int_eq(now.n, s->n);
	for (i = 0; i < s->n; i++) {
		const struct vm_area_struct *a = &now.vmas[i], *b = &s->vmas[i];

		fast_assert_uint_eq(a->vm_start, b->vm_start);
		fast_assert_uint_eq(a->vm_end, b->vm_end);
		fast_assert_uint_eq(a->vm_pgoff, b->vm_pgoff);
		fast_assert_uint_eq(a->vm_flags, b->vm_flags);
		fast_assert_uint_eq(pgprot_val(a->vm_page_prot), pgprot_val(b->vm_page_prot));
		fast_assert_uint_eq(a->anon_vma, b->anon_vma);
		fast_assert_int_eq(a->anon_vma_forked, b->anon_vma_forked);
		fast_assert_ptr_eq(a->vm_file, b->vm_file);
		fast_assert_ptr_eq(a->vm_name, b->vm_name);
	}
	ck_assert_int_eq(m->map_count, s->mm.map_count);
	ck_assert_uint_eq(m->total_vm, s->mm.total_vm);
	ck_assert_uint_eq(m->locked_vm, s->mm.locked_vm);
	ck_assert_uint_eq(m->data_vm, s->mm.data_vm);
	ck_assert_uint_eq(m->exec_vm, s->mm.exec_vm);
	ck_assert_uint_eq(m->stack_vm, s->mm.stack_vm);
	ck_assert_uint_eq(m->brk, s->mm.brk);
	ck_assert_int_eq(vm_committed_pages, s->committed);
	ck_assert_uint_eq(vm_area_pool.in_use, s->pool_in_use);
	ck_assert(validate_mm(m));
}

/* ---- the page-table seam's record ---------------------------------------------- */

/* The kth recorded call is op over [start, end). */
static inline void expect_pt_call(unsigned int k, enum native_pt_op op, unsigned long start,
				  unsigned long end)
{
	ck_assert_uint_lt(k, native_pt_ncalls);
	ck_assert_int_eq(native_pt_calls[k].op, op);
	ck_assert_uint_eq(native_pt_calls[k].start, start);
	ck_assert_uint_eq(native_pt_calls[k].end, end);
}

/* Fail the nth VMA allocation from now (fault injection, Linux's fail-nth). */
static inline void fail_vma_alloc_nth(unsigned long nth)
{
	struct fault_config cfg = { .nth = nth, .times = -1 };

	fail_vm_area_alloc_configure(&cfg);
}

#endif
