// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the reports: arbitrary statement text, guest text
 * and failure details go through every report function, in TAP and in
 * human form, with a JUnit file.  Whatever the input, the output holds no
 * byte but printable ASCII and newlines, no TAP line is a test point vmm
 * did not write, and the JUnit file's elements balance.
 *
 * The input is split at its first two NUL bytes: statement text, then
 * details, then guest text (which keeps its NULs).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s\n", #cond); abort(); } } while (0)

static void check_plain(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		CHECK(buf[i] == '\n' || (buf[i] >= 0x20 && buf[i] < 0x7f));
}

/* Test points: exactly the ones written, numbered 1..n, and no directive. */
static void check_tap(const char *buf, size_t len, unsigned points)
{
	unsigned n = 0;

	for (const char *l = buf; l < buf + len; l = strchr(l, '\n') + 1) {
		const char *hash;
		unsigned num;

		if (strncmp(l, "ok ", 3) && strncmp(l, "not ok ", 7))
			continue;
		CHECK(sscanf(l + (*l == 'o' ? 3 : 7), "%u", &num) == 1 && num == ++n);
		/* every '#' in a description is escaped: it follows an odd run of '\' */
		for (hash = strchr(l, '#'); hash && hash < strchr(l, '\n'); hash = strchr(hash + 1, '#')) {
			size_t slashes = 0;

			while (hash - slashes > l && hash[-1 - (long)slashes] == '\\')
				slashes++;
			CHECK(slashes % 2 == 1);
		}
	}
	CHECK(n == points);
}

static size_t count(const char *buf, size_t len, const char *what)
{
	size_t n = 0, wl = strlen(what);

	for (size_t i = 0; i + wl <= len; i++)
		n += !memcmp(buf + i, what, wl);
	return n;
}

static void check_xml(const char *buf, size_t len)
{
	check_plain(buf, len);
	CHECK(count(buf, len, "<testcase ") == 3);
	CHECK(count(buf, len, "<") == count(buf, len, ">"));
	CHECK(count(buf, len, "<failure ") == count(buf, len, "</failure>"));
	CHECK(count(buf, len, "<error ") == count(buf, len, "</error>"));
	CHECK(count(buf, len, "</testsuites>") == 1);
}

static void one_run(enum report_format fmt, char *text, const char *details,
		    const char *guest, size_t glen)
{
	struct report r = { .fmt = fmt, .file = text, .junit_path = "/dev/null" };
	struct stmt s = { .pos = { text, 7, 3 }, .text = text };
	char *out = NULL, *xml = NULL;
	size_t outlen, xmllen;

	r.out = open_memstream(&out, &outlen);
	r.junit = open_memstream(&xml, &xmllen);
	CHECK(r.out && r.junit);
	report_begin(&r);
	report_console(&r, guest, glen);
	report_point(&r, &s, true, NULL);
	report_point(&r, &s, false, details);
	report_show(&r, &s, guest, glen);
	report_note(&r, "%s", details);
	report_abort(&r, &s, details);
	report_end(&r);
	fclose(r.out);
	check_plain(out, outlen);
	if (fmt == REPORT_TAP)
		check_tap(out, outlen, 3);
	/* report_end closed the JUnit stream, which set xml and xmllen */
	CHECK(xml);
	check_xml(xml, xmllen);
	free(out);
	free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *text, *details, *guest;
	size_t glen;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	text = buf;
	details = text + strlen(text) + 1;
	guest = details <= buf + size ? details + strlen(details) + 1 : buf + size + 1;
	if (details > buf + size)
		details = buf + size;
	glen = guest <= buf + size ? (size_t)(buf + size - guest) : 0;
	one_run(REPORT_TAP, text, details, guest, glen);
	one_run(REPORT_HUMAN, text, details, guest, glen);
	free(buf);
	return 0;
}
