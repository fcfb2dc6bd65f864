// SPDX-License-Identifier: MIT
/* Human, TAP 13 and JUnit output of scenario results. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/escape.h"
#include "report.h"

enum item_kind { ITEM_PASSED, ITEM_FAILED, ITEM_ERROR, ITEM_SKIPPED };

struct report_item {
	enum item_kind kind;
	char *name;
	char *details;		/* what failed, the error, the reason for the skip */
	double secs;		/* since the point before */
};

static double seconds_since(struct timespec *t)
{
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
	*t = now;
	return secs;
}

static void remember(struct report *r, enum item_kind kind, const char *name,
		     const char *details)
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
		kind, strdup(name), details ? strdup(details) : NULL, seconds_since(&r->last),
	};
}

int report_open_junit(struct report *r, char *why, size_t whylen)
{
	/* O_NONBLOCK: a FIFO nobody reads is refused (ENXIO), not waited for. */
	int fd = open(r->junit_path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0666);

	if (fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) ||
	    !(r->junit = fdopen(fd, "w"))) {
		snprintf(why, whylen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

void report_begin(struct report *r)
{
	if (r->begun)
		return;
	r->begun = true;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->last = r->start;
	if (r->fmt == REPORT_TAP)
		fprintf(r->out, "TAP version 13\n");
}

/* Each line of text after prefix, control bytes escaped. */
static void put_lines(struct report *r, const char *prefix, const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		fputs(prefix, r->out);
		escape_write(r->out, ESC_TEXT, text + i, n);
		fputc('\n', r->out);
		i += n + 1;
	}
}

/* TAP wants comments ("# ") outside YAML blocks. */
static const char *comment(const struct report *r)
{
	return r->fmt == REPORT_TAP ? "# " : "";
}

void report_console(struct report *r, const char *line, size_t len)
{
	if (r->quiet)
		return;
	fprintf(r->out, "%sguest: ", comment(r));
	escape_write(r->out, ESC_TEXT, line, len);
	fputc('\n', r->out);
}

void report_note(struct report *r, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int n;

	if (r->quiet)
		return;
	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fprintf(r->out, "%svmm: ", comment(r));
	escape_write(r->out, ESC_TEXT, text, (size_t)n);
	fputc('\n', r->out);
	free(text);
}

static void point_name(const struct report *r, const struct stmt *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%u  %s", r->file, s->pos.line, s->text ? s->text : "");
}

static void tap_point(struct report *r, bool ok, const char *name)
{
	fprintf(r->out, "%sok %u - ", ok ? "" : "not ", r->passed + r->failed);
	escape_puts(r->out, ESC_TAP, name);
	fputc('\n', r->out);
}

/*
 * The message as a literal block, which reads best, unless its first line
 * starts with a blank: that line would set the block's indentation.
 */
static void tap_message(struct report *r, const char *text)
{
	if (!*text || *text == ' ') {
		fputs("  message: \"", r->out);
		escape_puts(r->out, ESC_YAML, text);
		fputs("\"\n", r->out);
		return;
	}
	fputs("  message: |\n", r->out);
	put_lines(r, "    ", text, strlen(text));
}

static void tap_yaml(struct report *r, const struct src_pos *at, const char *text)
{
	fputs("  ---\n", r->out);
	if (at) {
		fputs("  at: \"", r->out);
		escape_puts(r->out, ESC_YAML, r->file);
		fprintf(r->out, ":%u:%u\"\n", at->line, at->col);
	}
	tap_message(r, text);
	fputs("  ...\n", r->out);
}

void report_point(struct report *r, const struct stmt *s, bool ok, const char *details)
{
	char name[512];

	point_name(r, s, name, sizeof(name));
	ok ? r->passed++ : r->failed++;
	remember(r, ok ? ITEM_PASSED : ITEM_FAILED, name, ok ? NULL : (details ? details : ""));
	if (r->fmt == REPORT_TAP) {
		tap_point(r, ok, name);
		if (!ok && details)
			tap_yaml(r, &s->pos, details);
		return;
	}
	fprintf(r->out, "%-5s", ok ? "ok" : "FAIL");
	escape_puts(r->out, ESC_TEXT, name);
	fputc('\n', r->out);
	if (!ok && details)
		put_lines(r, "       ", details, strlen(details));
}

void report_show(struct report *r, const struct stmt *s, const char *text, size_t len)
{
	char name[512];

	point_name(r, s, name, sizeof(name));
	fputs(comment(r), r->out);
	escape_puts(r->out, ESC_TEXT, name);
	fputc('\n', r->out);
	put_lines(r, comment(r), text, len);
}

void report_abort(struct report *r, const struct stmt *s, const char *diag)
{
	char where[512] = "", name[600];

	if (s)
		snprintf(where, sizeof(where), " at %s:%u (%s)", r->file, s->pos.line, s->text);
	snprintf(name, sizeof(name), "the guest ended%s", where);
	remember(r, ITEM_ERROR, s ? s->text : "boot", diag);
	r->failed++;
	r->errors++;
	if (r->fmt == REPORT_TAP) {
		tap_point(r, false, name);
		put_lines(r, "# ", diag, strlen(diag));
		fputs("Bail out! ", r->out);
		escape_puts(r->out, ESC_TEXT, name);
		fputc('\n', r->out);
		return;
	}
	fputs("FAIL ", r->out);
	escape_puts(r->out, ESC_TEXT, name);
	fputc('\n', r->out);
	put_lines(r, "     ", diag, strlen(diag));
}

static const char *const junit_tags[] = {
	[ITEM_FAILED] = "failure", [ITEM_ERROR] = "error", [ITEM_SKIPPED] = "skipped",
};

static void junit_testcase(const struct report *r, FILE *f, const struct report_item *it)
{
	const char *details = it->details ? it->details : "";

	fputs("    <testcase classname=\"", f);
	escape_puts(f, ESC_XML, r->file);
	fputs("\" name=\"", f);
	escape_puts(f, ESC_XML, it->name ? it->name : "");
	fprintf(f, "\" time=\"%.6f\"", it->secs);
	if (it->kind == ITEM_PASSED) {
		fputs("/>\n", f);
		return;
	}
	/* The first line says what happened; the element has all of it. */
	fprintf(f, ">\n      <%s message=\"", junit_tags[it->kind]);
	escape_write(f, ESC_XML, details, strcspn(details, "\n"));
	fputs("\">", f);
	escape_puts(f, ESC_XML_LINES, details);
	fprintf(f, "</%s>\n    </testcase>\n", junit_tags[it->kind]);
}

static int write_junit(struct report *r)
{
	unsigned count[ITEM_SKIPPED + 1] = { 0 };
	FILE *f = r->junit;
	int ret;

	for (size_t i = 0; i < r->nitems; i++)
		count[r->items[i].kind]++;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		   "  <testsuite name=\"");
	escape_puts(f, ESC_XML, r->file);
	fprintf(f, "\" tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"%.6f\">\n",
		r->nitems, count[ITEM_FAILED], count[ITEM_ERROR], count[ITEM_SKIPPED],
		seconds_since(&r->start));
	for (size_t i = 0; i < r->nitems; i++)
		junit_testcase(r, f, &r->items[i]);
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	ret = fflush(f) || ferror(f) ? -1 : 0;
	if (fclose(f))
		ret = -1;
	r->junit = NULL;
	if (ret)
		fprintf(stderr, "vmm: --junit %s: %s\n", r->junit_path, strerror(errno));
	return ret;
}

/* The JUnit file, and the memory; once, whichever way the run ended. */
static int close_report(struct report *r)
{
	int ret = r->junit ? write_junit(r) : 0;

	r->ended = true;
	for (size_t i = 0; i < r->nitems; i++) {
		free(r->items[i].name);
		free(r->items[i].details);
	}
	free(r->items);
	r->items = NULL;
	r->nitems = r->cap = 0;
	return ret;
}

int report_end(struct report *r)
{
	if (r->ended)
		return 0;
	if (r->fmt == REPORT_TAP)
		fprintf(r->out, "1..%u\n", r->passed + r->failed);
	else
		fprintf(r->out, "vmm: %u passed, %u failed\n", r->passed, r->failed);
	return close_report(r);
}

/* Nothing ran: TAP's plan for that says why, on one line. */
static void skip_all(struct report *r, const char *why)
{
	remember(r, ITEM_SKIPPED, "boot", why);
	r->skipped++;
	if (r->fmt != REPORT_TAP)
		return;
	fputs("1..0 # SKIP ", r->out);
	escape_puts(r->out, ESC_TEXT, why);
	fputc('\n', r->out);
}

/* The run stopped before its statements: one point in error, named by why's first line. */
static void error_point(struct report *r, const char *why)
{
	size_t n = strcspn(why, "\n");
	char *name = strndup(why, n);

	remember(r, ITEM_ERROR, name ? name : "error", why);
	r->failed++;
	r->errors++;
	if (r->fmt == REPORT_TAP) {
		tap_point(r, false, name ? name : "error");
		if (why[n])
			tap_yaml(r, NULL, why);
		fprintf(r->out, "1..%u\n", r->passed + r->failed);
	}
	free(name);
}

int report_finish(struct report *r, int status, const char *why)
{
	if (r->ended)
		return 0;
	report_begin(r);
	if (status == EXIT_NO_ACCEL)
		skip_all(r, why);
	else
		error_point(r, why);
	return close_report(r);
}
