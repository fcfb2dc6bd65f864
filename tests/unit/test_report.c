// SPDX-License-Identifier: MIT
/*
 * Results against hostile text: statement text and guest text made of
 * '#', '\', newlines, escape sequences, NUL, invalid UTF-8 and "]]>".  The
 * escaping functions are checked byte for byte, and whole reports are read
 * back with real parsers: Perl's TAP::Parser for the TAP output and
 * xmllint for the JUnit file (ci/install-deps.sh installs both).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_fast.h"
#include "check_main.h"
#include "lib/escape.h"
#include "report/report.h"

/* Every hostile byte sequence in one string (NUL needs the length form). */
static const char hostile[] = "a # TODO x \\ b\n\x1b[31mred\x07 \xff\xc3( ]]> <&\"'";

static char *escaped(enum escape_style style, const char *s, size_t len)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	ck_assert_ptr_nonnull(f);
	escape_write(f, style, s, len);
	fclose(f);
	return buf;
}

START_TEST(text_escapes_control_and_non_ascii)
{
	ck_assert_str_eq(escaped(ESC_TEXT, hostile, sizeof(hostile) - 1),
			 "a # TODO x \\ b\\x0a\\x1b[31mred\\x07 \\xff\\xc3( ]]> <&\"'");
	ck_assert_str_eq(escaped(ESC_TEXT, "a\0b", 3), "a\\x00b");
}
END_TEST

START_TEST(tap_escapes_hash_and_backslash)
{
	ck_assert_str_eq(escaped(ESC_TAP, hostile, sizeof(hostile) - 1),
			 "a \\# TODO x \\\\ b\\\\x0a\\\\x1b[31mred\\\\x07 \\\\xff\\\\xc3( ]]> <&\"'");
}
END_TEST

START_TEST(yaml_escapes_quote_backslash_newline)
{
	ck_assert_str_eq(escaped(ESC_YAML, hostile, sizeof(hostile) - 1),
			 "a # TODO x \\\\ b\\n\\\\x1b[31mred\\\\x07 \\\\xff\\\\xc3( ]]> <&\\\"'");
}
END_TEST

START_TEST(xml_escapes_markup)
{
	ck_assert_str_eq(escaped(ESC_XML, hostile, sizeof(hostile) - 1),
			 "a # TODO x \\ b\\x0a\\x1b[31mred\\x07 \\xff\\xc3( ]]&gt; "
			 "&lt;&amp;&quot;&apos;");
	ck_assert_str_eq(escaped(ESC_XML_LINES, "a\nb\x01", 4), "a\nb\\x01");
}
END_TEST

/* Long input goes through in chunks: nothing lost at their seams. */
START_TEST(long_text_whole)
{
	char in[1000], *out;

	memset(in, 0x1b, sizeof(in));
	out = escaped(ESC_TEXT, in, sizeof(in));
	ck_assert_uint_eq(strlen(out), 4 * sizeof(in));
	ck_assert_str_eq(out + 4 * (sizeof(in) - 1), "\\x1b");
}
END_TEST

/* ---- whole reports through TAP::Parser and xmllint ---- */

struct files {
	char dir[64], tap[96], xml[96];
};

static struct report rep;
static struct files fs;

static void setup_report(enum report_format fmt)
{
	char why[256];

	snprintf(fs.dir, sizeof(fs.dir), "/tmp/test_report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fs.dir));
	snprintf(fs.tap, sizeof(fs.tap), "%s/out.tap", fs.dir);
	snprintf(fs.xml, sizeof(fs.xml), "%s/out.xml", fs.dir);
	memset(&rep, 0, sizeof(rep));
	rep.fmt = fmt;
	rep.file = "t #1.vmm";
	rep.junit_path = fs.xml;
	rep.out = fopen(fs.tap, "w");
	ck_assert_ptr_nonnull(rep.out);
	ck_assert_int_eq(report_open_junit(&rep, why, sizeof(why)), 0);
}

static void teardown_report(void)
{
	unlink(fs.tap);
	unlink(fs.xml);
	rmdir(fs.dir);
}

/* The whole output of a shell command. */
static char *run(const char *cmd)
{
	static char out[8192];
	FILE *p = popen(cmd, "r");
	size_t n;

	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ck_assert_msg(pclose(p) == 0, "'%s' failed:\n%s", cmd, out);
	return out;
}

/* What TAP::Parser makes of the file: one line per result, parse errors last. */
static const char tap_summary[] =
	"perl -MTAP::Parser -e '"
	"open my $f, \"<\", $ARGV[0] or die; local $/; my $p = TAP::Parser->new({ tap => <$f> });"
	"while (my $r = $p->next) {"
	" if ($r->is_test) { printf \"test %%d %%s [%%s]%%s\\n\", $r->number,"
	"  $r->is_ok ? \"ok\" : \"not-ok\", $r->description,"
	"  $r->has_todo ? \" TODO\" : $r->has_skip ? \" SKIP\" : \"\" }"
	" elsif ($r->is_yaml) { printf \"yaml at=%%s message=[%%s]\\n\","
	"  $r->data->{at} // \"\", $r->data->{message} }"
	" elsif ($r->is_plan) { printf \"plan %%s%%s\\n\", $r->plan,"
	"  $r->has_skip ? \" SKIP \" . $r->explanation : \"\" }"
	" elsif ($r->is_bailout) { print \"bailout\\n\" }"
	" elsif ($r->is_unknown) { print \"unknown \", $r->as_string, \"\\n\" } }"
	"print \"error $_\\n\" for $p->parse_errors;' %s";

static char *tap_parsed(void)
{
	char cmd[sizeof(tap_summary) + 128];

	snprintf(cmd, sizeof(cmd), tap_summary, fs.tap);
	return run(cmd);
}

static void assert_xml_valid(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "xmllint --noout %s 2>&1", fs.xml);
	run(cmd);
}

/* Printable ASCII and newlines only: no byte a terminal would act on. */
static void assert_plain_file(const char *path)
{
	FILE *f = fopen(path, "r");
	int c;
	long off = 0;

	ck_assert_ptr_nonnull(f);
	while ((c = fgetc(f)) != EOF && (c == '\n' || (c >= 0x20 && c < 0x7f)))
		off++;
	fclose(f);
	ck_assert_msg(c == EOF, "%s: byte 0x%02x at offset %ld", path, c, off);
}

static char *slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static struct stmt stmt_at(unsigned line, char *text)
{
	return (struct stmt){ .pos = { "t #1.vmm", line, 1 }, .text = text };
}

static void hostile_run(void)
{
	char todo[] = "expect cmdline == \"a # TODO later\"";
	char skip[] = "expect $x == \"\\# SKIP \\\\\"";
	char esc[] = "show \"\x1b]0;owned\x07\"";
	struct stmt s1 = stmt_at(3, todo), s2 = stmt_at(4, skip), s3 = stmt_at(5, esc);
	char guest[] = "x\x1b[2J\0y";

	report_begin(&rep);
	report_console(&rep, guest, sizeof(guest) - 1);
	report_point(&rep, &s1, false, "text differs:\n- a # TODO later\n+ \x1b[31mb\xff\n\n...\n---\n");
	report_point(&rep, &s2, true, NULL);
	report_point(&rep, &s2, false, "  starts with blanks\n\"quoted\" \\ ]]>");
	report_show(&rep, &s3, guest, sizeof(guest) - 1);
	report_note(&rep, "note \x1b[1m%s", "bold");
	report_abort(&rep, &s3, "guest panic: \x1b[5m<blink> & ]]>\nRIP \xfe");
	ck_assert_int_eq(report_end(&rep), 0);
	fclose(rep.out);
}

START_TEST(tap_cannot_be_forged)
{
	setup_report(REPORT_TAP);
	hostile_run();
	ck_assert_str_eq(tap_parsed(),
		"test 1 not-ok [- t \\#1.vmm:3  expect cmdline == \"a \\# TODO later\"]\n"
		"yaml at=t #1.vmm:3:1 message=[text differs:\n- a # TODO later\n"
		"+ \\x1b[31mb\\xff\n\n...\n---\n]\n"
		"test 2 ok [- t \\#1.vmm:4  expect $x == \"\\\\\\# SKIP \\\\\\\\\"]\n"
		"test 3 not-ok [- t \\#1.vmm:4  expect $x == \"\\\\\\# SKIP \\\\\\\\\"]\n"
		"yaml at=t #1.vmm:4:1 message=[  starts with blanks\n\"quoted\" \\ ]]>]\n"
		"test 4 not-ok [- the guest ended at t \\#1.vmm:5 (show \"\\\\x1b]0;owned\\\\x07\")]\n"
		"bailout\nplan 1..4\n");
	assert_plain_file(fs.tap);
	assert_xml_valid();
	assert_plain_file(fs.xml);
	teardown_report();
}
END_TEST

START_TEST(junit_counts_and_valid)
{
	const char *xml;

	setup_report(REPORT_HUMAN);
	hostile_run();
	assert_plain_file(fs.tap);
	assert_xml_valid();
	xml = slurp(fs.xml);
	ck_assert_ptr_nonnull(strstr(xml, "tests=\"4\" failures=\"2\" errors=\"1\" skipped=\"0\" time=\""));
	ck_assert_ptr_nonnull(strstr(xml, "<error message=\"guest panic: \\x1b[5m&lt;blink&gt; &amp; ]]&gt;\">"));
	ck_assert_ptr_nonnull(strstr(slurp(fs.tap), "vmm: 1 passed, 3 failed\n"));
	teardown_report();
}
END_TEST

/* Nothing could run: still a plan, and a JUnit file that says why. */
START_TEST(no_accelerator_plan_and_junit)
{
	setup_report(REPORT_TAP);
	ck_assert_int_eq(report_finish(&rep, EXIT_NO_ACCEL,
				       "no accelerator can run a guest here: # none\x1b"), 0);
	fclose(rep.out);
	ck_assert_str_eq(tap_parsed(), "plan 1..0 SKIP no accelerator can run a guest here: # none\\x1b\n");
	assert_xml_valid();
	ck_assert_ptr_nonnull(strstr(slurp(fs.xml), "tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""));
	teardown_report();
}
END_TEST

/* A scenario error: one point in error, with the whole message. */
START_TEST(scenario_error_point)
{
	setup_report(REPORT_TAP);
	ck_assert_int_eq(report_finish(&rep, EXIT_USAGE, "t.vmm:2:3: error: # x\n  line\n  ^"), 0);
	fclose(rep.out);
	ck_assert_str_eq(tap_parsed(), "test 1 not-ok [- t.vmm:2:3: error: \\# x]\n"
			 "yaml at= message=[t.vmm:2:3: error: # x\n  line\n  ^\n]\nplan 1..1\n");
	assert_xml_valid();
	ck_assert_ptr_nonnull(strstr(slurp(fs.xml), "tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\""));
	teardown_report();
}
END_TEST

/* report_end() ran: finishing adds nothing. */
START_TEST(finish_after_end_adds_nothing)
{
	struct stmt s = stmt_at(1, (char[]){ "check" });

	setup_report(REPORT_TAP);
	report_begin(&rep);
	report_point(&rep, &s, true, NULL);
	ck_assert_int_eq(report_end(&rep), 0);
	ck_assert_int_eq(report_finish(&rep, EXIT_USAGE, "late"), 0);
	fclose(rep.out);
	ck_assert_str_eq(tap_parsed(), "test 1 ok [- t \\#1.vmm:1  check]\nplan 1..1\n");
	teardown_report();
}
END_TEST

START_TEST(junit_unwritable_path)
{
	struct report r = { .junit_path = "/nonexistent-dir/x.xml" };
	char why[256];

	ck_assert_int_eq(report_open_junit(&r, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "No such file or directory");
	ck_assert_ptr_null(r.junit);
}
END_TEST

/* A FIFO nobody reads is refused at once, not waited on. */
START_TEST(junit_fifo_refused)
{
	char dir[] = "/tmp/test_report.XXXXXX", path[64], cmd[96], why[256];
	struct report r = { .junit_path = path };

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	snprintf(cmd, sizeof(cmd), "mkfifo %s", path);
	run(cmd);	/* <sys/stat.h> clashes with the guest headers on the include path */
	ck_assert_int_eq(report_open_junit(&r, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "No such device or address");
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("escape");

	tcase_add_test(tc, text_escapes_control_and_non_ascii);
	tcase_add_test(tc, tap_escapes_hash_and_backslash);
	tcase_add_test(tc, yaml_escapes_quote_backslash_newline);
	tcase_add_test(tc, xml_escapes_markup);
	tcase_add_test(tc, long_text_whole);
	suite_add_tcase(s, tc);
	tc = tcase_create("reports");
	tcase_add_test(tc, tap_cannot_be_forged);
	tcase_add_test(tc, junit_counts_and_valid);
	tcase_add_test(tc, no_accelerator_plan_and_junit);
	tcase_add_test(tc, scenario_error_point);
	tcase_add_test(tc, finish_after_end_adds_nothing);
	tcase_add_test(tc, junit_unwritable_path);
	tcase_add_test(tc, junit_fifo_refused);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(report_suite)
