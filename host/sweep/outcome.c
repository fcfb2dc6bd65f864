// SPDX-License-Identifier: MIT
/* A sweep's verdicts and reproducer lines (outcome.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sweep/outcome.h"

/* vmm run's exit statuses (report.h), which this file must not depend on. */
enum { RUN_PASS = 0, RUN_FAILED = 1, RUN_CRASH = 3, RUN_TIMEOUT = 4 };

static const char *const outcome_names[SWEEP_OUTCOME_NR] = {
	"handled", "changed", "leaked", "broken", "crashed", "hung",
};

const char *sweep_outcome_name(enum sweep_outcome o)
{
	return o < SWEEP_OUTCOME_NR ? outcome_names[o] : "?";
}

static uint64_t cache_active(const struct sweep_result *r, const char *name)
{
	for (unsigned int i = 0; i < r->nr_caches && i < SWEEP_MAX_CACHES; i++)
		if (!strncmp(r->caches[i].name, name, SWEEP_NAME_LEN))
			return r->caches[i].active;
	return 0;
}

/* Appends "kmalloc-64 +1" for every cache with more live objects than in base. */
static bool slab_leaks(const struct sweep_result *base, const struct sweep_result *run,
		       char *why, size_t whylen, size_t *used)
{
	bool leaked = false;

	for (unsigned int i = 0; i < run->nr_caches && i < SWEEP_MAX_CACHES; i++) {
		const struct sweep_cache *c = &run->caches[i];
		uint64_t was = cache_active(base, c->name);

		if (c->active <= was)
			continue;
		leaked = true;
		if (*used < whylen)
			*used += snprintf(why + *used, whylen - *used, "%s%.*s +%llu objects",
					  *used ? ", " : "", SWEEP_NAME_LEN, c->name,
					  (unsigned long long)(c->active - was));
	}
	return leaked;
}

static bool leaked(const struct sweep_result *base, const struct sweep_result *run,
		   char *why, size_t whylen)
{
	size_t used = 0;
	bool objects = slab_leaks(base, run, why, whylen, &used);

	if (run->free_pages < base->free_pages) {
		if (used < whylen)
			snprintf(why + used, whylen - used, "%s%llu pages", used ? ", " : "",
				 (unsigned long long)(base->free_pages - run->free_pages));
		return true;
	}
	return objects;
}

enum sweep_outcome sweep_classify(const struct sweep_result *base, const struct sweep_result *run,
				  char *why, size_t whylen)
{
	uint64_t base_mid = run->stmt < SWEEP_MAX_STMTS ? base->stmt_findings[run->stmt] : 0;

	why[0] = '\0';
	if (run->exit_status == RUN_CRASH) {
		snprintf(why, whylen, "%s", run->detail);
		return SWEEP_CRASHED;
	}
	if (run->exit_status == RUN_TIMEOUT) {
		snprintf(why, whylen, "%s", run->detail);
		return SWEEP_HUNG;
	}
	if (run->mid_findings > base_mid || run->findings > base->findings) {
		snprintf(why, whylen, "check: %s", run->detail);
		return SWEEP_BROKEN;
	}
	if (run->bad_pages > base->bad_pages) {
		snprintf(why, whylen, "%llu bad-page reports",
			 (unsigned long long)(run->bad_pages - base->bad_pages));
		return SWEEP_BROKEN;
	}
	if (run->slab_reports > base->slab_reports) {
		snprintf(why, whylen, "%llu slab reports",
			 (unsigned long long)(run->slab_reports - base->slab_reports));
		return SWEEP_BROKEN;
	}
	if (run->measured && base->measured && leaked(base, run, why, whylen))
		return SWEEP_LEAKED;
	if (run->expects_failed > base->expects_failed || run->exit_status != base->exit_status) {
		snprintf(why, whylen, "%llu expectations failed",
			 (unsigned long long)run->expects_failed);
		return SWEEP_CHANGED;
	}
	return SWEEP_HANDLED;
}

/* Characters a shell takes literally in a word. */
static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "_-./+,:=@%", *s))
			return false;
	return true;
}

int sweep_reproducer(char *buf, size_t size, const char *attr, uint64_t nth, unsigned int from,
		     unsigned int to, const char *file)
{
	size_t used = to ? snprintf(buf, size, "vmm sweep --attr %s --lines %u-%u --nth %llu ",
				    attr, from, to, (unsigned long long)nth) :
			   snprintf(buf, size, "vmm run --inject '%s nth=%llu' ", attr,
				    (unsigned long long)nth);

	if (used >= size)
		return -1;
	if (shell_safe(file))
		return snprintf(buf + used, size - used, "%s", file) < (int)(size - used) ? 0 : -1;
	/* 'it'\''s': a quote ends the word, an escaped one, and a new word starts. */
	for (buf[used++] = '\''; *file; file++) {
		const char *piece = *file == '\'' ? "'\\''" : (char[2]){ *file, 0 };
		size_t n = strlen(piece);

		if (used + n + 2 > size)
			return -1;
		memcpy(buf + used, piece, n);
		used += n;
	}
	buf[used++] = '\'';
	buf[used] = '\0';
	return 0;
}
