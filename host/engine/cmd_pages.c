// SPDX-License-Identifier: MIT
/*
 * Scenario commands and subjects for the guest's page allocator:
 *   p = alloc_pages [order=N] [gfp=FLAGS] [count=N|max]
 *   free_pages $p            free_pages PFN [order=N]
 *   buddyinfo, zoneinfo, zone(NAME).FIELD, bad_pages
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "eval.h"
#include "registry.h"
#include "vm/reply.h"
#include "shared/gfp.h"
#include "shared/layout.h"

static const char *const zone_names[] = VMM_ZONE_NAMES;


static const char *const alloc_pages_fields[] = {
	"pfn", "phys", "addr", "order", "count", "zone", "last_zone", NULL,
};

static const char *zone_name(uint32_t zone)
{
	return zone < VMM_NR_ZONES ? zone_names[zone] : "?";
}

static int alloc_pages_resolve(const struct scope *sc, const struct stmt *s,
			       struct scenario_error *err)
{
	static const char *const keys[] = { "order", "gfp", "count", NULL };
	const struct arg *count = keyed_arg(s, "count");
	const struct arg *order = keyed_arg(s, "order");
	const struct arg *gfp = keyed_arg(s, "gfp");

	if (want_keys(s, 0, keys, err))
		return -1;
	if (order && expr_resolve(sc, s, order->value, false, err))
		return -1;
	if (gfp && flags_resolve(s, gfp->value, gfp_flags, err))
		return -1;
	if (count && !(count->value->kind == EXPR_WORD && !strcmp(count->value->str, "max")))
		return expr_resolve(sc, s, count->value, false, err);
	return 0;
}

static int describe_allocation(struct value *r, const struct vmm_page_block *b, size_t n,
			       uint64_t order)
{
	uint64_t pfn = n ? b[0].pfn : 0;
	const char *first = n ? zone_name(b[0].zone) : "none";
	const char *last = n ? zone_name(b[n - 1].zone) : "none";

	*r = value_num(pfn);
	return value_add_field(r, "pfn", value_num(pfn)) ||
	       value_add_field(r, "phys", value_num(pfn << PAGE_SHIFT)) ||
	       value_add_field(r, "addr", value_num(n ? PAGE_OFFSET + (pfn << PAGE_SHIFT) : 0)) ||
	       value_add_field(r, "order", value_num(order)) ||
	       value_add_field(r, "count", value_num(n)) ||
	       value_add_field(r, "zone", value_text(first, strlen(first))) ||
	       value_add_field(r, "last_zone", value_text(last, strlen(last)));
}

/*
 * The guest allocates until it has `count` blocks or an allocation fails;
 * a failure is a result (pfn 0, count short), not an error: scenarios
 * expect it.  The value is the first block's pfn.
 */
static enum step alloc_pages_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				 char *msg, size_t msglen)
{
	const struct arg *gfp = keyed_arg(s, "gfp"), *count = keyed_arg(s, "count");
	bool until_failure = count && count->value->kind == EXPR_WORD;	/* count=max */
	uint64_t order, n = 0, flags = gfp ? flags_eval(gfp->value, gfp_flags) : GFP_KERNEL;
	struct guest_reply reply;
	const struct vmm_page_block *b;
	size_t nb;
	char why[160];
	enum step st = eval_num(ctx, opt_value(s, "order"), "order", 0, &order, msg, msglen);

	if (st == STEP_OK && !until_failure)
		st = eval_num(ctx, opt_value(s, "count"), "count", 1, &n, msg, msglen);
	if (st == STEP_OK && (order > 10 || (!until_failure && (n == 0 || n > VMM_MAX_BLOCKS)))) {
		snprintf(msg, msglen, "order must be 0..10 and count 1..%zu or max", VMM_MAX_BLOCKS);
		st = STEP_FAILED;
	}
	if (st == STEP_OK)
		st = call_guest_ok(ctx, VMM_REQ_ALLOC_PAGES, (uint64_t[6]){ flags, order, n }, NULL, 0,
				   &reply, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (reply_page_blocks(&reply, &b, &nb, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_ALLOC_PAGES, why);
	/* the blocks ride along with the value, for free_pages */
	if (describe_allocation(result, b, nb, order) ||
	    value_set_payload(result, b, nb * sizeof(*b))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

static int free_pages_resolve(const struct scope *sc, const struct stmt *s,
			      struct scenario_error *err)
{
	static const char *const keys[] = { "order", NULL };
	const struct arg *order = keyed_arg(s, "order");

	if (!s->nargs || s->args[0].kind != ARG_VALUE) {
		scenario_error_at(err, s, s->nargs ? s->args[0].pos : s->name_pos,
				  "free what? usage: %s", command_find(s->name)->usage);
		return -1;
	}
	return expr_resolve(sc, s, s->args[0].value, false, err) ?: want_keys(s, 1, keys, err) ?:
	       (order ? expr_resolve(sc, s, order->value, false, err) : 0);
}

/* The blocks a value stands for: an allocation's, or PFN with order=. */
static enum step blocks_to_free(struct run_ctx *ctx, const struct stmt *s, struct value *v,
				struct vmm_page_block *one, const struct vmm_page_block **b,
				size_t *n, char *msg, size_t msglen)
{
	uint64_t order;
	enum step st = eval_expr(ctx, s->args[0].value, v, msg, msglen);

	if (st != STEP_OK)
		return st;
	/* An allocation that got nothing frees nothing, as Linux's free_pages(0, order). */
	if (v->payload || value_field(v, "count")) {
		*b = v->payload;
		*n = v->payload_len / sizeof(**b);
		return STEP_OK;
	}
	st = eval_num(ctx, opt_value(s, "order"), "order", 0, &order, msg, msglen);
	if (st == STEP_OK && v->kind != VAL_NUM) {
		snprintf(msg, msglen, "free_pages takes an allocation or a pfn");
		st = STEP_FAILED;
	}
	*one = (struct vmm_page_block){ v->num, order, 0 };
	*b = one;
	*n = 1;
	return st;
}

static enum step free_pages_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				char *msg, size_t msglen)
{
	struct vmm_page_block one;
	const struct vmm_page_block *b = NULL;
	struct value v = { 0 };
	struct guest_reply reply;
	size_t n = 0;
	enum step st = blocks_to_free(ctx, s, &v, &one, &b, &n, msg, msglen);

	(void)result;
	if (st == STEP_OK && guest_write_data(&ctx->g, b, n * sizeof(*b))) {
		snprintf(msg, msglen, "too many blocks to free at once");
		st = STEP_FAILED;
	}
	if (st == STEP_OK)
		st = call_guest(ctx, VMM_REQ_FREE_PAGES, (uint64_t[6]){ n }, NULL, 0, &reply);
	if (st == STEP_OK && reply.status) {
		snprintf(msg, msglen, "the guest refused: error %lld (a pfn or order out of range)",
			 (long long)reply.status);
		st = STEP_FAILED;
	}
	value_free(&v);
	return st;
}

/* drain_pages: per-CPU lists back to the buddy lists, where they can merge. */
static enum step drain_pages_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				 char *msg, size_t msglen)
{
	struct guest_reply reply;

	(void)s;
	(void)result;
	(void)msg;
	(void)msglen;
	return call_guest(ctx, VMM_REQ_DRAIN_PAGES, NULL, NULL, 0, &reply);
}

static const char *const zone_fields[] = {
	"start_pfn", "spanned", "present", "managed", "free", "pcp", "min", "low", "high", NULL,
};

static int zone_value(struct value *out, const struct vmm_zone_info *z)
{
	const uint64_t v[] = { z->start_pfn, z->spanned, z->present, z->managed, z->free,
			       z->pcp, z->min, z->low, z->high };
	int r = 0;

	*out = value_num(z->free);
	for (size_t i = 0; !r && zone_fields[i]; i++)
		r = value_add_field(out, zone_fields[i], value_num(v[i]));
	return r;
}

/* zone(NAME): the zone's counters; its value alone is its free pages. */
static enum step subject_zone(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			      char *msg, size_t msglen)
{
	struct guest_reply reply;
	const struct vmm_zone_info *zones;
	struct value name = { 0 };
	char why[160];
	enum step st = eval_expr(ctx, arg, &name, msg, msglen);
	int z = -1;

	for (int i = 0; st == STEP_OK && name.kind == VAL_TEXT && i < VMM_NR_ZONES; i++)
		if (!strcmp(name.text, zone_names[i]))
			z = i;
	value_free(&name);
	if (st == STEP_OK && z < 0) {
		snprintf(msg, msglen, "no such zone (zones: DMA, DMA32, Normal)");
		st = STEP_FAILED;
	}
	if (st == STEP_OK)
		st = call_guest_ok(ctx, VMM_REQ_ZONES, NULL, NULL, 0, &reply, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (reply_zones(&reply, &zones, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_ZONES, why);
	if (zone_value(out, &zones[z])) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

static enum step subject_bad_pages(struct run_ctx *ctx, const struct expr *arg, struct value *out,
				   char *msg, size_t msglen)
{
	(void)arg;
	(void)msg;
	(void)msglen;
	*out = value_num(ctx->g.reports[VMM_REPORT_BAD_PAGE]);
	return STEP_OK;
}


static const struct command page_commands[] = {
	COMMAND("alloc_pages", "alloc_pages [order=N] [gfp=FLAGS] [count=N|max]",
		alloc_pages_fields, alloc_pages_resolve, alloc_pages_run),
	COMMAND("free_pages", "free_pages $ALLOCATION | free_pages PFN [order=N]", NULL,
		free_pages_resolve, free_pages_run),
	COMMAND("drain_pages", "drain_pages", NULL, NULL, drain_pages_run),
};
COMMANDS(page_commands);

static const struct subject page_subjects[] = {
	SUBJECT("buddyinfo", NULL, NULL,
		"free blocks per zone and order, /proc/buddyinfo format",
		.request = VMM_REQ_BUDDYINFO),
	SUBJECT("zoneinfo", NULL, NULL,
		"zone counters and watermarks, /proc/zoneinfo format",
		.request = VMM_REQ_ZONEINFO),
	SUBJECT("zone", "DMA, DMA32 or Normal", zone_fields,
		"a zone's counters, in pages",
		.eval = subject_zone),
	SUBJECT("bad_pages", NULL, NULL,
		"bad-page-state reports the guest kernel made",
		.eval = subject_bad_pages),
};
SUBJECTS(page_subjects);
