// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: arbitrary guest replies, to every reply kind.
 *
 * Each input is used twice.
 *  1. As one reply (val[] from its first 48 bytes, the rest as data) to
 *     every accessor of host/reply.c: whatever an accessor accepts must
 *     lie inside the reply, within the bounds reply.h promises.
 *  2. As a whole hostile guest, through the host's real code: its first
 *     16 KiB become the page tables at the PGD, the rest a stream of
 *     replies (a 2-byte length, 48 bytes of val[], the data) that the
 *     scripted guest hands out in turn to the requests of a scenario that
 *     runs `check` and commands.  The run must end with 0, 1 or 3, with
 *     no sanitizer report and within the fuzzer's time limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/reply.h"
#include "engine/run.h"
#include "shared/layout.h"
#include "shared/fcntl.h"
#include "tests/unit/scripted_guest.h"

#define RAM_SIZE	(4ULL << 20)
#define PGD		0x200000ULL
#define TABLES		(16u << 10)

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, \
						  #cond); abort(); } } while (0)

static uint8_t reply_data[VMM_MAILBOX_DATA_SIZE];

/* The input as one reply. */
static struct guest_reply as_reply(const uint8_t *in, size_t size)
{
	struct guest_reply r = { .data = reply_data };
	size_t head = size < sizeof(r.val) ? size : sizeof(r.val);

	memcpy(r.val, in, head);
	r.len = size - head < VMM_MAILBOX_DATA_SIZE ? (uint32_t)(size - head) : VMM_MAILBOX_DATA_SIZE;
	memcpy(reply_data, in + head, r.len);
	return r;
}

static bool inside(const struct guest_reply *r, const void *p, size_t bytes)
{
	const uint8_t *b = p;

	return b >= r->data && bytes <= r->len && (size_t)(b - r->data) <= r->len - bytes;
}

static void paginated(const struct guest_reply *r)
{
	struct reply_pages pg = { 0 };
	const struct vmm_page_block *b;
	const struct vmm_slab *s;
	char why[160];
	size_t n;

	if (!reply_free_blocks(r, RAM_SIZE, &pg, &b, &n, why, sizeof(why))) {
		CHECK(inside(r, b, n * sizeof(*b)) && pg.total <= RAM_SIZE / PAGE_SIZE);
		for (size_t i = 0; i < n; i++)
			CHECK(b[i].pfn + (1ULL << b[i].order) <= RAM_SIZE / PAGE_SIZE);
	}
	pg = (struct reply_pages){ 0 };
	if (!reply_slabs(r, RAM_SIZE, &pg, &s, &n, why, sizeof(why)))
		CHECK(inside(r, s, n * sizeof(*s)) && pg.frames <= RAM_SIZE / PAGE_SIZE);
}

static void every_accessor(const struct guest_reply *r)
{
	const struct vmm_vmap_area *a;
	const struct vmm_kmap *k;
	const struct vmm_vma *v;
	const struct vmm_task *t;
	const struct vmm_zone_info *z;
	const struct vmm_page_block *b;
	const uint64_t *pfns;
	const char *text;
	struct reply_mem_map mm;
	struct vmm_mm_info mi;
	struct vmm_fault f;
	const struct vmm_cache_page *c;
	struct reply_range raw[2];
	uint64_t index_pages;
	uint8_t buf[sizeof(struct linux_stat)];
	uint64_t start, end;
	char why[160];
	size_t n, np;

	if (!reply_kernel_maps(r, &k, &n, why, sizeof(why)))
		CHECK(inside(r, k, n * sizeof(*k)));
	if (!reply_vmap_areas(r, RAM_SIZE, &a, &n, &pfns, &np, why, sizeof(why)))
		CHECK(inside(r, a, n * sizeof(*a)) && inside(r, pfns, np * sizeof(*pfns)));
	if (!reply_page_blocks(r, &b, &n, why, sizeof(why)))
		CHECK(inside(r, b, n * sizeof(*b)));
	if (!reply_vmas(r, &v, &n, why, sizeof(why)))
		CHECK(inside(r, v, n * sizeof(*v)));
	if (!reply_tasks(r, &t, &n, why, sizeof(why)))
		CHECK(inside(r, t, n * sizeof(*t)));
	if (!reply_zones(r, &z, why, sizeof(why)))
		CHECK(inside(r, z, VMM_NR_ZONES * sizeof(*z)));
	if (!reply_mem_map(r, RAM_SIZE, &mm, why, sizeof(why)))
		CHECK(mm.gpa + mm.size <= RAM_SIZE && mm.zero_pfn < RAM_SIZE / PAGE_SIZE);
	if (!reply_text(r, &text, &n, why, sizeof(why)))
		CHECK(inside(r, text, n) && !memchr(text, 0, n));
	reply_mm(r, &mi, why, sizeof(why));
	reply_fault(r, &f, why, sizeof(why));
	reply_fault_buf(r, &f, buf, sizeof(struct linux_stat), why, sizeof(why));
	if (!reply_page_cache(r, RAM_SIZE, &c, &n, raw, &index_pages, why, sizeof(why))) {
		CHECK(inside(r, c, n * sizeof(*c)));
		CHECK(index_pages <= RAM_SIZE / PAGE_SIZE);
		for (size_t i = 0; i < n; i++)
			CHECK(c[i].pfn < RAM_SIZE / PAGE_SIZE);
		for (size_t i = 0; i < 2; i++)
			CHECK(raw[i].pfn + raw[i].npages <= RAM_SIZE / PAGE_SIZE);
	}
	if (!reply_find_vma(r, r->val[2], &start, &end, why, sizeof(why)))
		CHECK(start < end && end <= TASK_SIZE_MAX && end > r->val[2]);
	paginated(r);
}

/* ---- the whole host against the input as a guest ---------------------------- */

static const uint8_t *stream;
static size_t stream_left;
static const uint8_t *tables;
static size_t tables_len;

static enum scripted_action fuzzed_answer(void *ctx, const struct vmm_request *req,
					  const char *req_data, struct vmm_message *reply,
					  uint8_t *data, struct guest_ram *ram)
{
	uint16_t len;

	if (tables) {
		memcpy(gpa_ptr(ram, PGD, TABLES), tables, tables_len);
		tables = NULL;
	}
	if (stream_left < 2 + sizeof(reply->val))
		return scripted_quiet(ctx, req, req_data, reply, data, ram);
	memcpy(&len, stream, 2);
	memcpy(reply->val, stream + 2, sizeof(reply->val));
	stream += 2 + sizeof(reply->val);
	stream_left -= 2 + sizeof(reply->val);
	len = len < stream_left ? len : (uint16_t)stream_left;
	memcpy(data, stream, len);
	reply->len = len;
	stream += len;
	stream_left -= len;
	return SCRIPTED_REPLY;
}

static const char scenario_text[] =
	"vm memory=4M\n"
	"check\n"
	"spawn A\n"
	"A: touch 0x400000 write\n"
	"p = alloc_pages count=2\n"
	"expect zone(DMA) >= 0\n"
	"show iomem\n"
	"expect A.pte(0x400000).present == 1\n"
	"k = kmalloc 64\n"
	"check\n";

static void whole_host(const uint8_t *in, size_t size)
{
	static struct scripted_script script;
	struct report rep = { .fmt = REPORT_HUMAN, .quiet = true, .file = "fuzz.vmm" };
	struct run_options opt = {
		.accel = &scripted_accel_ops, .kernel = scripted_kernel(), .timeout_ms = 1000,
		.report = &rep,
	};
	struct scenario sc;
	struct scenario_error err;
	struct machine m;
	int status;

	tables = in;
	tables_len = size < TABLES ? size : TABLES;
	stream = in + tables_len;
	stream_left = size - tables_len;
	script = (struct scripted_script){ .pgd = PGD, .cr3 = PGD, .answer = fuzzed_answer };
	scripted_guest_play(&script);
	rep.out = fopen("/dev/null", "w");
	CHECK(rep.out);
	CHECK(!scenario_parse("fuzz.vmm", scenario_text, sizeof(scenario_text) - 1, &sc, &err));
	CHECK(!scenario_resolve(&sc, &m, &err));
	status = scenario_run(&sc, &m, &opt);
	CHECK(status == EXIT_PASS || status == EXIT_FAILED || status == EXIT_CRASH);
	fclose(rep.out);
	scenario_free(&sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	struct guest_reply r = as_reply(in, size);

	every_accessor(&r);
	whole_host(in, size);
	return 0;
}
