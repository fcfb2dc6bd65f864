// SPDX-License-Identifier: MIT
/* Human, TAP 13 and JUnit output of scenario results. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct report_item {
	char *name;
	char *details;		/* NULL when it passed */
};

static void remember(struct report *r, const char *name, const char *details)
{
	if (r->nitems == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct report_item *n = realloc(r->items, cap * sizeof(*n));

		if (!n)
			return;	/* JUnit loses the point; the console still has it */
		r->items = n;
		r->cap = cap;
	}
	r->items[r->nitems++] = (struct report_item){
		strdup(name), details ? strdup(details) : NULL,
	};
}

void report_begin(struct report *r)
{
	if (r->fmt == REPORT_TAP)
		fprintf(r->out, "TAP version 13\n");
}

/* Each line of text, indented; TAP wants comments ("# ") outside YAML blocks. */
static void put_lines(struct report *r, const char *prefix, const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		fprintf(r->out, "%s%.*s\n", prefix, (int)n, text + i);
		i += n + 1;
	}
}

void report_console(struct report *r, const char *line, size_t len)
{
	if (r->quiet)
		return;
	fprintf(r->out, "%sguest: %.*s\n", r->fmt == REPORT_TAP ? "# " : "", (int)len, line);
}

void report_note(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->quiet)
		return;
	fputs(r->fmt == REPORT_TAP ? "# vmm: " : "vmm: ", r->out);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
}

static void point_name(const struct report *r, const struct stmt *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u  %s", r->file, s->pos.line, s->text ? s->text : "");
}

void report_point(struct report *r, const struct stmt *s, bool ok, const char *details)
{
	unsigned n = r->passed + r->failed + 1;
	char name[512];

	point_name(r, s, name, sizeof(name));
	ok ? r->passed++ : r->failed++;
	remember(r, name, ok ? NULL : (details ? details : ""));
	if (r->fmt == REPORT_TAP) {
		fprintf(r->out, "%sok %u - %s\n", ok ? "" : "not ", n, name);
		if (!ok && details) {
			fprintf(r->out, "  ---\n  at: %s:%u:%u\n  message: |\n", r->file,
				s->pos.line, s->pos.col);
			put_lines(r, "    ", details, strlen(details));
			fprintf(r->out, "  ...\n");
		}
		return;
	}
	fprintf(r->out, "%-5s%s\n", ok ? "ok" : "FAIL", name);
	if (!ok && details)
		put_lines(r, "       ", details, strlen(details));
}

void report_show(struct report *r, const struct stmt *s, const char *text, size_t len)
{
	fprintf(r->out, "%s%s:%u  %s\n", r->fmt == REPORT_TAP ? "# " : "", r->file, s->pos.line,
		s->text);
	put_lines(r, r->fmt == REPORT_TAP ? "# " : "", text, len);
}

void report_abort(struct report *r, const struct stmt *s, const char *diag)
{
	char where[512] = "";

	if (s)
		snprintf(where, sizeof(where), " at %s:%u (%s)", r->file, s->pos.line, s->text);
	remember(r, s ? s->text : "boot", diag);
	r->failed++;
	if (r->fmt == REPORT_TAP) {
		fprintf(r->out, "not ok %u - %s%s\n", r->passed + r->failed, "guest ended", where);
		put_lines(r, "# ", diag, strlen(diag));
		fprintf(r->out, "Bail out! the guest ended%s\n", where);
		return;
	}
	fprintf(r->out, "FAIL the guest ended%s\n", where);
	put_lines(r, "     ", diag, strlen(diag));
}

static void xml_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static int write_junit(const struct report *r)
{
	FILE *f = fopen(r->junit_path, "w");

	if (!f)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		   "  <testsuite name=\"");
	xml_escaped(f, r->file);
	fprintf(f, "\" tests=\"%u\" failures=\"%u\">\n", r->passed + r->failed, r->failed);
	for (size_t i = 0; i < r->nitems; i++) {
		fprintf(f, "    <testcase classname=\"");
		xml_escaped(f, r->file);
		fprintf(f, "\" name=\"");
		xml_escaped(f, r->items[i].name);
		if (!r->items[i].details) {
			fprintf(f, "\"/>\n");
			continue;
		}
		fprintf(f, "\">\n      <failure message=\"failed\">");
		xml_escaped(f, r->items[i].details);
		fprintf(f, "</failure>\n    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	return fclose(f) ? -1 : 0;
}

int report_end(struct report *r)
{
	int ret = 0;

	if (r->fmt == REPORT_TAP)
		fprintf(r->out, "1..%u\n", r->passed + r->failed);
	else
		fprintf(r->out, "vmm: %u passed, %u failed\n", r->passed, r->failed);
	if (r->junit_path && write_junit(r))
		ret = -1;
	for (size_t i = 0; i < r->nitems; i++) {
		free(r->items[i].name);
		free(r->items[i].details);
	}
	free(r->items);
	r->items = NULL;
	r->nitems = r->cap = 0;
	return ret;
}
