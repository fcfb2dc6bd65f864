// SPDX-License-Identifier: MIT
/*
 * How a rule reports: a finding printed with every level's entry for its
 * address, counted under its rule past the first CHECK_FINDINGS_SHOWN,
 * and the budgets that stop a check short (checker.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checker.h"
#include "shared/pte.h"

void prot_str(uint64_t prot, char *buf, size_t size)
{
	snprintf(buf, size, "r%c%c%s%s", prot & _PAGE_RW ? 'w' : '-', prot & _PAGE_NX ? '-' : 'x',
		 prot & _PAGE_USER ? " user" : "", prot & _PAGE_GLOBAL ? " global" : "");
}

/* Each level's entry for va, as `vtop` would print it. */
static void print_translation(struct checker *c, uint64_t va)
{
	static const char *const level[] = { "PGD", "PUD", "PMD", "PTE" };
	struct pt_translation t;

	if (!c->ram || pt_translate(c->ram, c->cr3, va, &t))
		return;
	for (int i = 0; i < t.nlevels && i < 4; i++)
		fprintf(c->out, "    %s entry at %#llx = %016llx\n", level[i],
			(unsigned long long)t.entry_gpa[i], (unsigned long long)t.entry[i]);
}

/* Past the limit, a finding is only counted, under its rule (the last slot takes the rest). */
static void count_more(struct checker *c, const char *rule, uint64_t n)
{
	struct rule_count *r = c->more;

	while (r < c->more + CHECK_RULES - 1 && r->rule && strcmp(r->rule, rule))
		r++;
	r->rule = r->rule ?: rule;
	r->more += n;
}

bool finding_shown(struct checker *c, const char *rule)
{
	c->findings++;
	if (c->shown < CHECK_FINDINGS_SHOWN) {
		c->shown++;
		return true;
	}
	count_more(c, rule, 1);
	return false;
}

/* 535821812 as "535,821,812". */
static const char *grouped(uint64_t n, char *buf, size_t size)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	size_t o = 0;

	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

void check_print_more(struct checker *c)
{
	char n[32];

	for (const struct rule_count *r = c->more; r < c->more + CHECK_RULES && r->rule; r++)
		fprintf(c->out, "[%s] and %s more like it%s\n", r->rule, grouped(r->more, n, sizeof(n)),
			r == c->more + CHECK_RULES - 1 ? " (or of other rules)" : "");
}

void check_stop(struct checker *c, const char *why)
{
	stop_set(c->stop, why);
}

bool check_spend(struct checker *c, uint64_t *budget, uint64_t n, const char *what)
{
	return budget_spend(c->stop, budget, n, what);
}

void finding(struct checker *c, const char *rule, uint64_t va, uint64_t end,
	     const char *fmt, ...)
{
	va_list ap;

	if (!finding_shown(c, rule))
		return;
	fprintf(c->out, "[%s] %016llx-%016llx (cr3 %#llx): ", rule, (unsigned long long)va,
		(unsigned long long)end, (unsigned long long)c->cr3);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	print_translation(c, va);
}

static const char *level_name(enum pt_level level)
{
	return level == PT_PGD ? "PGD" : level == PT_PUD ? "PUD" : level == PT_PMD ? "PMD" : "PTE";
}

bool check_walk(struct checker *c, const struct check_snapshot *s, const struct snap_walk *w)
{
	c->cr3 = w->cr3;
	for (unsigned i = 0; i < w->nfound && i < CHECK_FINDINGS_SHOWN; i++) {
		const struct pt_finding *f = &w->found[i];

		finding(c, "walk", f->va, f->va, "%s: %s entry at %#llx = %016llx",
			pt_finding_str(f->kind), level_name(f->level),
			(unsigned long long)f->entry_gpa, (unsigned long long)f->entry);
	}
	/* past the findings kept, which are as many as one check prints */
	c->findings += w->more_found;
	if (w->more_found)
		count_more(c, "walk", w->more_found);
	if (!w->done && s->stop[0])
		check_stop(c, s->stop);
	return w->done;
}
