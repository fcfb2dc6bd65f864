// SPDX-License-Identifier: MIT
/*
 * Unit tests for the rules of `check` (host/verify*.c), without a VM.
 *
 * Each test makes a snapshot by hand (check_snapshot.h): a small machine
 * whose kernel half, accounts, slab, process and struct pages agree, on
 * which every rule passes; then breaks one thing, the way a `plant` of
 * guest/harness/plant.c breaks it in a real guest, and expects the rule
 * that catches it, and no other.  The checker has no guest RAM, so a
 * finding prints no entries under it.
 */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "shared/layout.h"
#include "shared/pte.h"
#include "shared/vm_flags.h"
#include "check/rules.h"
#include "check/verify.h"

#define KiB		(1ULL << 10)
#define MiB		(1ULL << 20)
#define RAM_SIZE	(16 * MiB)
#define KPGD		0x1000ULL	/* the kernel's PGD */
#define TEXT_VA		0xffffffff81000000ULL
#define TEXT_PA		(2 * MiB)
#define TEXT_SIZE	(2 * MiB)
#define VMALLOC_PA	(6 * MiB)
#define FREE_PA		(8 * MiB)	/* 1 MiB of free frames */
#define FREE_SIZE	(1 * MiB)
#define SLAB_PFN	((10 * MiB) >> PAGE_SHIFT)
#define ANON_VA		0x600000ULL	/* the process's anonymous VMA: 2 pages */
#define ANON_PA		(12 * MiB)	/* ... at frames of its own, 8 KiB apart */
#define CODE_VA		0x400000ULL	/* ... and its code, raw frames: not counted */
#define CODE_PA		(14 * MiB)
#define DIRECT		(_PAGE_RW | _PAGE_NX | _PAGE_GLOBAL)
#define UPROT_RW	(_PAGE_RW | _PAGE_USER | _PAGE_NX)

static struct check_snapshot s;
static char *out;

static void add(struct map_list *l, uint64_t va, uint64_t pa, uint64_t size, uint64_t prot,
		const char *what)
{
	ck_assert_int_eq(map_push(l, (struct map){ va, pa, size, prot, what }), 0);
	qsort(l->v, l->n, sizeof(l->v[0]), map_by_va);
}

/* The kernel half: the direct map, vmalloc, text; the host's, the guest's and the walk's word. */
static void kernel_half(void)
{
	add(&s.truth, PAGE_OFFSET, 0, RAM_SIZE, _PAGE_RW | _PAGE_NX, "the direct map of RAM");
	add(&s.truth, TEXT_VA, TEXT_PA, TEXT_SIZE, 0, "the kernel ELF's segment");
	add(&s.claims, PAGE_OFFSET, 0, RAM_SIZE, DIRECT, "its own record");
	add(&s.claims, TEXT_VA, TEXT_PA, TEXT_SIZE, _PAGE_GLOBAL, "its own record");
	add(&s.vmalloc, VMALLOC_START, VMALLOC_PA, PAGE_SIZE, _PAGE_RW | _PAGE_NX,
	    "a vmalloc area's page");
	s.kernel.cr3 = KPGD;
	add(&s.kernel.ranges, PAGE_OFFSET, 0, RAM_SIZE, DIRECT, "walk");
	add(&s.kernel.ranges, VMALLOC_START, VMALLOC_PA, PAGE_SIZE, DIRECT, "walk");
	add(&s.kernel.ranges, TEXT_VA, TEXT_PA, TEXT_SIZE, _PAGE_GLOBAL, "walk");
	s.kernel.done = true;
}

/* A process as a task's VMAs, walk and mm; the anonymous frames' struct pages count it. */
static void process(struct snap_task *t, uint64_t pid, uint64_t pgd, uint64_t anon_pa)
{
	static const struct vmm_vma vmas[] = {
		{ CODE_VA, CODE_VA + PAGE_SIZE, VM_READ | VM_EXEC | VM_PFNMAP, 0 },
		{ ANON_VA, ANON_VA + 2 * PAGE_SIZE, VM_READ | VM_WRITE, 0 },
	};

	t->task = (struct vmm_task){ .pid = pid, .pgd = pgd };
	t->vmas = malloc(sizeof(vmas));
	ck_assert_ptr_nonnull(t->vmas);
	memcpy(t->vmas, vmas, sizeof(vmas));
	t->nvmas = 2;
	t->walk.cr3 = pgd;
	add(&t->walk.ranges, CODE_VA, CODE_PA, PAGE_SIZE, _PAGE_USER, "walk");
	add(&t->walk.ranges, ANON_VA, anon_pa, 2 * PAGE_SIZE, UPROT_RW, "walk");
	t->walk.done = true;
	t->pgd = s.kernel_half;
	t->have_mm = true;
	t->mm.rss_anon = 2;
	for (uint64_t pfn = anon_pa >> PAGE_SHIFT; pfn < (anon_pa >> PAGE_SHIFT) + 2; pfn++)
		s.pages[pfn] = (struct page_counts){ 1, 1 };
}

/* A machine on which every rule passes, with ntasks processes (each its own frames). */
static void machine(size_t ntasks)
{
	memset(&s, 0, sizeof(s));
	s.cr3 = s.kernel_pgd = KPGD;
	kernel_half();
	add(&s.free_blocks, FREE_PA, FREE_PA, FREE_SIZE, 0, "free");
	s.slabs = calloc(1, sizeof(*s.slabs));
	ck_assert_ptr_nonnull(s.slabs);
	s.slabs[0] = (struct vmm_slab){ .pfn = SLAB_PFN, .order = 0, .inuse = 1, .objects = 8,
					.cache = "kmalloc-512" };
	s.nslabs = 1;
	s.slabs_done = true;
	s.tasks_listed = true;
	s.npages = RAM_SIZE >> PAGE_SHIFT;
	s.pages = calloc(s.npages, sizeof(*s.pages));
	ck_assert_ptr_nonnull(s.pages);
	s.zero_pfn = 1;
	s.kernel_half.read = true;
	for (unsigned i = 0; i < KERNEL_HALF_SLOTS; i++)
		s.kernel_half.slot[i] = i == KERNEL_HALF_SLOTS - 1 ? 0x3063 : 0;
	s.tasks = calloc(ntasks ?: 1, sizeof(*s.tasks));
	ck_assert_ptr_nonnull(s.tasks);
	for (size_t i = 0; i < ntasks; i++)
		process(&s.tasks[i], 1 + i, 0x100000 + i * PAGE_SIZE, ANON_PA + i * 2 * PAGE_SIZE);
	s.ntasks = ntasks;
	s.tasks_done = true;
	s.kernel_user.cr3 = KPGD;
	s.kernel_user.done = true;
}

/* Run the rules; the number of findings, their text in out. */
static uint64_t rules(uint64_t records)
{
	struct checker c = { .records_left = records };
	size_t len;

	free(out);
	out = NULL;
	c.out = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(c.out);
	check_rules(&c, &s);
	check_print_more(&c);
	if (c.stop[0])
		fprintf(c.out, "check stopped short: %s\n", c.stop);
	fclose(c.out);
	check_snapshot_free(&s);
	return c.findings;
}

static uint64_t run(void)
{
	return rules(CHECK_MAX_RECORDS);
}

/* Every finding of out is of rule (a line that starts with "[rule]"), and there is one. */
static void only(const char *rule)
{
	char tag[40];
	bool seen = false;

	snprintf(tag, sizeof(tag), "[%s]", rule);
	for (const char *l = out, *nl; l && *l; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (*l != '[')
			continue;
		ck_assert_msg(!strncmp(l, tag, strlen(tag)), "expected only %s in:\n%s", tag, out);
		seen = true;
	}
	ck_assert_msg(seen, "no %s finding in:\n%s", tag, out);
}

static void has(const char *text)
{
	ck_assert_msg(out && strstr(out, text), "no \"%s\" in:\n%s", text, out);
}

/* ---- a machine that passes, and partial snapshots ------------------------ */

START_TEST(consistent_machine_passes)
{
	machine(2);
	ck_assert_uint_eq(run(), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(no_snapshot_no_findings)
{
	memset(&s, 0, sizeof(s));
	ck_assert_uint_eq(run(), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

/* The fetch stopped in the kernel walk: what it found, then why, and nothing else. */
START_TEST(stopped_walk_stops_the_rules)
{
	machine(1);
	s.kernel.done = false;
	s.kernel.found[0] = (struct pt_finding){ PT_BAD_FRAME, PAGE_OFFSET, PT_PMD, 0x3000, 1 };
	s.kernel.nfound = 1;
	s.tasks[0].mm.rss_anon = 5;		/* not looked at */
	snprintf(s.stop, sizeof(s.stop), "out of time");
	ck_assert_uint_eq(run(), 1);
	only("walk");
	has("check stopped short: out of time");
}
END_TEST

/* Slabs that came in part: their rule runs, the processes' do not. */
START_TEST(slabs_in_part_stop_before_processes)
{
	machine(1);
	s.slabs_done = false;
	s.tasks[0].mm.rss_anon = 5;
	ck_assert_uint_eq(run(), 0);
}
END_TEST

/* A process whose mm did not come: its other rules run, its rss and the rest do not. */
START_TEST(task_without_mm_stops_after_its_rules)
{
	machine(2);
	s.tasks[0].have_mm = false;
	s.tasks[0].mm.rss_anon = 5;
	s.tasks[0].pgd.slot[0] = 0x5063;
	s.cr3 = 0x7000;				/* cr3 is judged after every process */
	ck_assert_uint_eq(run(), 1);
	only("kernel-shared");
}
END_TEST

/* ---- walk ------------------------------------------------------------------- */

/* plant bad-frame and loop: the walker's findings, in a process's walk. */
START_TEST(walk_findings_of_a_process)
{
	machine(1);
	s.tasks[0].walk.found[0] = (struct pt_finding){ PT_BAD_FRAME, 0x800000, PT_PTE,
							0x105000, 0x8000000fff000067 };
	s.tasks[0].walk.found[1] = (struct pt_finding){ PT_LOOP, 0x8000000000, PT_PUD,
							0x106000, 0x100067 };
	s.tasks[0].walk.nfound = 2;
	ck_assert_uint_eq(run(), 2);
	only("walk");
	has("PTE entry at 0x105000 = 8000000fff000067");
	has("(cr3 0x100000)");
}
END_TEST

/* More than one check prints: counted, and summed up under the rule. */
START_TEST(walk_findings_past_the_limit_are_summarised)
{
	machine(1);
	for (unsigned i = 0; i < CHECK_FINDINGS_SHOWN; i++)
		s.kernel.found[i] = (struct pt_finding){ PT_RESERVED_BITS, PAGE_OFFSET + i * 4096,
							 PT_PTE, 0x3000 + 8 * i, 1 };
	s.kernel.nfound = CHECK_FINDINGS_SHOWN;
	s.kernel.more_found = 33488285;
	ck_assert_uint_eq(run(), 33488385);
	has("[walk] and 33,488,285 more like it\n");
}
END_TEST

/* ---- the kernel half --------------------------------------------------------- */

START_TEST(kernel_user_bit)
{
	machine(0);
	s.kernel.ranges.v[2].prot |= _PAGE_USER;	/* plant kernel-user on text */
	s.truth.v[1].prot |= _PAGE_USER;
	s.claims.v[1].prot |= _PAGE_USER;
	ck_assert_uint_eq(run(), 1);
	only("kernel-user");
}
END_TEST

START_TEST(kernel_text_writable)
{
	machine(0);
	s.kernel.ranges.v[2].prot |= _PAGE_RW;		/* plant kernel-writable */
	s.claims.v[1].prot |= _PAGE_RW;			/* the guest's record agrees */
	ck_assert_uint_eq(run(), 1);
	only("kernel-truth");
	has("the tables map phys 0x200000 rwx; the host says the kernel ELF's segment: "
	    "phys 0x200000 r-x");
}
END_TEST

/* plant unmap: a hole in the direct map, which the guest's record does not know of. */
START_TEST(direct_map_hole)
{
	struct map *dm;

	machine(0);
	dm = &s.kernel.ranges.v[0];
	dm->size = 4 * MiB;
	add(&s.kernel.ranges, PAGE_OFFSET + 4 * MiB + PAGE_SIZE, 4 * MiB + PAGE_SIZE,
	    RAM_SIZE - 4 * MiB - PAGE_SIZE, DIRECT, "walk");
	ck_assert_uint_eq(run(), 2);
	has("[kernel-truth] ffff888000400000-ffff888000400fff (cr3 0x1000): not mapped, but the "
	    "host says: the direct map of RAM at phys 0x400000");
	has("[kernel-claims] ffff888000400000-ffff888000400fff");
}
END_TEST

START_TEST(direct_map_beyond_ram)
{
	machine(0);
	s.kernel.ranges.v[0].size += 2 * MiB;
	s.claims.v[0].size += 2 * MiB;
	ck_assert_uint_eq(run(), 1);
	only("kernel-truth");
	has("ffff888001000000-ffff8880011fffff (cr3 0x1000): mapped (rw- global, phys 0x1000000), "
	    "but the host has nothing here");
}
END_TEST

START_TEST(direct_map_wrong_frame)
{
	machine(0);
	s.kernel.ranges.v[0].pa = PAGE_SIZE;
	s.claims.v[0].pa = PAGE_SIZE;
	ck_assert_uint_eq(run(), 1);
	only("kernel-truth");
}
END_TEST

/* The guest's record is held to the global bit too; the host's truth is not. */
START_TEST(kernel_claims_global_bit)
{
	machine(0);
	s.claims.v[1].prot = 0;
	ck_assert_uint_eq(run(), 1);
	only("kernel-claims");
	has("the tables map phys 0x200000 r-x global; the guest says its own record: "
	    "phys 0x200000 r-x");
}
END_TEST

START_TEST(vmalloc_page_at_another_frame)
{
	machine(0);
	s.vmalloc.v[0].pa += PAGE_SIZE;
	ck_assert_uint_eq(run(), 1);
	only("vmalloc");
}
END_TEST

/* A guard page, or a freed area, left mapped. */
START_TEST(vmalloc_mapped_without_area)
{
	machine(0);
	s.vmalloc.n = 0;
	ck_assert_uint_eq(run(), 1);
	only("vmalloc");
	has("but the guest's vmalloc areas has nothing here");
}
END_TEST

/* ---- free frames and slabs ---------------------------------------------------- */

/* The direct map maps every frame, free ones too: that is no finding. */
START_TEST(free_frame_in_the_direct_map_passes)
{
	machine(1);
	s.free_blocks.v[0].size = 2 * MiB;	/* ... up to the vmalloc frame, not over it */
	s.free_blocks.v[0].va = s.free_blocks.v[0].pa = 4 * MiB;
	ck_assert_uint_eq(run(), 0);
}
END_TEST

/* plant free-vmalloc-page: the frame behind a vmalloc page is freed, and stays mapped. */
START_TEST(free_frame_behind_vmalloc)
{
	machine(0);
	add(&s.free_blocks, VMALLOC_PA, VMALLOC_PA, PAGE_SIZE, 0, "free");
	ck_assert_uint_eq(run(), 1);
	only("free-mapped");
	has("maps phys 0x600000, which the guest's page allocator counts as free");
}
END_TEST

/* plant free-user-page: a user page's frame freed behind the process's back. */
START_TEST(free_frame_mapped_by_a_process)
{
	machine(1);
	add(&s.free_blocks, ANON_PA + PAGE_SIZE, ANON_PA + PAGE_SIZE, PAGE_SIZE, 0, "free");
	ck_assert_uint_eq(run(), 1);
	only("free-mapped");
	has("[free-mapped] 0000000000601000-0000000000601fff (cr3 0x100000)");
}
END_TEST

/* plant free-slab-page. */
START_TEST(slab_page_free)
{
	machine(0);
	add(&s.free_blocks, SLAB_PFN << PAGE_SHIFT, SLAB_PFN << PAGE_SHIFT, PAGE_SIZE, 0, "free");
	ck_assert_uint_eq(run(), 1);
	only("slab-free");
	has("belongs to a slab of kmalloc-512 (order 0, 1 of 8 objects in use)");
}
END_TEST

START_TEST(slab_next_to_free_pages_passes)
{
	machine(0);
	add(&s.free_blocks, (SLAB_PFN + 1) << PAGE_SHIFT, (SLAB_PFN + 1) << PAGE_SHIFT,
	    PAGE_SIZE, 0, "free");
	add(&s.free_blocks, (SLAB_PFN - 1) << PAGE_SHIFT, (SLAB_PFN - 1) << PAGE_SHIFT,
	    PAGE_SIZE, 0, "free");
	ck_assert_uint_eq(run(), 0);
}
END_TEST

/* ---- processes ---------------------------------------------------------------- */

/* plant user-page: a user page where no VMA is. */
START_TEST(user_page_outside_vmas)
{
	machine(1);
	add(&s.tasks[0].walk.ranges, 0x700000, 4 * MiB, PAGE_SIZE, UPROT_RW, "walk");
	ck_assert_uint_eq(run(), 1);
	only("user-vma");
	has("mapped, but no VMA of pid 1 is here");
}
END_TEST

/* A user mapping in the kernel's own tables, which belong to no process. */
START_TEST(user_page_in_kernel_tables)
{
	machine(1);
	add(&s.kernel_user.ranges, ANON_VA, 4 * MiB, PAGE_SIZE, UPROT_RW, "walk");
	ck_assert_uint_eq(run(), 1);
	only("user-vma");
	has("mapped in the kernel's own tables, which no process has");
}
END_TEST

START_TEST(user_page_writable_in_read_only_vma)
{
	machine(1);
	s.tasks[0].vmas[1].flags = VM_READ;
	ck_assert_uint_eq(run(), 1);
	only("user-prot");
	has("writable, but its VMA 0x600000-0x602000 is not");
}
END_TEST

START_TEST(user_page_executable_in_data_vma)
{
	machine(1);
	s.tasks[0].walk.ranges.v[1].prot &= ~_PAGE_NX;
	ck_assert_uint_eq(run(), 1);
	only("user-prot");
	has("executable, but its VMA 0x600000-0x602000 is not");
}
END_TEST

/* plant kernel-diff: one kernel-half slot of one process's PGD. */
START_TEST(kernel_half_differs)
{
	machine(2);
	s.tasks[1].pgd.slot[3] = 0x9063;
	ck_assert_uint_eq(run(), 1);
	only("kernel-shared");
	has("[kernel-shared] pid 2 (cr3 0x101000): PGD slot 259 is 0000000000009063; "
	    "the kernel's own is 0000000000000000");
}
END_TEST

/* A PGD outside RAM could not be read: nothing to compare. */
START_TEST(kernel_half_unread_is_not_compared)
{
	machine(1);
	s.tasks[0].pgd.read = false;
	s.tasks[0].pgd.slot[3] = 0x9063;
	ck_assert_uint_eq(run(), 0);
}
END_TEST

/* Two processes share the anonymous frames, as after fork; both read-only passes. */
static void share_anon_frames(bool writable)
{
	machine(2);
	s.tasks[1].walk.ranges.v[1].pa = ANON_PA;
	for (uint64_t pfn = ANON_PA >> PAGE_SHIFT; pfn < (ANON_PA >> PAGE_SHIFT) + 2; pfn++)
		s.pages[pfn] = (struct page_counts){ 2, 2 };
	for (int i = 0; i < 2; i++)
		s.tasks[i].walk.ranges.v[1].prot &= ~_PAGE_RW;
	if (writable)
		s.tasks[1].walk.ranges.v[1].prot |= _PAGE_RW;	/* plant writable */
}

START_TEST(cow_shared_read_only_passes)
{
	share_anon_frames(false);
	ck_assert_uint_eq(run(), 0);
}
END_TEST

START_TEST(cow_not_broken)
{
	share_anon_frames(true);
	ck_assert_uint_eq(run(), 2);
	only("cow");
	has("[cow] 0000000000600000-0000000000600fff (cr3 0x101000): pid 2 maps frame 0xc00 "
	    "writable through a private VMA, and 1 other PTE(s) map it too");
}
END_TEST

/* A shared VMA may be written by both: no copy-on-write there. */
START_TEST(cow_shared_vma_writable_passes)
{
	share_anon_frames(true);
	s.tasks[0].walk.ranges.v[1].prot |= _PAGE_RW;
	for (int i = 0; i < 2; i++) {
		s.tasks[i].vmas[1].flags |= VM_SHARED;
		s.tasks[i].mm.rss_anon = 0;
		s.tasks[i].mm.rss_shmem = 2;
	}
	ck_assert_uint_eq(run(), 0);
}
END_TEST

START_TEST(mapcount_one_too_many)
{
	machine(1);
	s.pages[(ANON_PA >> PAGE_SHIFT) + 1].mapcount = 2;	/* plant mapcount */
	ck_assert_uint_eq(run(), 1);
	only("mapcount");
	has("1 user PTE(s) map frame 0xc01; its struct page counts 2");
}
END_TEST

START_TEST(mapcount_no_struct_page)
{
	machine(1);
	s.npages = ANON_PA >> PAGE_SHIFT;
	ck_assert_uint_eq(run(), 2);
	only("mapcount");
	has("maps frame 0xc00, which has no struct page");
}
END_TEST

START_TEST(refcount_too_few)
{
	machine(1);
	s.pages[ANON_PA >> PAGE_SHIFT].refcount = 0;		/* plant refcount */
	ck_assert_uint_eq(run(), 1);
	only("refcount");
	has("1 user PTE(s) map frame 0xc00; its struct page holds 0 reference(s)");
}
END_TEST

/* More references than mappings are fine: the kernel may hold some. */
START_TEST(refcount_more_than_mappings_passes)
{
	machine(1);
	s.pages[ANON_PA >> PAGE_SHIFT].refcount = 3;
	ck_assert_uint_eq(run(), 0);
}
END_TEST

START_TEST(rss_one_too_many)
{
	machine(1);
	s.tasks[0].mm.rss_anon = 3;				/* plant rss */
	ck_assert_uint_eq(run(), 1);
	only("rss");
	has("[rss] pid 1 (cr3 0x100000): its page tables map 2 anonymous and 0 shared frame(s); "
	    "its mm counts 3 and 0");
}
END_TEST

/* The zero page is mapped by anyone, counted by no one: neither rss nor mapcount. */
START_TEST(zero_page_counts_for_nothing)
{
	machine(2);
	s.tasks[1].walk.ranges.v[1].pa = ANON_PA;
	s.zero_pfn = (ANON_PA >> PAGE_SHIFT) + 1;
	for (int i = 0; i < 2; i++) {
		s.tasks[i].walk.ranges.v[1].prot &= ~_PAGE_RW;
		s.tasks[i].mm.rss_anon = 1;
	}
	s.pages[s.zero_pfn] = (struct page_counts){ 0, 1 };
	s.pages[ANON_PA >> PAGE_SHIFT] = (struct page_counts){ 2, 2 };
	ck_assert_uint_eq(run(), 0);
}
END_TEST

START_TEST(cr3_of_no_one)
{
	machine(1);
	s.cr3 = 0x7000;
	ck_assert_uint_eq(run(), 1);
	only("cr3");
	has("[cr3] the vCPU runs on page tables at 0x7000: neither the kernel's (0x1000) nor "
	    "any process's");
}
END_TEST

START_TEST(cr3_of_a_process_passes)
{
	machine(2);
	s.cr3 = 0x101000 | 0x18;	/* flag bits of CR3 are not its frame */
	ck_assert_uint_eq(run(), 0);
}
END_TEST

/* The records budget is the rules' own: spent, the check stops short. */
START_TEST(records_budget_stops_the_rules)
{
	machine(2);
	s.tasks[1].mm.rss_anon = 5;		/* past the stop: not looked at */
	ck_assert_uint_eq(rules(1), 0);
	has("check stopped short: more user frame records than one check may hold");
}
END_TEST

static Suite *check_rules_suite(void)
{
	Suite *su = suite_create("check_rules");
	TCase *order = tcase_create("order");
	TCase *kernel = tcase_create("kernel");
	TCase *frames = tcase_create("free");
	TCase *user = tcase_create("user");

	tcase_add_test(order, consistent_machine_passes);
	tcase_add_test(order, no_snapshot_no_findings);
	tcase_add_test(order, stopped_walk_stops_the_rules);
	tcase_add_test(order, slabs_in_part_stop_before_processes);
	tcase_add_test(order, task_without_mm_stops_after_its_rules);
	tcase_add_test(order, records_budget_stops_the_rules);
	tcase_add_test(order, walk_findings_of_a_process);
	tcase_add_test(order, walk_findings_past_the_limit_are_summarised);
	tcase_add_test(kernel, kernel_user_bit);
	tcase_add_test(kernel, kernel_text_writable);
	tcase_add_test(kernel, direct_map_hole);
	tcase_add_test(kernel, direct_map_beyond_ram);
	tcase_add_test(kernel, direct_map_wrong_frame);
	tcase_add_test(kernel, kernel_claims_global_bit);
	tcase_add_test(kernel, vmalloc_page_at_another_frame);
	tcase_add_test(kernel, vmalloc_mapped_without_area);
	tcase_add_test(frames, free_frame_in_the_direct_map_passes);
	tcase_add_test(frames, free_frame_behind_vmalloc);
	tcase_add_test(frames, free_frame_mapped_by_a_process);
	tcase_add_test(frames, slab_page_free);
	tcase_add_test(frames, slab_next_to_free_pages_passes);
	tcase_add_test(user, user_page_outside_vmas);
	tcase_add_test(user, user_page_in_kernel_tables);
	tcase_add_test(user, user_page_writable_in_read_only_vma);
	tcase_add_test(user, user_page_executable_in_data_vma);
	tcase_add_test(user, kernel_half_differs);
	tcase_add_test(user, kernel_half_unread_is_not_compared);
	tcase_add_test(user, cow_shared_read_only_passes);
	tcase_add_test(user, cow_not_broken);
	tcase_add_test(user, cow_shared_vma_writable_passes);
	tcase_add_test(user, mapcount_one_too_many);
	tcase_add_test(user, mapcount_no_struct_page);
	tcase_add_test(user, refcount_too_few);
	tcase_add_test(user, refcount_more_than_mappings_passes);
	tcase_add_test(user, rss_one_too_many);
	tcase_add_test(user, zero_page_counts_for_nothing);
	tcase_add_test(user, cr3_of_no_one);
	tcase_add_test(user, cr3_of_a_process_passes);
	suite_add_tcase(su, order);
	suite_add_tcase(su, kernel);
	suite_add_tcase(su, frames);
	suite_add_tcase(su, user);
	return su;
}

CHECK_MAIN_NOFORK(check_rules_suite)
