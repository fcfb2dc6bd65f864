// SPDX-License-Identifier: MIT
/* The sweep's observer of one run (probe.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/call.h"
#include "engine/cmd_inject.h"
#include "engine/procs.h"
#include "probe.h"
#include "vm/reply.h"

void sweep_probe_init(struct sweep_probe *p, unsigned int attr)
{
	*p = (struct sweep_probe){ .attr = attr };
}

void sweep_probe_lines(struct sweep_probe *p, const struct inject_plan *plan, unsigned int from,
		       unsigned int to)
{
	p->plan = plan;
	p->from = from;
	p->to = to;
}

static enum step probe_before_stmt(struct run_ctx *ctx, const struct stmt *s, void *arg)
{
	struct sweep_probe *p = arg;
	char msg[256];

	p->running = s;
	p->stmts++;
	if (!p->plan || p->armed || p->done || s->pos.line < p->from || s->pos.line > p->to)
		return STEP_OK;
	p->armed = true;
	return inject_apply(ctx, p->plan, msg, sizeof(msg)) == STEP_DEAD ? STEP_DEAD : STEP_OK;
}

/* Past the last line of the range: the plan ends (its counters with it). */
static void probe_disarm(struct run_ctx *ctx, struct sweep_probe *p, const struct stmt *s)
{
	struct inject_plan off;
	char msg[256];

	if (!p->armed || s->pos.line < p->to)
		return;
	inject_plan_init(&off, p->attr);
	inject_apply(ctx, &off, msg, sizeof(msg));
	p->armed = false;
	p->done = true;
}

/* "a+0x1/0x9 < b+0x2/0x8 < ...": the chain on one line, innermost first. */
static void note_site(struct run_ctx *ctx, const struct vmm_fault_stats *st, char *buf,
		      size_t size)
{
	char chain[VMM_BACKTRACE_DEPTH * 128];
	size_t len = inject_site(ctx, st, chain, sizeof(chain));

	while (len && chain[len - 1] == '\n')
		chain[--len] = '\0';
	for (char *nl = strchr(chain, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = '<';
	len = strlen(chain) < size ? strlen(chain) : size - 1;
	memcpy(buf, chain, len);
	buf[len] = '\0';
}

static void note_stmt(struct sweep_result *res, const struct stmt *s)
{
	res->line = s->pos.line;
	snprintf(res->stmt_text, sizeof(res->stmt_text), "%s", s->text ? s->text : "");
}

/* `check` now: how many findings (the first one into detail, if it is empty). */
static uint64_t count_findings(struct run_ctx *ctx, struct sweep_result *res)
{
	char *findings = NULL;
	uint64_t n = 0;

	if (verify_check(ctx, &findings) == STEP_FAILED && findings) {
		if (!res->detail[0])
			snprintf(res->detail, sizeof(res->detail), "%.*s",
				 (int)strcspn(findings, "\n"), findings);
		n++;
		for (const char *c = findings; (c = strchr(c, '\n')) && c[1]; c++)
			n++;
	}
	free(findings);
	return n;
}

static void probe_after_stmt(struct run_ctx *ctx, const struct stmt *s, void *arg)
{
	struct sweep_probe *p = arg;
	struct vmm_fault_stats st;
	char msg[256];

	p->running = NULL;
	if (p->check_each && p->stmts <= SWEEP_MAX_STMTS) {
		uint64_t n = count_findings(ctx, &p->res);

		p->res.stmt_findings[p->stmts - 1] = n > UINT16_MAX ? UINT16_MAX : n;
	}
	if (!p->res.injected &&
	    inject_stats(ctx, p->attr, &st, msg, sizeof(msg)) == STEP_OK && st.failures) {
		p->res.injected = st.failures;
		note_stmt(&p->res, s);
		note_site(ctx, &st, p->res.site, sizeof(p->res.site));
		/* While the processes still live: exit would tear a broken state down. */
		p->res.stmt = p->stmts - 1;
		p->res.mid_findings = count_findings(ctx, &p->res);
	}
	probe_disarm(ctx, p, s);
}

int sweep_parse_slabinfo(const char *text, struct sweep_result *res)
{
	const char *line = text;

	res->nr_caches = 0;
	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		struct sweep_cache *c = &res->caches[res->nr_caches];
		char name[SWEEP_NAME_LEN];
		unsigned long long active;

		if (!strncmp(line, "slabinfo", 8) || *line == '#')
			continue;
		if (sscanf(line, "%31s %llu", name, &active) != 2)
			return -1;
		if (res->nr_caches == SWEEP_MAX_CACHES)
			return -1;
		memcpy(c->name, name, sizeof(name));
		c->active = active;
		res->nr_caches++;
	}
	return 0;
}

/* Back to a state two runs can be compared in: no plan, no process, no per-CPU pages. */
static enum step settle(struct run_ctx *ctx, char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = STEP_OK;

	for (unsigned int a = 0; st == STEP_OK && a < VMM_FAULT_ATTR_NR; a++) {
		struct inject_plan off;

		inject_plan_init(&off, a);
		st = inject_apply(ctx, &off, msg, msglen);
	}
	for (size_t i = 0; st == STEP_OK && i < ctx->nprocs; i++) {
		struct proc *pr = &ctx->procs[i];

		if (!pr->alive)
			continue;
		st = call_guest(ctx, VMM_REQ_EXIT, (uint64_t[6]){ (uint64_t)pr->pid }, NULL, 0,
				&reply);
		pr->alive = false;
	}
	return st == STEP_OK ? call_guest(ctx, VMM_REQ_DRAIN_PAGES, NULL, NULL, 0, &reply) : st;
}

/*
 * Pages in the page cache count as free: a file that keeps its pages
 * because a truncate never ran (its process died of the failure) holds
 * them rightly, and a page the cache lost shows as neither.  So do the
 * pages of the cache's index, when the guest says every node in use is a
 * live file's (the same truncate would have freed them).
 */
static enum step add_page_cache(struct run_ctx *ctx, struct sweep_result *res, char *msg,
				size_t msglen)
{
	const struct vmm_cache_page *pages;
	struct reply_range raw[2];
	struct guest_reply reply;
	uint64_t index_pages;
	size_t n;
	char why[160];
	enum step st = call_guest(ctx, VMM_REQ_PAGE_CACHE, NULL, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest refused its page cache: error %lld",
			 (long long)reply.status);
		return STEP_FAILED;
	}
	if (reply_page_cache(&reply, ctx->g.accel.ram.size, &pages, &n, raw, &index_pages, why,
			     sizeof(why)))
		return guest_lied(ctx, VMM_REQ_PAGE_CACHE, why);
	if (__builtin_add_overflow(res->free_pages, n, &res->free_pages) ||
	    __builtin_add_overflow(res->free_pages, index_pages, &res->free_pages))
		res->free_pages = UINT64_MAX;
	return STEP_OK;
}

static enum step measure(struct run_ctx *ctx, struct sweep_result *res, char *msg, size_t msglen)
{
	struct guest_reply reply;
	const struct vmm_zone_info *zones;
	struct value slabinfo = { 0 };
	char why[160];
	enum step st = call_guest(ctx, VMM_REQ_ZONES, NULL, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest refused its zones: error %lld",
			 (long long)reply.status);
		return STEP_FAILED;
	}
	if (reply_zones(&reply, &zones, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_ZONES, why);
	/* The guest's numbers: a sum that overflows saturates, and compares as a lie would. */
	for (int z = 0; z < VMM_NR_ZONES; z++)
		if (__builtin_add_overflow(res->free_pages, zones[z].free, &res->free_pages) ||
		    __builtin_add_overflow(res->free_pages, zones[z].pcp, &res->free_pages))
			res->free_pages = UINT64_MAX;
	st = add_page_cache(ctx, res, msg, msglen);
	if (st != STEP_OK)
		return st;
	st = guest_text(ctx, VMM_REQ_SLABINFO, &slabinfo, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (sweep_parse_slabinfo(slabinfo.text, res))
		snprintf(res->detail, sizeof(res->detail), "slabinfo unreadable");
	value_free(&slabinfo);
	res->findings = count_findings(ctx, res);
	return ctx->g.status == GUEST_OK ? STEP_OK : STEP_DEAD;
}

static void probe_finish(struct run_ctx *ctx, int status, void *arg)
{
	struct sweep_probe *p = arg;
	struct sweep_result *res = &p->res;
	char msg[256];

	res->exit_status = status;
	res->expects_failed = ctx->rep->failed;
	if (ctx->g.status == GUEST_OK && settle(ctx, msg, sizeof(msg)) == STEP_OK &&
	    measure(ctx, res, msg, sizeof(msg)) == STEP_OK)
		res->measured = 1;
	res->bad_pages = ctx->g.reports[VMM_REPORT_BAD_PAGE];
	res->slab_reports = ctx->slab_reports;
	if (ctx->g.status == GUEST_OK)
		return;
	/* Died: the failure (if any) came in the statement that was running. */
	if (!res->line && p->running)
		note_stmt(res, p->running);
	if (!res->injected)
		res->injected = 1;	/* unknown: the sweep goes on past it */
	snprintf(res->detail, sizeof(res->detail), "%.*s", (int)strcspn(ctx->g.diag, "\n"),
		 ctx->g.diag);
}

const struct run_hooks sweep_probe_hooks = {
	.before_stmt = probe_before_stmt,
	.after_stmt = probe_after_stmt,
	.finish = probe_finish,
};
