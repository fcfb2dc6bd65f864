// SPDX-License-Identifier: MIT
/* The suite's JUnit file; merging those of several shards. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/escape.h"
#include "junit.h"
#include "log.h"
#include "select.h"

#define JUNIT_TAIL	50	/* lines of the log in a failure */

enum junit_kind { JUNIT_PASS, JUNIT_FAILURE, JUNIT_ERROR, JUNIT_SKIPPED, NR_JUNIT_KINDS };

static const char *const kind_tags[NR_JUNIT_KINDS] = {
	[JUNIT_FAILURE] = "failure", [JUNIT_ERROR] = "error", [JUNIT_SKIPPED] = "skipped",
};

/* Suite and key are escaped text, as in the file, so written and read cases sort alike. */
struct junit_case {
	char *suite, *key, *block;
	enum junit_kind kind;
	unsigned long ms;
	const char *from;		/* the file it was read from, or NULL */
	unsigned line;
};

static struct junit_case *junit_new(struct junit *doc)
{
	if (doc->n == doc->cap) {
		doc->cap = doc->cap ? 2 * doc->cap : 64;
		doc->c = realloc(doc->c, doc->cap * sizeof(*doc->c));
		if (!doc->c)
			abort();
	}
	doc->c[doc->n] = (struct junit_case){ 0 };
	return &doc->c[doc->n++];
}

static char *escaped(const char *s, unsigned repeat)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	escape_puts(f, ESC_XML, s);
	if (repeat > 1)
		fprintf(f, " #%u", repeat);
	fclose(f);
	return buf;
}

static enum junit_kind kind_of(enum outcome o)
{
	switch (o) {
	case OUTCOME_PASS: return JUNIT_PASS;
	case OUTCOME_SKIP: return JUNIT_SKIPPED;
	case OUTCOME_FAIL: return JUNIT_FAILURE;
	default: return JUNIT_ERROR;
	}
}

void junit_add(struct junit *doc, const struct suite_case *k)
{
	struct junit_case *c = junit_new(doc);
	const char *reason = k->reason ? k->reason : "";
	struct log_tail t;
	size_t len;
	FILE *f;

	c->suite = escaped(k->accel, 0);
	c->key = escaped(k->hdr->path, k->repeat);
	c->kind = kind_of(k->outcome);
	c->ms = (unsigned long)(k->secs * 1000 + 0.5);
	f = open_memstream(&c->block, &len);
	if (!f)
		abort();
	fprintf(f, "    <testcase classname=\"%s\" name=\"%s\" time=\"%lu.%03lu\"",
		c->suite, c->key, c->ms / 1000, c->ms % 1000);
	if (c->kind == JUNIT_PASS) {
		fputs("/>\n", f);
	} else if (c->kind == JUNIT_SKIPPED) {
		fputs(">\n      <skipped message=\"", f);
		escape_puts(f, ESC_XML, reason);
		fputs("\"/>\n    </testcase>\n", f);
	} else {
		fprintf(f, ">\n      <%s type=\"%s\" message=\"", kind_tags[c->kind],
			outcome_names[k->outcome]);
		escape_puts(f, ESC_XML, reason);
		fputs("\">", f);
		log_tail_read(k->log, JUNIT_TAIL, &t);
		for (size_t i = 0; i < t.n; i++) {
			escape_puts(f, ESC_XML_LINES, t.lines[i]);
			fputc('\n', f);
		}
		log_tail_free(&t);
		fprintf(f, "</%s>\n    </testcase>\n", kind_tags[c->kind]);
	}
	fclose(f);
}

/* The value of attr="..." in line, escaped as it is; NULL if there is none. */
static char *attr(const char *line, const char *name)
{
	char pat[32];
	const char *p, *end;

	snprintf(pat, sizeof(pat), " %s=\"", name);
	p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	end = strchr(p, '"');
	return end ? strndup(p, end - p) : NULL;
}

/* "S.mmm" as written above, into milliseconds; -1 if it is not that. */
static int parse_ms(const char *s, unsigned long *ms)
{
	char *end;
	unsigned long whole;

	if (!s || *s < '0' || *s > '9')
		return -1;
	whole = strtoul(s, &end, 10);
	if (end[0] != '.' || strspn(end + 1, "0123456789") != 3 || end[4] || whole > 100000000)
		return -1;
	*ms = whole * 1000 + strtoul(end + 1, NULL, 10);
	return 0;
}

struct reader {
	FILE *f;
	const char *path;
	unsigned line;
	char *buf;
	size_t cap;
};

static const char *next_line(struct reader *r)
{
	ssize_t len = getline(&r->buf, &r->cap, r->f);

	if (len <= 0)
		return NULL;
	r->line++;
	if (r->buf[len - 1] == '\n')
		r->buf[--len] = '\0';
	return r->buf;
}

static bool starts(const char *line, const char *prefix)
{
	return line && !strncmp(line, prefix, strlen(prefix));
}

/* One <testcase> (its first line already read) and everything to its end. */
static int read_case(struct junit *doc, struct reader *r, const char *suite, const char *first)
{
	struct junit_case *c = junit_new(doc);
	const char *line = first;
	char *classname = attr(first, "classname"), *time = attr(first, "time");
	size_t len;
	FILE *f;
	int ret = 0;

	c->from = r->path;
	c->line = r->line;
	c->suite = strdup(suite);
	c->key = attr(first, "name");
	if (!classname || strcmp(classname, suite) || !c->key || parse_ms(time, &c->ms))
		ret = -1;
	free(classname);
	free(time);
	f = open_memstream(&c->block, &len);
	if (!f)
		abort();
	fprintf(f, "%s\n", first);
	if (!ret && strcmp(first + strlen(first) - 2, "/>")) {
		line = next_line(r);
		for (c->kind = JUNIT_FAILURE; c->kind < NR_JUNIT_KINDS; c->kind++) {
			char open[32];

			snprintf(open, sizeof(open), "      <%s ", kind_tags[c->kind]);
			if (starts(line, open))
				break;
		}
		ret = c->kind == NR_JUNIT_KINDS ? -1 : 0;
		while (!ret && line && strcmp(line, "    </testcase>")) {
			fprintf(f, "%s\n", line);
			line = next_line(r);
		}
		if (!line)
			ret = -1;
		else
			fprintf(f, "%s\n", line);
	}
	fclose(f);
	return ret;
}

static int read_suites(struct junit *doc, struct reader *r)
{
	const char *line;
	char *suite = NULL;
	int ret = 0;

	if (!starts(next_line(r), "<?xml ") || !starts(next_line(r), "<testsuites "))
		return -1;
	while (!ret && (line = next_line(r)) && strcmp(line, "</testsuites>")) {
		if (!suite && starts(line, "  <testsuite ")) {
			suite = attr(line, "name");
			ret = suite ? 0 : -1;
		} else if (suite && starts(line, "    <testcase ")) {
			char *first = strdup(line);

			ret = read_case(doc, r, suite, first);
			free(first);
		} else if (suite && !strcmp(line, "  </testsuite>")) {
			free(suite);
			suite = NULL;
		} else {
			ret = -1;
		}
	}
	if (!line || suite || next_line(r))
		ret = -1;
	free(suite);
	return ret;
}

int junit_read(struct junit *doc, const char *path, char *err, size_t errlen)
{
	struct reader r = { .f = fopen(path, "re"), .path = path };
	int ret;

	if (!r.f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = read_suites(doc, &r);
	if (ret)
		snprintf(err, errlen, "%s:%u: not a JUnit file as `vmm test --junit` writes them",
			 path, r.line);
	free(r.buf);
	fclose(r.f);
	return ret;
}

static int by_suite_and_key(const void *a, const void *b)
{
	const struct junit_case *x = a, *y = b;

	return strcmp(x->suite, y->suite) ?: strcmp(x->key, y->key);
}

/* Totals of cases c[0..n) as testsuite attributes. */
static void totals(FILE *f, const struct junit_case *c, size_t n)
{
	unsigned long count[NR_JUNIT_KINDS] = { 0 }, ms = 0;

	for (size_t i = 0; i < n; i++) {
		count[c[i].kind]++;
		ms += c[i].ms;
	}
	fprintf(f, " tests=\"%zu\" failures=\"%lu\" errors=\"%lu\" skipped=\"%lu\"",
		n, count[JUNIT_FAILURE], count[JUNIT_ERROR], count[JUNIT_SKIPPED]);
	fprintf(f, " time=\"%lu.%03lu\">\n", ms / 1000, ms % 1000);
}

static int twice(const struct junit_case *a, const struct junit_case *b, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s:%u: the case %s %s is also in %s:%u",
		 b->from ? b->from : "the run", b->line, b->suite, b->key,
		 a->from ? a->from : "the run", a->line);
	return -1;
}

int junit_write(struct junit *doc, const char *path, char *err, size_t errlen)
{
	FILE *f;
	int ret;

	qsort(doc->c, doc->n, sizeof(*doc->c), by_suite_and_key);
	for (size_t i = 1; i < doc->n; i++)
		if (!by_suite_and_key(&doc->c[i - 1], &doc->c[i]))
			return twice(&doc->c[i - 1], &doc->c[i], err, errlen);
	f = fopen(path, "we");
	if (!f) {
		snprintf(err, errlen, "--junit %s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vmm test\"", f);
	totals(f, doc->c, doc->n);
	for (size_t i = 0, end; i < doc->n; i = end) {
		end = i + 1;
		while (end < doc->n && !strcmp(doc->c[end].suite, doc->c[i].suite))
			end++;
		fprintf(f, "  <testsuite name=\"%s\"", doc->c[i].suite);
		totals(f, &doc->c[i], end - i);
		for (size_t j = i; j < end; j++)
			fputs(doc->c[j].block, f);
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	ret = fflush(f) || ferror(f) ? -1 : 0;
	if (fclose(f))
		ret = -1;
	if (ret)
		snprintf(err, errlen, "--junit %s: %s", path, strerror(errno));
	return ret;
}

void junit_free(struct junit *doc)
{
	for (size_t i = 0; i < doc->n; i++) {
		free(doc->c[i].suite);
		free(doc->c[i].key);
		free(doc->c[i].block);
	}
	free(doc->c);
	*doc = (struct junit){ 0 };
}
