// SPDX-License-Identifier: MIT
/*
 * Unit tests for host/machine.c: parse_size() and machine_configure(), the
 * vm line from scenario text to struct machine.
 *
 * Texts go through the real parser (scenario_parse()), so positions are the
 * ones a user sees: an option error must point at the value (or, for an
 * unknown key, at the key) on the right line, and the source line kept for
 * the caret must line up with it.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kernel.h"
#include "check_main.h"
#include "vm/machine.h"
#include "scenario/scenario.h"

#define K(x)	((uint64_t)(x) << 10)
#define M(x)	((uint64_t)(x) << 20)
#define G(x)	((uint64_t)(x) << 30)

#define N(a) ((int)ARRAY_SIZE(a))

#define FILE_NAME	"m.vmm"
#define POISON		0x5a5a5a5a5a5a5a5aull

static struct machine m;
static struct scenario_error err;

/*
 * Parse (which must succeed) and configure.  m starts poisoned so that a
 * field machine_configure() forgets to set shows.  On failure the error's
 * file name is checked before scenario_free(), which frees what it points to.
 */
static int configure(const char *text)
{
	struct scenario sc;
	struct scenario_error perr;
	int r;

	ck_assert_msg(scenario_parse(FILE_NAME, text, strlen(text), &sc, &perr) == 0,
		      "%s: parse failed at %u:%u: %s", text, perr.pos.line, perr.pos.col,
		      perr.msg);
	memset(&m, 0x5a, sizeof(m));
	memset(&err, 0, sizeof(err));
	r = machine_configure(&sc, &m, &err);
	if (r)
		ck_assert_str_eq(err.pos.file, FILE_NAME);
	scenario_free(&sc);
	return r;
}

/* ---- machines that configure ---------------------------------------------- */

static const struct {
	const char *text;
	uint64_t memory, seed, dma, dma32;
	const char *bootargs;
} good[] = {
	/* defaults: no statements, no vm line, `vm` alone */
	{ "", M(64), 0, M(16), G(4), "" },
	{ "x = echo 1\nexpect $x == 1\n", M(64), 0, M(16), G(4), "" },
	{ "# only a comment\n\n", M(64), 0, M(16), G(4), "" },
	{ "vm\n", M(64), 0, M(16), G(4), "" },
	{ "vm # nothing to change\necho 1\n", M(64), 0, M(16), G(4), "" },
	/* the example of the language reference */
	{ "vm memory=64M zones=dma:16M,dma32:48M seed=7\n", M(64), 7, M(16), M(48),
	  "memory=64M zones=dma:16M,dma32:48M seed=7" },
	/* memory: every notation, both limits */
	{ "vm memory=4M\n", M(4), 0, M(16), G(4), "memory=4M" },
	{ "vm memory=64G\n", G(64), 0, M(16), G(4), "memory=64G" },
	{ "vm memory=4096K\n", M(4), 0, M(16), G(4), "memory=4096K" },
	{ "vm memory=0x400000\n", M(4), 0, M(16), G(4), "memory=0x400000" },
	{ "vm memory=0x10M\n", M(16), 0, M(16), G(4), "memory=0x10M" },
	{ "vm memory=5000K\n", K(5000), 0, M(16), G(4), "memory=5000K" },
	{ "vm memory=68719476736\n", G(64), 0, M(16), G(4), "memory=68719476736" },
	{ "vm memory=1G\n", G(1), 0, M(16), G(4), "memory=1G" },
	/* seed: decimal, hex, the whole 64 bits */
	{ "vm seed=0\n", M(64), 0, M(16), G(4), "seed=0" },
	{ "vm seed=0xdeadbeef\n", M(64), 0xdeadbeef, M(16), G(4), "seed=0xdeadbeef" },
	{ "vm seed=18446744073709551615\n", M(64), UINT64_MAX, M(16), G(4),
	  "seed=18446744073709551615" },
	{ "vm seed=0xffffffffffffffff\n", M(64), UINT64_MAX, M(16), G(4),
	  "seed=0xffffffffffffffff" },
	/* zones: either part alone keeps the other's default */
	{ "vm zones=dma32:48M\n", M(64), 0, M(16), M(48), "zones=dma32:48M" },
	{ "vm zones=dma:1M\n", M(64), 0, M(1), G(4), "zones=dma:1M" },
	{ "vm zones=dma32:2G,dma:8M\n", M(64), 0, M(8), G(2), "zones=dma32:2G,dma:8M" },
	{ "vm zones=dma:0,dma32:0\n", M(64), 0, 0, 0, "zones=dma:0,dma32:0" },
	{ "vm zones=dma:4G\n", M(64), 0, G(4), G(4), "zones=dma:4G" },	/* equal ends */
	{ "vm zones=dma:0x1000,dma32:0x2000\n", M(64), 0, K(4), K(8),
	  "zones=dma:0x1000,dma32:0x2000" },
	/* bootargs: options as written, one blank between, no comment, no CR */
	{ "  vm\tmemory=32M \t seed=3   # a comment\n", M(32), 3, M(16), G(4),
	  "memory=32M seed=3" },
	{ "vm seed=9 memory=8M\r\necho 1\r\n", M(8), 9, M(16), G(4), "seed=9 memory=8M" },
	{ "# the machine\n\nvm memory=16M\n\nx = echo 1\nexpect $x == 1\n", M(16), 0, M(16),
	  G(4), "memory=16M" },
};

START_TEST(test_good)
{
	ck_assert_msg(configure(good[_i].text) == 0, "%s: %u:%u: %s", good[_i].text,
		      err.pos.line, err.pos.col, err.msg);
	ck_assert_uint_eq(m.memory, good[_i].memory);
	ck_assert_uint_eq(m.seed, good[_i].seed);
	ck_assert_uint_eq(m.zone_dma_end, good[_i].dma);
	ck_assert_uint_eq(m.zone_dma32_end, good[_i].dma32);
	ck_assert_str_eq(m.bootargs, good[_i].bootargs);
}
END_TEST

/* No vm line at all: the constants the header promises. */
START_TEST(test_defaults_match_header)
{
	ck_assert_int_eq(configure("show cmdline\n"), 0);
	ck_assert_uint_eq(m.memory, MACHINE_DEFAULT_MEMORY);
	ck_assert_uint_eq(m.seed, 0);
	ck_assert_uint_eq(m.zone_dma_end, MACHINE_DMA_END);
	ck_assert_uint_eq(m.zone_dma32_end, MACHINE_DMA32_END);
	ck_assert_str_eq(m.bootargs, "");
	ck_assert_uint_eq(MACHINE_DEFAULT_MEMORY, M(64));
	ck_assert_uint_eq(MACHINE_DMA_END, M(16));
	ck_assert_uint_eq(MACHINE_DMA32_END, G(4));
}
END_TEST

/* A struct scenario built by hand, not by the parser: an empty one is the default machine. */
START_TEST(test_empty_scenario)
{
	struct scenario sc = { 0 };

	memset(&m, 0x5a, sizeof(m));
	ck_assert_int_eq(machine_configure(&sc, &m, &err), 0);
	ck_assert_uint_eq(m.memory, M(64));
	ck_assert_uint_eq(m.seed, 0);
	ck_assert_str_eq(m.bootargs, "");
}
END_TEST

/* ---- the command line's length limit ----------------------------------------- */

/* "vm" then count copies of "seed=1", then `last`: each option is valid. */
static char *long_vm_line(unsigned count, const char *last)
{
	size_t size = 8 + 7 * (size_t)count + strlen(last) + 2;
	char *s = malloc(size), *p = s;
	unsigned i;

	ck_assert_ptr_nonnull(s);
	p += sprintf(p, "vm");
	for (i = 0; i < count; i++)
		p += sprintf(p, " seed=1");
	sprintf(p, " %s\n", last);
	return s;
}

/* Numbers are decimal or 0x hex, as in the scenario language: 010 is ten. */
START_TEST(test_parse_size_no_octal_no_blanks)
{
	uint64_t v = 7;

	ck_assert_int_eq(parse_size("010", &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(parse_size("08M", &v), 0);
	ck_assert_uint_eq(v, 8ULL << 20);
	ck_assert_int_eq(parse_size("0x10", &v), 0);
	ck_assert_uint_eq(v, 16);
	v = 7;
	ck_assert_int_eq(parse_size(" -5", &v), -1);
	ck_assert_int_eq(parse_size("\t5", &v), -1);
	ck_assert_int_eq(parse_size("0x", &v), -1);
	ck_assert_uint_eq(v, 7);
}
END_TEST

/* Empty parts of zones= are mistakes, not no-ops. */
START_TEST(test_zones_empty_parts)
{
	ck_assert_int_eq(configure("vm zones=,\n"), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "an empty part"));
	ck_assert_int_eq(configure("vm zones=dma:8M,,dma32:48M\n"), -1);
	ck_assert_int_eq(configure("vm zones=dma:8M,dma32:48M,\n"), -1);
}
END_TEST

/* An option given twice is an error at its second appearance, not a silent override. */
START_TEST(test_option_twice)
{
	char *text = long_vm_line(2, "memory=8M");

	ck_assert_int_eq(configure(text), -1);
	ck_assert_uint_eq(err.pos.line, 1);
	ck_assert_uint_eq(err.pos.col, 2 + 7 + 2);	/* the second " seed=1" */
	ck_assert_str_eq(err.msg, "seed is given twice");
	free(text);
}
END_TEST

/* ---- errors ---------------------------------------------------------------- */

static const struct {
	const char *text;
	unsigned line, col;
	const char *msg;
} bad[] = {
	/* memory: not a size */
	{ "vm memory=64X\n", 1, 11, "memory=64X: expected a size such as 64M or 1G" },
	{ "vm memory=64MB\n", 1, 11, "memory=64MB: expected a size" },
	{ "vm memory=64m\n", 1, 11, "memory=64m: expected a size" },
	{ "vm memory=1.5G\n", 1, 11, "memory=1.5G: expected a size" },
	{ "vm memory=-64M\n", 1, 11, "memory=-64M: expected a size" },
	{ "vm memory=\"64M\"\n", 1, 11, "expected a size" },
	{ "vm memory=99999999999G\n", 1, 11, "memory=99999999999G: expected a size" },
	/* memory: a size, but not one a machine can have */
	{ "vm memory=4194305\n", 1, 11,
	  "memory=4194305: memory must be a multiple of 4K between 4M and 64G" },
	{ "vm memory=0x4000800\n", 1, 11, "between 4M and 64G" },	/* 64M + 2K */
	{ "vm memory=4092K\n", 1, 11, "memory=4092K: memory must be a multiple of 4K between 4M and 64G" },
	{ "vm memory=0\n", 1, 11, "between 4M and 64G" },
	{ "vm memory=1M\n", 1, 11, "between 4M and 64G" },
	{ "vm memory=67108868K\n", 1, 11, "memory=67108868K: memory must be a multiple of 4K between 4M and 64G" },
	{ "vm memory=65G\n", 1, 11, "between 4M and 64G" },
	{ "vm memory=16777215G\n", 1, 11, "between 4M and 64G" },
	/* seed: a number, no suffix */
	{ "vm seed=7K\n", 1, 9, "seed=7K: expected a number" },
	{ "vm seed=1M\n", 1, 9, "seed=1M: expected a number" },
	{ "vm seed=2G\n", 1, 9, "seed=2G: expected a number" },
	{ "vm seed=-1\n", 1, 9, "seed=-1: expected a number" },
	{ "vm seed=x\n", 1, 9, "seed=x: expected a number" },
	{ "vm seed=18446744073709551616\n", 1, 9, "expected a number" },
	/* unknown options point at the key */
	{ "vm colour=blue\n", 1, 4, "unknown vm option 'colour' (known: memory, seed, zones, slab_debug)" },
	{ "vm memory=32M Memory=32M\n", 1, 15, "unknown vm option 'Memory'" },
	{ "vm mem-ory=32M\n", 1, 4, "unknown vm option 'mem-ory'" },
	/* zones: ZONE_DMA past ZONE_DMA32, also against a default */
	{ "vm zones=dma:64M,dma32:32M\n", 1, 10,
	  "zones=dma:64M,dma32:32M: ZONE_DMA must end before ZONE_DMA32 does" },
	{ "vm zones=dma:8G\n", 1, 10, "zones=dma:8G: ZONE_DMA must end before ZONE_DMA32 does" },
	{ "vm zones=dma32:8M\n", 1, 10, "ZONE_DMA must end before ZONE_DMA32 does" },
	/* zones: malformed */
	{ "vm zones=dma16M\n", 1, 10,
	  "zones=dma16M: expected dma:SIZE,dma32:SIZE with sizes in whole pages, such as dma:16M,dma32:48M" },
	{ "vm zones=dma:\n", 1, 10, "zones=dma:: expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=foo:16M\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=DMA:16M\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=dma3:16M\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=dma:16M;dma32:48M\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=dma:16M,dma32:48M,x\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=dma:16X\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=dma:-16M\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	{ "vm zones=:16M\n", 1, 10, "expected dma:SIZE,dma32:SIZE" },
	/* zones: not whole pages */
	{ "vm zones=dma:16385\n", 1, 10, "zones=dma:16385: expected dma:SIZE,dma32:SIZE with sizes in whole pages" },
	{ "vm zones=dma32:0x1001\n", 1, 10, "sizes in whole pages" },
	{ "vm zones=dma:1K\n", 1, 10, "sizes in whole pages" },
	{ "vm zones=dma:16M,dma32:48M"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000\n", 1, 10, "too long" },
	/* positions below comments, blank lines and indentation */
	{ "# the machine\n\n  vm  memory=1X\n", 3, 14, "memory=1X: expected a size" },
	{ "#\nvm memory=64M\t seed=7 zones=dma:1\n", 2, 29, "zones=dma:1: expected dma:SIZE" },
	/* the first bad option wins */
	{ "vm memory=1X seed=K colour=red\n", 1, 11, "memory=1X" },
	{ "vm seed=1 colour=red memory=1X\n", 1, 11, "unknown vm option 'colour'" },
};

START_TEST(test_bad)
{
	ck_assert_msg(configure(bad[_i].text) == -1, "accepted: %s", bad[_i].text);
	ck_assert_msg(err.pos.line == bad[_i].line && err.pos.col == bad[_i].col &&
		      strstr(err.msg, bad[_i].msg),
		      "%s: want %u:%u '%s', got %u:%u '%s'", bad[_i].text, bad[_i].line,
		      bad[_i].col, bad[_i].msg, err.pos.line, err.pos.col, err.msg);
}
END_TEST

/* The caret line: the statement's text, indented to its own column. */
START_TEST(test_error_line)
{
	ck_assert_int_eq(configure("# the machine\n\n  vm  memory=1X seed=3 # why\n"), -1);
	ck_assert_str_eq(err.line, "  vm  memory=1X seed=3");
	ck_assert_int_eq(err.line[err.pos.col - 1], '1');

	ck_assert_int_eq(configure("\tvm zones=dma:64M,dma32:32M\n"), -1);
	ck_assert_str_eq(err.line, " vm zones=dma:64M,dma32:32M");
	ck_assert_uint_eq(err.pos.col, 11);
	ck_assert_int_eq(err.line[err.pos.col - 1], 'd');
}
END_TEST

/* ---- parse_size ------------------------------------------------------------- */

static const struct {
	const char *s;
	uint64_t v;
} sizes[] = {
	{ "0", 0 },
	{ "1", 1 },
	{ "4096", 4096 },
	{ "0x1000", 0x1000 },
	{ "0X1000", 0x1000 },
	{ "0xfFfF", 0xffff },
	{ "1K", K(1) },
	{ "64M", M(64) },
	{ "2G", G(2) },
	{ "0K", 0 },
	{ "0x10M", M(16) },
	{ "18446744073709551615", UINT64_MAX },
	{ "0xffffffffffffffff", UINT64_MAX },
	{ "17179869183G", UINT64_MAX - G(1) + 1 },		/* the largest G that fits */
	{ "18014398509481983K", UINT64_MAX - K(1) + 1 },
	{ "17592186044415M", UINT64_MAX - M(1) + 1 },
};

START_TEST(test_size)
{
	uint64_t v = POISON;

	ck_assert_msg(parse_size(sizes[_i].s, &v) == 0, "rejected %s", sizes[_i].s);
	ck_assert_uint_eq(v, sizes[_i].v);
}
END_TEST

static const char *const bad_sizes[] = {
	"",
	"-1",
	"-0",
	"+1",
	"99999999999G",			/* overflows when scaled */
	"17179869184G",			/* exactly 2^64 */
	"18014398509481984K",
	"17592186044416M",
	"18446744073709551616",		/* overflows before any suffix */
	"0x10000000000000000",
	"64MB",
	"64 M",
	"64M ",
	"1KK",
	"1.5G",
	"64m",
	"1k",
	"1T",
	"K",
	"M",
	"0x",
	"0xG",
	"abc",
	"12abc",
	"1e6",
};

START_TEST(test_bad_size)
{
	uint64_t v = POISON;

	ck_assert_msg(parse_size(bad_sizes[_i], &v) == -1, "accepted '%s' as %llu",
		      bad_sizes[_i], (unsigned long long)v);
	/* opt_memory() parses straight into the machine: a failure must leave it alone. */
	ck_assert_uint_eq(v, POISON);
}
END_TEST

static Suite *machine_suite(void)
{
	Suite *s = suite_create("machine");
	TCase *tc_good = tcase_create("configure");
	TCase *tc_bad = tcase_create("errors");
	TCase *tc_size = tcase_create("parse_size");

	tcase_add_loop_test(tc_good, test_good, 0, N(good));
	tcase_add_test(tc_good, test_defaults_match_header);
	tcase_add_test(tc_good, test_empty_scenario);
	suite_add_tcase(s, tc_good);

	tcase_add_loop_test(tc_bad, test_bad, 0, N(bad));
	tcase_add_test(tc_bad, test_error_line);
	tcase_add_test(tc_bad, test_option_twice);
	tcase_add_test(tc_bad, test_parse_size_no_octal_no_blanks);
	tcase_add_test(tc_bad, test_zones_empty_parts);
	suite_add_tcase(s, tc_bad);

	tcase_add_loop_test(tc_size, test_size, 0, N(sizes));
	tcase_add_loop_test(tc_size, test_bad_size, 0, N(bad_sizes));
	suite_add_tcase(s, tc_size);

	return s;
}

CHECK_MAIN_NOFORK(machine_suite)
