// SPDX-License-Identifier: MIT
/*
 * The host against a hostile guest: whole scenarios run by the host's real
 * code (run.c, the commands, `check`) against a scripted guest whose
 * replies lie, overflow, never converge or describe page tables built to
 * cost the host as much as possible.  Every run must end with the right
 * exit status and a diagnosis, and within the budgets of
 * docs/verification.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_main.h"
#include "engine/run.h"
#include "shared/layout.h"
#include "shared/pte.h"
#include "shared/vm_flags.h"
#include "scripted_guest.h"

#define RAM		(64ULL << 20)
#define PGD		0x200000ULL	/* the scripted kernel's tables start here */
#define P		_PAGE_PRESENT
#define RW		_PAGE_RW
#define US		_PAGE_USER

/* What a test's guest does: the request it lies about, and how. */
struct hostile {
	uint32_t code;			/* the request to lie to (others: scripted_quiet) */
	void (*lie)(struct vmm_message *reply, uint8_t *data);
};

static struct hostile h;
static struct scripted_script script;
static char *out;
static size_t out_len;
static unsigned run_timeout_ms;		/* 0: the default */

static enum scripted_action hostile_answer(void *ctx, const struct vmm_request *req,
					   const char *req_data, struct vmm_message *reply,
					   uint8_t *data, struct guest_ram *ram)
{
	struct hostile *x = ctx;

	if (req->code == x->code && x->lie) {
		x->lie(reply, data);
		return SCRIPTED_REPLY;
	}
	return scripted_quiet(ctx, req, req_data, reply, data, ram);
}

/* Run the scenario text against a scripted guest; its exit status, output in out. */
static int run_as(scripted_answer_fn answer, void *ctx, const char *text)
{
	struct scenario sc;
	struct machine m;
	struct scenario_error err;
	struct report rep = { .fmt = REPORT_HUMAN, .quiet = true, .file = "hostile.vmm" };
	struct run_options opt = {
		.accel = &scripted_accel_ops, .kernel = scripted_kernel(), .timeout_ms = 5000,
		.run_timeout_ms = run_timeout_ms, .report = &rep,
	};
	int status;

	script = (struct scripted_script){ .pgd = PGD, .cr3 = PGD, .answer = answer, .ctx = ctx };
	scripted_guest_play(&script);
	free(out);
	out = NULL;
	rep.out = open_memstream(&out, &out_len);
	ck_assert_ptr_nonnull(rep.out);
	ck_assert_int_eq(scenario_parse("hostile.vmm", text, strlen(text), &sc, &err), 0);
	ck_assert_int_eq(scenario_resolve(&sc, &m, &err), 0);
	status = scenario_run(&sc, &m, &opt);
	fclose(rep.out);
	scenario_free(&sc);
	return status;
}

static int run(const char *text)
{
	return run_as(hostile_answer, &h, text);
}

static void assert_output(const char *what)
{
	ck_assert_msg(strstr(out, what), "no '%s' in:\n%.2000s", what, out);
}

static void setup(void)
{
	h = (struct hostile){ 0 };
	run_timeout_ms = 0;
}

static void teardown(void)
{
	free(out);
	out = NULL;
}

/* ---- lies about sizes: each read past the reply buffer before ------------- */

static void kmaps_wrap(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->val[0] = 0x0800000000000001ULL;	/* * 32 wraps to 32 */
	m->len = 32;
}

START_TEST(kernel_maps_count_wraps)
{
	h.code = VMM_REQ_KERNEL_MAPS;
	h.lie = kmaps_wrap;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("guest protocol error: its reply to request 4 (KERNEL_MAPS) is a lie");
}
END_TEST

static void vmap_wrap(struct vmm_message *m, uint8_t *data)
{
	struct vmm_vmap_area a = { .start = VMALLOC_START, .size = 1ULL << 30,
				   .nr_pages = 100000 };

	memcpy(data, &a, sizeof(a));
	m->val[0] = 1;
	m->val[1] = 0x2000000000000001ULL;	/* 24 + val[1] * 8 wraps to 32 */
	m->len = 32;
}

START_TEST(vmap_areas_count_wraps)
{
	h.code = VMM_REQ_VMAP_AREAS;
	h.lie = vmap_wrap;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(VMAP_AREAS) is a lie: it claims 1 areas and 2305843009213693953 pfns");
}
END_TEST

static void vmap_short(struct vmm_message *m, uint8_t *data)
{
	struct vmm_vmap_area a = { .start = VMALLOC_START, .size = 3 * PAGE_SIZE,
				   .nr_pages = 2 };

	memcpy(data, &a, sizeof(a));
	m->val[0] = 1;
	m->val[1] = 1;		/* two pages, one pfn */
	m->len = sizeof(a) + 8;
}

START_TEST(vmap_areas_more_pages_than_pfns)
{
	h.code = VMM_REQ_VMAP_AREAS;
	h.lie = vmap_short;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("its areas claim more pages than the 1 pfns it sent");
}
END_TEST

/* ---- counts beyond anything RAM can hold ------------------------------------ */

static void total_max(struct vmm_message *m, uint8_t *data)
{
	memset(data, 0, VMM_MAILBOX_DATA_SIZE);	/* pfn 0, order 0: valid entries */
	m->val[0] = UINT64_MAX;
	m->len = VMM_MAILBOX_DATA_SIZE;
}

START_TEST(free_blocks_total_beyond_ram)
{
	h.code = VMM_REQ_FREE_BLOCKS;
	h.lie = total_max;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(FREE_BLOCKS) is a lie: it claims 18446744073709551615 entries; RAM has room for 16384");
	ck_assert_uint_eq(script.requests, 2);	/* KERNEL_MAPS, one page */
}
END_TEST

START_TEST(slabs_total_beyond_ram)
{
	h.code = VMM_REQ_SLABS;
	h.lie = total_max;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(SLABS) is a lie: it claims 18446744073709551615 entries");
}
END_TEST

/* A total RAM can hold, but a page at a time: the host wants full pages. */
static void one_block_a_page(struct vmm_message *m, uint8_t *data)
{
	struct vmm_page_block b = { .pfn = 0x100 };

	memcpy(data, &b, sizeof(b));
	m->val[0] = 8000;
	m->len = sizeof(b);
}

START_TEST(free_blocks_trickle)
{
	h.code = VMM_REQ_FREE_BLOCKS;
	h.lie = one_block_a_page;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("it sent 1 entries after 0 of 8000, not 4096");
}
END_TEST

/* Every page the same block: the entries cover more frames than RAM has. */
static void same_block(struct vmm_message *m, uint8_t *data)
{
	struct vmm_page_block b = { .pfn = 0x100, .order = 10 };

	for (size_t i = 0; i < VMM_MAX_BLOCKS; i++)
		memcpy(data + i * sizeof(b), &b, sizeof(b));
	m->val[0] = VMM_MAX_BLOCKS;
	m->len = VMM_MAX_BLOCKS * sizeof(b);
}

START_TEST(free_blocks_cover_more_than_ram)
{
	h.code = VMM_REQ_FREE_BLOCKS;
	h.lie = same_block;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("its free blocks cover more frames than the 16384 RAM has");
}
END_TEST

static void block_beyond_ram(struct vmm_message *m, uint8_t *data)
{
	struct vmm_page_block b = { .pfn = RAM / PAGE_SIZE - 1, .order = 1 };

	memcpy(data, &b, sizeof(b));
	m->val[0] = 1;
	m->len = sizeof(b);
}

START_TEST(free_block_runs_past_ram)
{
	h.code = VMM_REQ_FREE_BLOCKS;
	h.lie = block_beyond_ram;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("free block pfn 0x3fff order 1 is not inside RAM");
}
END_TEST

/* A total that changes between pages. */
static unsigned pages_sent;

static void shifting_total(struct vmm_message *m, uint8_t *data)
{
	memset(data, 0, VMM_MAILBOX_DATA_SIZE);
	m->val[0] = 5000 + pages_sent++;
	m->len = VMM_MAX_SLABS * sizeof(struct vmm_slab);
}

START_TEST(slabs_total_shifts)
{
	pages_sent = 0;
	h.code = VMM_REQ_SLABS;
	h.lie = shifting_total;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("its total changed from 5000 to 5001 between pages");
}
END_TEST

/* A process whose PGD is not page-aligned: only its frame counts, as for CR3. */
static void unaligned_pgd(struct vmm_message *m, uint8_t *data)
{
	struct vmm_task t = { .pid = 1, .pgd = PGD + 1, .comm = "A" };

	memcpy(data, &t, sizeof(t));
	m->len = sizeof(t);
}

START_TEST(task_pgd_unaligned)
{
	h.code = VMM_REQ_TASKS;
	h.lie = unaligned_pgd;
	/* Past kernel-shared, which reads the PGD; the empty mm after it is a lie. */
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(MM) is a lie: 0 bytes where a 192-byte structure belongs");
}
END_TEST

/* ---- every other kind of reply, lying ------------------------------------- */

static void odd_length(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->len = 7;
}

START_TEST(tasks_odd_length)
{
	h.code = VMM_REQ_TASKS;
	h.lie = odd_length;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(TASKS) is a lie: 7 bytes are not a whole number of 32-byte entries");
}
END_TEST

static void mem_map_outside(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->val[0] = RAM - 4096;
	m->val[1] = 8192;
}

START_TEST(mem_map_outside_ram)
{
	h.code = VMM_REQ_MEM_MAP;
	h.lie = mem_map_outside;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(MEM_MAP) is a lie: mem_map at 0x3fff000");
}
END_TEST

/* A page-cache page beyond RAM, and a driver's frames that run past it. */
static void cache_page_outside(struct vmm_message *m, uint8_t *data)
{
	struct vmm_cache_page page = { .ino = 2, .index = 0, .pfn = RAM / 4096 };

	memcpy(data, &page, sizeof(page));
	m->val[0] = 1;
	m->len = sizeof(page);
}

START_TEST(page_cache_outside_ram)
{
	h.code = VMM_REQ_PAGE_CACHE;
	h.lie = cache_page_outside;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(PAGE_CACHE) is a lie: page-cache page 0 is at pfn 0x4000, outside RAM");
}
END_TEST

static void raw_frames_past_ram(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->val[0] = 0;
	m->len = 0;
	m->val[VMM_PFNMAP_KMALLOC_PFN] = RAM / 4096 - 1;
	m->val[VMM_PFNMAP_KMALLOC_PAGES] = 2;
}

START_TEST(raw_frames_run_past_ram)
{
	h.code = VMM_REQ_PAGE_CACHE;
	h.lie = raw_frames_past_ram;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(PAGE_CACHE) is a lie: a driver's frames 0x3fff+2 are not inside RAM");
}
END_TEST

static void index_larger_than_ram(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->val[0] = 0;
	m->len = 0;
	m->val[VMM_PAGE_CACHE_INDEX_PAGES] = RAM / 4096 + 1;
}

START_TEST(page_cache_index_larger_than_ram)
{
	h.code = VMM_REQ_PAGE_CACHE;
	h.lie = index_larger_than_ram;
	ck_assert_int_eq(run("check\n"), EXIT_CRASH);
	assert_output("(PAGE_CACHE) is a lie: the page cache's index takes 16385 pages, "
		      "more than RAM has");
}
END_TEST

START_TEST(zones_short)
{
	h.code = VMM_REQ_ZONES;
	h.lie = odd_length;
	ck_assert_int_eq(run("expect zone(DMA) > 0\n"), EXIT_CRASH);
	assert_output("(ZONES) is a lie: 7 bytes where 3 zones belong");
}
END_TEST

static void vma_below(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->val[0] = 0x1000;
	m->val[1] = 0x2000;
}

/* find_vma() promises a VMA that ends above the address: one below it is a lie. */
START_TEST(find_vma_below_address)
{
	h.code = VMM_REQ_FIND_VMA;
	h.lie = vma_below;
	ck_assert_int_eq(run("spawn A\nexpect A.find_vma(0x10000000) == 0x1000\n"), EXIT_CRASH);
	assert_output("(FIND_VMA) is a lie: the VMA 0x1000-0x2000 is not one find_vma(0x10000000) "
		      "can give");
}
END_TEST

static void blocks_wrap(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->val[0] = 0x1000000000000001ULL;	/* * 16 wraps to 16 */
	m->len = 16;
}

START_TEST(alloc_pages_count_wraps)
{
	h.code = VMM_REQ_ALLOC_PAGES;
	h.lie = blocks_wrap;
	ck_assert_int_eq(run("p = alloc_pages\n"), EXIT_CRASH);
	assert_output("(ALLOC_PAGES) is a lie: it claims 1152921504606846977 entries");
}
END_TEST

static void nul_text(struct vmm_message *m, uint8_t *data)
{
	memcpy(data, "ab\0cd", 5);
	m->len = 5;
}

START_TEST(text_with_nul)
{
	h.code = VMM_REQ_IOMEM;
	h.lie = nul_text;
	ck_assert_int_eq(run("show iomem\n"), EXIT_CRASH);
	assert_output("(IOMEM) is a lie: its text holds a NUL byte at offset 2");
}
END_TEST

/* ---- a process whose creation the guest refused ------------------------------ */

static void refuse(struct vmm_message *m, uint8_t *data)
{
	(void)data;
	m->status = -12;	/* -ENOMEM */
}

START_TEST(plant_in_refused_process)
{
	h.code = VMM_REQ_SPAWN;
	h.lie = refuse;
	ck_assert_int_eq(run("spawn A\nA: plant user-page 0x400000\nexpect A.rss == 0\n"),
			 EXIT_FAILED);
	assert_output("process A does not exist: its creation failed");
}
END_TEST

/* ---- page tables built to cost the host as much as possible ----------------- */

static uint64_t *slots(struct guest_ram *ram, uint64_t gpa)
{
	return gpa_ptr(ram, gpa, PAGE_SIZE);
}

/*
 * The kernel's PGD with every upper-half slot naming one PUD whose every
 * slot names one PMD whose every slot names one PTE table of leaves that
 * alternate between two frames: 2^27 tables to a naive walker, and a
 * range per PTE.
 */
static bool tree_built;

static enum scripted_action shared_tree(void *ctx, const struct vmm_request *req,
					const char *req_data, struct vmm_message *reply,
					uint8_t *data, struct guest_ram *ram)
{
	uint64_t pud = PGD + PAGE_SIZE, pmd = pud + PAGE_SIZE, pte = pmd + PAGE_SIZE;
	uint64_t leaf = ctx ? *(const uint64_t *)ctx : 0x400000;

	for (unsigned i = 0; !tree_built && i < PTRS_PER_TABLE; i++) {
		slots(ram, PGD)[i] = i >= 256 ? pud | P | RW : 0;
		slots(ram, pud)[i] = pmd | P | RW;
		slots(ram, pmd)[i] = pte | P | RW;
		slots(ram, pte)[i] = (leaf + ((uint64_t)(i % 2) << PAGE_SHIFT)) | P | RW;
	}
	tree_built = true;
	return scripted_quiet(NULL, req, req_data, reply, data, ram);
}

START_TEST(shared_tree_of_ranges)
{
	tree_built = false;
	ck_assert_int_eq(run_as(shared_tree, NULL, "check\n"), EXIT_FAILED);
	assert_output("check stopped short: more walked ranges than one check may hold");
}
END_TEST

/* The same tree, every leaf outside RAM: 33 million findings, 100 of them printed. */
START_TEST(shared_tree_of_findings)
{
	static const uint64_t beyond_ram = RAM;

	tree_built = false;
	ck_assert_int_eq(run_as(shared_tree, (void *)&beyond_ram, "check\n"), EXIT_FAILED);
	assert_output("[walk] and 33,");
	assert_output(" more like it\n");
}
END_TEST

/*
 * One process whose user half is one PUD, every slot naming one PMD of 2
 * MiB leaves over RAM's frames, inside one VMA that covers it all: a
 * quarter of a million leaves of a thousand frames each.
 */
static enum scripted_action huge_process(void *ctx, const struct vmm_request *req,
					 const char *req_data, struct vmm_message *reply,
					 uint8_t *data, struct guest_ram *ram)
{
	uint64_t pud = PGD + PAGE_SIZE, pmd = pud + PAGE_SIZE;
	struct vmm_task t = { .pid = 1, .pgd = PGD, .comm = "A" };
	struct vmm_vma v = { .start = 0, .end = 1ULL << 40, .flags = VM_READ | VM_WRITE };

	for (unsigned i = 0; !tree_built && i < PTRS_PER_TABLE; i++) {
		slots(ram, PGD)[i] = i < 2 ? pud | P | RW | US : 0;
		slots(ram, pud)[i] = pmd | P | RW | US;
		slots(ram, pmd)[i] = ((uint64_t)(i % 2) << 22) | P | RW | US | _PAGE_PSE | _PAGE_NX;
	}
	tree_built = true;
	scripted_quiet(ctx, req, req_data, reply, data, ram);
	if (req->code == VMM_REQ_TASKS) {
		memcpy(data, &t, sizeof(t));
		reply->len = sizeof(t);
	} else if (req->code == VMM_REQ_VMAS) {
		memcpy(data, &v, sizeof(v));
		reply->len = sizeof(v);
	} else if (req->code == VMM_REQ_MM) {
		reply->len = sizeof(struct vmm_mm_info);
	}
	return SCRIPTED_REPLY;
}

START_TEST(huge_leaves_records)
{
	tree_built = false;
	ck_assert_int_eq(run_as(huge_process, NULL, "check\n"), EXIT_FAILED);
	assert_output("check stopped short: more user frame records than one check may hold");
}
END_TEST

/* Each answer takes the guest 2 ms. */
static void slow(struct vmm_message *m, uint8_t *data)
{
	struct timespec two_ms = { 0, 2 * 1000 * 1000 };

	(void)m;
	(void)data;
	nanosleep(&two_ms, NULL);
}

/* A run past --run-timeout ends with exit 4, whichever request it was at. */
START_TEST(run_timeout)
{
	run_timeout_ms = 1;
	h.code = VMM_REQ_ECHO;
	h.lie = slow;
	ck_assert_int_eq(run("echo 1\necho 2\n"), EXIT_TIMEOUT);
	assert_output("the run took longer than its 0.001 s (--run-timeout)");
}
END_TEST

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("replies");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kernel_maps_count_wraps);
	tcase_add_test(tc, vmap_areas_count_wraps);
	tcase_add_test(tc, vmap_areas_more_pages_than_pfns);
	tcase_add_test(tc, free_blocks_total_beyond_ram);
	tcase_add_test(tc, slabs_total_beyond_ram);
	tcase_add_test(tc, free_blocks_trickle);
	tcase_add_test(tc, free_blocks_cover_more_than_ram);
	tcase_add_test(tc, free_block_runs_past_ram);
	tcase_add_test(tc, slabs_total_shifts);
	tcase_add_test(tc, tasks_odd_length);
	tcase_add_test(tc, task_pgd_unaligned);
	tcase_add_test(tc, mem_map_outside_ram);
	tcase_add_test(tc, page_cache_outside_ram);
	tcase_add_test(tc, raw_frames_run_past_ram);
	tcase_add_test(tc, page_cache_index_larger_than_ram);
	tcase_add_test(tc, zones_short);
	tcase_add_test(tc, alloc_pages_count_wraps);
	tcase_add_test(tc, text_with_nul);
	tcase_add_test(tc, plant_in_refused_process);
	tcase_add_test(tc, shared_tree_of_ranges);
	tcase_add_test(tc, huge_leaves_records);
	tcase_add_test(tc, shared_tree_of_findings);
	tcase_add_test(tc, run_timeout);
	tcase_add_test(tc, find_vma_below_address);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(hostile_suite)
