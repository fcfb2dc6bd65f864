// SPDX-License-Identifier: MIT
/* The console of `vmm test`: a line a case, a progress line, the summary. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "console.h"
#include "lib/escape.h"
#include "log.h"
#include "select.h"

#define TAIL_LINES	25	/* of a log, shown for a case that did not pass */

static const char *const labels[NR_OUTCOMES] = {
	[OUTCOME_PASS] = "PASS", [OUTCOME_SKIP] = "SKIP", [OUTCOME_FAIL] = "FAIL",
	[OUTCOME_TIMEOUT] = "TIMEOUT", [OUTCOME_CRASH] = "CRASH",
};

static unsigned term_width(FILE *f)
{
	struct winsize ws;

	return ioctl(fileno(f), TIOCGWINSZ, &ws) || ws.ws_col < 20 ? 80 : ws.ws_col;
}

static void progress_clear(struct console *c)
{
	if (c->tty && !c->tap)
		fputs("\r\033[K", c->out);
}

static void progress_show(struct console *c)
{
	char line[512];
	unsigned width;

	if (!c->tty || c->tap)
		return;
	width = term_width(c->out);
	snprintf(line, sizeof(line), "[%zu/%zu] %zu passed, %zu failed, %zu skipped%s%s",
		 c->done, c->total, c->passed, c->failed, c->skipped,
		 c->last_started ? "; started " : "", c->last_started ? c->last_started : "");
	if (strlen(line) >= width)
		line[width - 1] = '\0';
	fputs("\r\033[K", c->out);
	escape_puts(c->out, ESC_TEXT, line);
	fflush(c->out);
}

void console_begin(struct console *c, size_t total)
{
	c->tty = isatty(fileno(c->out));
	c->total = total;
	c->done = c->passed = c->failed = c->skipped = 0;
	if (c->tap)
		fputs("TAP version 13\n", c->out);
	progress_show(c);
}

void console_started(struct console *c, const struct suite_case *k)
{
	c->last_started = k->name;
	progress_show(c);
}

/* The end of the log, each line after prefix. */
static void show_tail(struct console *c, const char *prefix, const char *path)
{
	struct log_tail t;

	log_tail_read(path, TAIL_LINES, &t);
	if (t.before)
		fprintf(c->out, "%s(%zu lines before these)\n", prefix, t.before);
	for (size_t i = 0; i < t.n; i++) {
		fputs(prefix, c->out);
		escape_puts(c->out, ESC_TEXT, t.lines[i]);
		fputc('\n', c->out);
	}
	log_tail_free(&t);
}

static void tap_result(struct console *c, const struct suite_case *k)
{
	bool ok = k->outcome == OUTCOME_PASS || k->outcome == OUTCOME_SKIP;

	fprintf(c->out, "%sok %zu - ", ok ? "" : "not ", c->done);
	escape_puts(c->out, ESC_TAP, k->name);
	if (k->repeat > 1)
		fprintf(c->out, " \\#%u", k->repeat);
	if (k->outcome == OUTCOME_SKIP) {
		fputs(" # SKIP ", c->out);
		escape_puts(c->out, ESC_TAP, k->reason);
	}
	fputc('\n', c->out);
	if (ok)
		return;
	fprintf(c->out, "  ---\n  outcome: %s\n  message: \"", outcome_names[k->outcome]);
	escape_puts(c->out, ESC_YAML, k->reason ? k->reason : "");
	fputs("\"\n  log: \"", c->out);
	escape_puts(c->out, ESC_YAML, k->log ? k->log : "");
	fputs("\"\n  ...\n", c->out);
	show_tail(c, "# ", k->log);
}

void console_result(struct console *c, const struct suite_case *k)
{
	bool show;

	c->done++;
	if (k->outcome == OUTCOME_PASS)
		c->passed++;
	else if (k->outcome == OUTCOME_SKIP)
		c->skipped++;
	else
		c->failed++;
	progress_clear(c);
	if (c->tap) {
		tap_result(c, k);
		return;
	}
	show = k->outcome != OUTCOME_PASS || c->passes == PASSES_SHOW ||
	       (c->passes == PASSES_AUTO && !c->tty);
	if (show) {
		fprintf(c->out, "%-7s ", labels[k->outcome]);
		escape_puts(c->out, ESC_TEXT, k->name);
		if (k->repeat > 1)
			fprintf(c->out, " #%u", k->repeat);
		if (k->reason) {
			fputs(": ", c->out);
			escape_puts(c->out, ESC_TEXT, k->reason);
		} else {
			fprintf(c->out, " (%.1f s)", k->secs);
		}
		fputc('\n', c->out);
	}
	if (k->outcome != OUTCOME_PASS && k->outcome != OUTCOME_SKIP) {
		show_tail(c, "        | ", k->log);
		fputs("        log: ", c->out);
		escape_puts(c->out, ESC_TEXT, k->log ? k->log : "");
		fputc('\n', c->out);
	}
	progress_show(c);
}

void console_end(struct console *c)
{
	progress_clear(c);
	if (c->tap)
		fprintf(c->out, "1..%zu\n# ", c->done);
	fprintf(c->out, "%zu passed, %zu failed, %zu skipped\n", c->passed, c->failed, c->skipped);
	fflush(c->out);
}
