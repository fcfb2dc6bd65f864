// SPDX-License-Identifier: MIT
/* One boot's flips (probe.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/call.h"
#include "pick.h"
#include "probe.h"
#include "vm/reply.h"

static void send_flip(struct corrupt_probe *p, const struct corrupt_flip *f)
{
	if (write(p->fd, f, sizeof(*f)) != sizeof(*f))
		p->left = 0;	/* nobody listens: no point going on */
	p->left -= !!p->left;
}

/* Flip t's bit, ask the detectors, put the bit back. */
static void flip_one(struct corrupt_probe *p, struct run_ctx *ctx, const struct stmt *s,
		     const struct corrupt_target *t, const char *base)
{
	uint8_t *word = gpa_ptr(&ctx->g.accel.ram, t->gpa, 8);
	unsigned int slab0 = ctx->slab_reports, bad0 = ctx->g.reports[VMM_REPORT_BAD_PAGE];
	struct corrupt_flip f = { .gpa = t->gpa, .line = s->pos.line, .stmt = p->cur,
				  .cls = t->cls, .bit = t->bit };
	char *findings = NULL;
	struct corrupt_obs o;
	uint8_t orig;

	if (!word || (t->gpa & 7))
		return;
	memcpy(&f.before, word, sizeof(f.before));
	memcpy(f.field, t->field, sizeof(f.field));
	orig = word[t->bit / 8];
	word[t->bit / 8] ^= 1u << (t->bit % 8);
	verify_check(ctx, &findings);
	o = (struct corrupt_obs){
		.guest_status = ctx->g.status, .findings = findings, .base = base,
		.slab_reports = ctx->slab_reports - slab0,
		.bad_pages = ctx->g.reports[VMM_REPORT_BAD_PAGE] - bad0,
	};
	f.outcome = corrupt_classify(&o, f.rule, sizeof(f.rule));
	free(findings);
	if (ctx->g.status == GUEST_OK) {
		word[t->bit / 8] = orig;
	} else {
		snprintf(f.why, sizeof(f.why), "%.*s", (int)strcspn(ctx->g.diag, "\n"),
			 ctx->g.diag);
		f.killed = p->dead = true;
	}
	send_flip(p, &f);
}

static int fetch_arena(struct run_ctx *ctx, struct corrupt_arena *a)
{
	struct guest_reply reply;
	char msg[256];

	check_fetch(&ctx->g, &a->snap, msg, sizeof(msg));
	if (ctx->g.status != GUEST_OK)
		return -1;
	for (size_t i = 0; i < a->snap.npages; i++)
		a->pages_in_use += a->snap.pages[i].refcount > 0;
	if (call_guest(ctx, VMM_REQ_MEM_MAP, NULL, NULL, 0, &reply) != STEP_OK)
		return -1;
	a->have_mem_map = !reply.status &&
			  !reply_mem_map(&reply, ctx->g.accel.ram.size, &a->mem_map, msg,
					 sizeof(msg));
	return 0;
}

static void probe_after_stmt(struct run_ctx *ctx, const struct stmt *s, void *arg)
{
	struct corrupt_probe *p = arg;
	struct corrupt_arena a = { 0 };
	char *base = NULL;
	unsigned int quota = p->stmts == p->from ? p->per_stmt - p->done : p->per_stmt;

	p->cur = p->stmts++;
	if (p->cur < p->from || p->dead || !p->left || ctx->g.status != GUEST_OK)
		return;
	verify_check(ctx, &base);
	if (ctx->g.status == GUEST_OK && !fetch_arena(ctx, &a)) {
		for (unsigned int k = 0; k < quota && p->left && !p->dead; k++) {
			struct corrupt_target t = { 0 };

			if (!corrupt_pick(&p->rng, &ctx->g.accel.ram, &a, p->slab_debug, &t))
				flip_one(p, ctx, s, &t, base);
		}
	}
	check_snapshot_free(&a.snap);
	free(base);
}

const struct run_hooks corrupt_probe_hooks = {
	.after_stmt = probe_after_stmt,
};
