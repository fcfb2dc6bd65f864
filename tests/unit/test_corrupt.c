// SPDX-License-Identifier: MIT
/*
 * vmm corrupt's pure parts (host/corrupt/target.c, pick.c): what a bit
 * of a page-table entry or a struct page is, where a slab slot starts,
 * which classes a snapshot offers and where a flip of each lands, and the
 * verdict from what the detectors saw.  Snapshots, page tables and RAM are
 * made by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "check_fast.h"
#include "check_main.h"
#include "host/corrupt/pick.h"
#include "host/corrupt/target.h"
#include "shared/pte.h"

#define RAM_SIZE	(64 * PAGE_SIZE)
#define DRAWS		2000

START_TEST(test_pte_fields)
{
	ck_assert_str_eq(corrupt_pte_field(_PAGE_BIT_PRESENT), "present");
	ck_assert_str_eq(corrupt_pte_field(_PAGE_BIT_RW), "rw");
	ck_assert_str_eq(corrupt_pte_field(_PAGE_BIT_USER), "user");
	ck_assert_str_eq(corrupt_pte_field(_PAGE_BIT_ACCESSED), "accessed");
	ck_assert_str_eq(corrupt_pte_field(_PAGE_BIT_GLOBAL), "global");
	ck_assert_str_eq(corrupt_pte_field(10), "avail-low");
	ck_assert_str_eq(corrupt_pte_field(12), "pfn");
	ck_assert_str_eq(corrupt_pte_field(51), "pfn");
	ck_assert_str_eq(corrupt_pte_field(52), "avail-high");
	ck_assert_str_eq(corrupt_pte_field(59), "pkey");
	ck_assert_str_eq(corrupt_pte_field(_PAGE_BIT_NX), "nx");
}
END_TEST

START_TEST(test_page_fields)
{
	ck_assert_str_eq(corrupt_page_field(0, 5), "flags");
	ck_assert_str_eq(corrupt_page_field(8, 0), "lru");
	ck_assert_str_eq(corrupt_page_field(16, 63), "lru");
	ck_assert_str_eq(corrupt_page_field(24, 0), "mapping");
	ck_assert_str_eq(corrupt_page_field(32, 0), "private");
	/* One word holds both counts, mapcount in its low half (little-endian). */
	ck_assert_int_eq(VMM_PAGE_REFCOUNT_OFFSET, VMM_PAGE_MAPCOUNT_OFFSET + 4);
	ck_assert_str_eq(corrupt_page_field(VMM_PAGE_MAPCOUNT_OFFSET, 31), "mapcount");
	ck_assert_str_eq(corrupt_page_field(VMM_PAGE_MAPCOUNT_OFFSET, 32), "refcount");
	ck_assert_str_eq(corrupt_page_field(48, 1), "index");
	ck_assert_str_eq(corrupt_page_field(56, 1), "pad");
}
END_TEST

START_TEST(test_slab_slot)
{
	struct vmm_slab sl = { .pfn = 10, .order = 0, .objects = 64 };

	ck_assert_uint_eq(corrupt_slab_slot(&sl, 0), 10 * PAGE_SIZE);
	ck_assert_uint_eq(corrupt_slab_slot(&sl, 3), 10 * PAGE_SIZE + 3 * 64);
	ck_assert_uint_eq(corrupt_slab_slot(&sl, 64), 0);
	/* 20 slots of 200 bytes in a page: 4096 / 20 is 204, to the word below 200. */
	sl.objects = 20;
	ck_assert_uint_eq(corrupt_slab_slot(&sl, 1), 10 * PAGE_SIZE + 200);
	/* What the guest says is never trusted: no objects, a huge order, a pfn at the top. */
	sl.objects = 0;
	ck_assert_uint_eq(corrupt_slab_slot(&sl, 0), 0);
	sl.objects = 1;
	sl.order = 40;
	ck_assert_uint_eq(corrupt_slab_slot(&sl, 0), 0);
	sl.order = 0;
	sl.pfn = UINT64_MAX >> PAGE_SHIFT;
	ck_assert_uint_eq(corrupt_slab_slot(&sl, 0), 0);
	/* Slots smaller than a word cannot hold a free pointer. */
	sl = (struct vmm_slab){ .pfn = 1, .objects = 1024 };
	ck_assert_uint_eq(corrupt_slab_slot(&sl, 1), 0);
}
END_TEST

START_TEST(test_rng)
{
	struct corrupt_rng a = corrupt_boot_rng(1, 0), b = corrupt_boot_rng(1, 0);
	struct corrupt_rng c = corrupt_boot_rng(1, 1), d = corrupt_boot_rng(1, 2);
	uint64_t first_c = corrupt_rand(&c), first_d = corrupt_rand(&d);
	uint64_t xs[8];

	for (int i = 0; i < 8; i++) {
		xs[i] = corrupt_rand(&a);
		ck_assert_uint_eq(xs[i], corrupt_rand(&b));
	}
	/* No boot's stream is another's shifted by a draw or two. */
	for (int i = 0; i < 8; i++) {
		ck_assert_uint_ne(xs[i], first_c);
		ck_assert_uint_ne(xs[i], first_d);
	}
	ck_assert_uint_eq(corrupt_below(&a, 0), 0);
	for (int i = 0; i < DRAWS; i++)
		ck_assert_uint_lt(corrupt_below(&a, 7), 7);
}
END_TEST

START_TEST(test_pick_class)
{
	struct corrupt_rng r = { 42 };
	unsigned int seen = 0;

	ck_assert_int_eq(corrupt_pick_class(&r, 0), -1);
	ck_assert_int_eq(corrupt_pick_class(&r, 1u << CORRUPT_CLASS_NR), -1);
	for (int i = 0; i < DRAWS; i++) {
		int c = corrupt_pick_class(&r, 1u << CORRUPT_PAGE | 1u << CORRUPT_SLAB);

		ck_assert(c == CORRUPT_PAGE || c == CORRUPT_SLAB);
		seen |= 1u << c;
	}
	ck_assert_uint_eq(seen, 1u << CORRUPT_PAGE | 1u << CORRUPT_SLAB);
}
END_TEST

/* ---- picks over a hand-made snapshot ---------------------------------------- */

static struct guest_ram ram;
static struct corrupt_arena arena;
static struct map kernel_range, user_range;
static struct vmm_slab slab = { .pfn = 40, .order = 0, .objects = 32, .cache = "kmalloc-128" };

/* cr3 at page 1: PGD, PUD, PMD, PT in pages 1..4, mapping va to frame 20. */
static uint64_t build_tables(uint64_t va)
{
	uint64_t *t[4];

	for (int l = 0; l < 4; l++)
		t[l] = (uint64_t *)(ram.mem + (1 + l) * PAGE_SIZE);
	t[0][(va >> PGDIR_SHIFT) & 511] = 2 * PAGE_SIZE | _PAGE_PRESENT | _PAGE_RW;
	t[1][(va >> PUD_SHIFT) & 511] = 3 * PAGE_SIZE | _PAGE_PRESENT | _PAGE_RW;
	t[2][(va >> PMD_SHIFT) & 511] = 4 * PAGE_SIZE | _PAGE_PRESENT | _PAGE_RW;
	t[3][(va >> PAGE_SHIFT) & 511] = 20 * PAGE_SIZE | _PAGE_PRESENT | _PAGE_RW;
	return PAGE_SIZE;
}

static void setup(void)
{
	struct check_snapshot *s = &arena.snap;

	ram = (struct guest_ram){ .mem = calloc(1, RAM_SIZE), .size = RAM_SIZE };
	ck_assert_ptr_nonnull(ram.mem);
	memset(&arena, 0, sizeof(arena));
	kernel_range = (struct map){ .va = PAGE_OFFSET, .pa = 20 * PAGE_SIZE, .size = PAGE_SIZE };
	s->kernel.cr3 = build_tables(PAGE_OFFSET);
	s->kernel.ranges = (struct map_list){ .v = &kernel_range, .n = 1, .cap = 1 };
	s->pages = calloc(RAM_SIZE / PAGE_SIZE, sizeof(*s->pages));
	ck_assert_ptr_nonnull(s->pages);
	s->npages = RAM_SIZE / PAGE_SIZE;
	s->pages[33].refcount = 1;	/* the one frame in use */
	arena.pages_in_use = 1;
	arena.mem_map = (struct reply_mem_map){ .gpa = 48 * PAGE_SIZE,
						.size = s->npages * VMM_STRUCT_PAGE_SIZE };
	arena.have_mem_map = true;
	s->slabs = &slab;
	s->nslabs = 1;
}

static void teardown(void)
{
	free(arena.snap.pages);
	free(ram.mem);
}

START_TEST(test_classes)
{
	struct check_snapshot *s = &arena.snap;
	struct snap_task task = { 0 };

	ck_assert_uint_eq(corrupt_classes(&arena),
			  1u << CORRUPT_PTE_KERNEL | 1u << CORRUPT_PAGE | 1u << CORRUPT_SLAB);
	/* A process whose walk found nothing has no entry to flip. */
	s->tasks = &task;
	s->ntasks = 1;
	ck_assert_uint_eq(corrupt_classes(&arena) & 1u << CORRUPT_PTE_USER, 0);
	user_range = (struct map){ .va = 0x400000, .pa = 20 * PAGE_SIZE, .size = PAGE_SIZE };
	task.walk.cr3 = PAGE_SIZE;
	task.walk.ranges = (struct map_list){ .v = &user_range, .n = 1, .cap = 1 };
	ck_assert_uint_ne(corrupt_classes(&arena) & 1u << CORRUPT_PTE_USER, 0);
	/* No mem_map, no struct page to flip; no slab, no slot. */
	arena.have_mem_map = false;
	s->nslabs = 0;
	ck_assert_uint_eq(corrupt_classes(&arena), 1u << CORRUPT_PTE_USER | 1u << CORRUPT_PTE_KERNEL);
	s->tasks = NULL;
	s->ntasks = 0;
}
END_TEST

START_TEST(test_picks_land_in_place)
{
	struct corrupt_rng r = { 7 };
	uint64_t page_lo = arena.mem_map.gpa + 33 * VMM_STRUCT_PAGE_SIZE;
	unsigned int seen = 0;

	for (int i = 0; i < DRAWS; i++) {
		struct corrupt_target t = { 0 };

		ck_assert_int_eq(corrupt_pick(&r, &ram, &arena, false, &t), 0);
		ck_assert_uint_lt(t.bit, 64);
		ck_assert_uint_eq(t.gpa & 7, 0);
		seen |= 1u << t.cls;
		switch (t.cls) {
		case CORRUPT_PTE_KERNEL:
			/* One of the four entries on the way to PAGE_OFFSET's page. */
			ck_assert_uint_ge(t.gpa, PAGE_SIZE);
			ck_assert_uint_lt(t.gpa, 5 * PAGE_SIZE);
			ck_assert(!strncmp(t.field, "pgd.", 4) || !strncmp(t.field, "pud.", 4) ||
				  !strncmp(t.field, "pmd.", 4) || !strncmp(t.field, "pte.", 4));
			break;
		case CORRUPT_PAGE:
			/* Only the struct page of the frame in use. */
			ck_assert_uint_ge(t.gpa, page_lo);
			ck_assert_uint_lt(t.gpa, page_lo + VMM_STRUCT_PAGE_SIZE);
			ck_assert_str_eq(t.field, corrupt_page_field(t.gpa - page_lo, t.bit));
			break;
		case CORRUPT_SLAB:
			ck_assert_uint_eq((t.gpa - 40 * PAGE_SIZE) % 128, 0);
			ck_assert_uint_lt(t.gpa, 41 * PAGE_SIZE);
			ck_assert_str_eq(t.field, "freeptr");
			break;
		default:
			ck_abort_msg("class %d offered by nothing", t.cls);
		}
	}
	ck_assert_uint_eq(seen, 1u << CORRUPT_PTE_KERNEL | 1u << CORRUPT_PAGE | 1u << CORRUPT_SLAB);
}
END_TEST

START_TEST(test_pick_slab_debug_and_stale_walk)
{
	struct corrupt_rng r = { 9 };
	struct corrupt_target t = { 0 };

	arena.snap.kernel.ranges.n = 0;
	arena.have_mem_map = false;
	ck_assert_int_eq(corrupt_pick(&r, &ram, &arena, true, &t), 0);
	ck_assert_str_eq(t.field, "redzone");
	/* A range whose tables changed since the walk: the entry where its translation ends. */
	arena.snap.nslabs = 0;
	arena.snap.kernel.ranges.n = 1;
	memset(ram.mem + PAGE_SIZE, 0, PAGE_SIZE);
	ck_assert_int_eq(corrupt_pick(&r, &ram, &arena, false, &t), 0);
	ck_assert_uint_eq(t.gpa, PAGE_SIZE + 8 * ((PAGE_OFFSET >> PGDIR_SHIFT) & 511));
	ck_assert(!strncmp(t.field, "pgd.", 4));
	/* Tables outside RAM: no target, never a stray one. */
	arena.snap.kernel.cr3 = RAM_SIZE;
	ck_assert_int_eq(corrupt_pick(&r, &ram, &arena, false, &t), -1);
}
END_TEST

/* ---- the verdict ------------------------------------------------------------ */

static enum corrupt_outcome verdict(struct corrupt_obs o, char *rule)
{
	return corrupt_classify(&o, rule, CORRUPT_NAME_LEN);
}

START_TEST(test_classify)
{
	const char *base = "[rss] pid 3: 2 pages counted, 1 mapped\n";
	char rule[CORRUPT_NAME_LEN];

	ck_assert_int_eq(verdict((struct corrupt_obs){ 0 }, rule), CORRUPT_UNDETECTED);
	ck_assert_str_eq(rule, "");
	ck_assert_int_eq(verdict((struct corrupt_obs){ .findings = "" }, rule), CORRUPT_UNDETECTED);
	/* A finding the check before the flip had already is not the flip's. */
	ck_assert_int_eq(verdict((struct corrupt_obs){ .findings = base, .base = base }, rule),
			 CORRUPT_UNDETECTED);
	ck_assert_int_eq(verdict((struct corrupt_obs){
				 .findings = "[rss] pid 3: 2 pages counted, 1 mapped\n"
					     "[walk] 0000-1000: frame outside RAM\n"
					     "  pgd 0x1000: 0x2003\n", .base = base }, rule),
			 CORRUPT_CHECK);
	ck_assert_str_eq(rule, "walk");
	/* A line that only starts like an old one is new. */
	ck_assert_int_eq(verdict((struct corrupt_obs){
				 .findings = "[rss] pid 3: 2 pages counted, 1 mapped, 4 more\n",
				 .base = base }, rule), CORRUPT_CHECK);
	ck_assert_str_eq(rule, "rss");
	/* A check that stopped short names no rule. */
	ck_assert_int_eq(verdict((struct corrupt_obs){ .findings = "check stopped short: x\n" },
				 rule), CORRUPT_CHECK);
	ck_assert_str_eq(rule, "stopped");
	ck_assert_int_eq(verdict((struct corrupt_obs){ .findings = "[unterminated\n" }, rule),
			 CORRUPT_CHECK);
	ck_assert_str_eq(rule, "stopped");
}
END_TEST

START_TEST(test_classify_order)
{
	char rule[CORRUPT_NAME_LEN];

	/* check, then the guest's slab and bad-page reports, then its death. */
	ck_assert_int_eq(verdict((struct corrupt_obs){ .findings = "[walk] x\n", .slab_reports = 1,
						       .guest_status = GUEST_CRASHED }, rule),
			 CORRUPT_CHECK);
	ck_assert_int_eq(verdict((struct corrupt_obs){ .slab_reports = 1, .bad_pages = 1 }, rule),
			 CORRUPT_GUEST_SLAB);
	ck_assert_int_eq(verdict((struct corrupt_obs){ .bad_pages = 2,
						       .guest_status = GUEST_TIMEOUT }, rule),
			 CORRUPT_GUEST_BAD_PAGE);
	ck_assert_int_eq(verdict((struct corrupt_obs){ .guest_status = GUEST_TIMEOUT }, rule),
			 CORRUPT_HUNG);
	ck_assert_int_eq(verdict((struct corrupt_obs){ .guest_status = GUEST_CRASHED }, rule),
			 CORRUPT_CRASHED);
	ck_assert_int_eq(verdict((struct corrupt_obs){ .guest_status = GUEST_PROTOCOL }, rule),
			 CORRUPT_CRASHED);
	ck_assert_str_eq(corrupt_outcome_name(CORRUPT_UNDETECTED), "missed");
	ck_assert_str_eq(corrupt_outcome_name(CORRUPT_OUTCOME_NR), "?");
	ck_assert_str_eq(corrupt_class_name(-1), "?");
}
END_TEST

static Suite *corrupt_suite(void)
{
	Suite *s = suite_create("corrupt");
	TCase *pure = tcase_create("fields");
	TCase *pick = tcase_create("pick");
	TCase *judge = tcase_create("classify");

	tcase_add_test(pure, test_pte_fields);
	tcase_add_test(pure, test_page_fields);
	tcase_add_test(pure, test_slab_slot);
	tcase_add_test(pure, test_rng);
	tcase_add_test(pure, test_pick_class);
	tcase_add_checked_fixture(pick, setup, teardown);
	tcase_add_test(pick, test_classes);
	tcase_add_test(pick, test_picks_land_in_place);
	tcase_add_test(pick, test_pick_slab_debug_and_stale_walk);
	tcase_add_test(judge, test_classify);
	tcase_add_test(judge, test_classify_order);
	suite_add_tcase(s, pure);
	suite_add_tcase(s, pick);
	suite_add_tcase(s, judge);
	return s;
}

CHECK_MAIN_NOFORK(corrupt_suite)
