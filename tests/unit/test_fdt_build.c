// SPDX-License-Identifier: MIT
/*
 * Unit tests for host/fdt_build.c, the device tree the guest boots with.
 *
 * Trees are written with fdt_build() and read back only through libfdt's
 * read-only API, the way the guest reads them, so a test fails if the
 * writer and the reader disagree about anything: node names, property
 * names (shared/fdt.h), cell widths, byte order, the reservation block.
 *
 * A tree that does not fit must fail cleanly: -1, a message naming libfdt's
 * error, and not one byte written past the buffer.  Those tests use
 * buffers of exactly the size passed, so that under ASan an overrun is a
 * report, and without ASan the guard bytes after the buffer catch it.
 */

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kernel.h"
#include "check_fast.h"
#include "check_main.h"
#include "vm/fdt_build.h"
#include "shared/fdt.h"

#define BUF_SIZE	0x10000		/* VMM_HOST_FDT_MAX, what the host gives it */
#define GUARD		64
#define FILL		0xa5

/* libfdt's readers refuse a tree that is not 8-byte aligned. */
static unsigned char buf[BUF_SIZE + GUARD] __attribute__((aligned(8)));
static char err[256];

/* The layout place_boot_data() in host/guest.c uses. */
static const struct fdt_region host_rsv[] = {
	{ 0x1000, 0x3000 },	/* boot page tables */
	{ 0x10000, 0x10000 },	/* the device tree */
	{ 0x20000, 0x11000 },	/* the mailbox */
};

/*
 * Out of order, overlapping, at both ends of the address space: kept as
 * given.  (No zero size: the block ends at the first entry of size 0.)
 */
static const struct fdt_region odd_rsv[] = {
	{ 0xfffff000, 0x1000 },
	{ 0, 0x1000 },
	{ 0x800, 0x1000 },
	{ 0xfffffffffffff000ull, 0x1000 },
	{ 0x123456789abcdef0ull, 0xfedcba9876543210ull },
	{ 0x200000, 0x200000 },
	{ 0x400000, 0x400000 },
};

static const struct fdt_region one_rsv[] = {
	{ 0x9f000, 0x1000 },
};

struct tree_case {
	const char *name;
	struct machine m;
	struct fdt_layout l;
};

#define N(a) ((int)ARRAY_SIZE(a))

static const struct tree_case cases[] = {
	{ "default", {
		.memory = 64ull << 20, .seed = 0,
		.zone_dma_end = 16ull << 20, .zone_dma32_end = 4ull << 30,
		.bootargs = "",
	  }, {
		.ram_size = 64ull << 20, .mailbox = { 0x20000, 0x11000 },
		.reserved = host_rsv, .nreserved = N(host_rsv),
	  } },
	{ "tour", {
		.memory = 64ull << 20, .seed = 7,
		.zone_dma_end = 16ull << 20, .zone_dma32_end = 48ull << 20,
		.bootargs = "memory=64M zones=dma:16M,dma32:48M seed=7",
	  }, {
		.ram_size = 64ull << 20, .mailbox = { 0x20000, 0x11000 },
		.reserved = host_rsv, .nreserved = N(host_rsv),
	  } },
	{ "smallest", {
		.memory = 4ull << 20, .seed = 1,
		.zone_dma_end = 0, .zone_dma32_end = 0,
		.bootargs = "memory=4M seed=1 zones=dma:0,dma32:0",
	  }, {
		.ram_size = 4ull << 20, .mailbox = { 0x20000, 0x11000 },
		.reserved = host_rsv, .nreserved = N(host_rsv),
	  } },
	{ "largest", {
		.memory = 64ull << 30, .seed = 0x0102030405060708ull,
		.zone_dma_end = 4ull << 30, .zone_dma32_end = 4ull << 30,
		.bootargs = "memory=64G seed=0x0102030405060708",
	  }, {
		/* Every value above 4G: a 32-bit cell anywhere would lose it. */
		.ram_size = 64ull << 30, .mailbox = { 0x100000000ull, 0x200000000ull },
		.reserved = odd_rsv, .nreserved = N(odd_rsv),
	  } },
	{ "no reservations", {
		.memory = 32ull << 20, .seed = UINT64_MAX,
		.zone_dma_end = 16ull << 20, .zone_dma32_end = 4ull << 30,
		.bootargs = "seed=18446744073709551615 memory=32M",
	  }, {
		.ram_size = 32ull << 20, .mailbox = { 0, 0 },
		.reserved = NULL, .nreserved = 0,
	  } },
	{ "one reservation", {
		.memory = 8ull << 20, .seed = 42,
		.zone_dma_end = 1ull << 20, .zone_dma32_end = 6ull << 20,
		/* Bytes a shell or a parser might mangle: passed through as they are. */
		.bootargs = "a=\"b c\" \\ \t\xc3\xa9 ;#",
	  }, {
		/* A RAM size that is no multiple of anything: the tree does not care. */
		.ram_size = 0x12345, .mailbox = { UINT64_MAX, UINT64_MAX },
		.reserved = one_rsv, .nreserved = N(one_rsv),
	  } },
};

/* ---- reading back ---------------------------------------------------------- */

static uint64_t be64_at(const void *p, unsigned i)
{
	fdt64_t v;

	memcpy(&v, (const unsigned char *)p + 8 * i, sizeof(v));
	return fdt64_to_cpu(v);
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	ck_assert_msg(off >= 0, "%s: %s", path, fdt_strerror(off));
	return off;
}

/* The property, which must exist and be exactly len bytes (len >= 0). */
static const void *prop(const void *fdt, const char *path, const char *name, int len)
{
	int got;
	const void *p = fdt_getprop(fdt, node(fdt, path), name, &got);

	ck_assert_msg(p != NULL, "%s %s: %s", path, name, fdt_strerror(got));
	ck_assert_msg(got == len, "%s %s: %d bytes, expected %d", path, name, got, len);
	return p;
}

/* A string property: the text and its NUL, nothing more. */
static void expect_string(const void *fdt, const char *path, const char *name,
			  const char *want)
{
	const char *p = prop(fdt, path, name, (int)strlen(want) + 1);

	ck_assert_mem_eq(p, want, strlen(want) + 1);
}

static void expect_u32(const void *fdt, const char *path, const char *name, uint32_t want)
{
	fdt32_t v;

	memcpy(&v, prop(fdt, path, name, 4), sizeof(v));
	ck_assert_uint_eq(fdt32_to_cpu(v), want);
}

/* Two 64-bit cells: <a b>, as #address-cells = #size-cells = 2 makes them. */
static void expect_pair(const void *fdt, const char *path, const char *name, uint64_t a,
			uint64_t b)
{
	const void *p = prop(fdt, path, name, 16);

	ck_assert_uint_eq(be64_at(p, 0), a);
	ck_assert_uint_eq(be64_at(p, 1), b);
}

static void expect_rsv(const void *fdt, const struct fdt_layout *l)
{
	uint64_t addr, size;
	unsigned i;

	ck_assert_int_eq(fdt_num_mem_rsv(fdt), (int)l->nreserved);
	for (i = 0; i < l->nreserved; i++) {
		ck_assert_int_eq(fdt_get_mem_rsv(fdt, i, &addr, &size), 0);
		ck_assert_uint_eq(addr, l->reserved[i].base);
		ck_assert_uint_eq(size, l->reserved[i].size);
	}
}

/* Build into the static buffer, told it has `size` bytes; check what lies beyond. */
static int build(const struct machine *m, const struct fdt_layout *l, size_t size)
{
	int r;

	fast_assert_uint_le(size, BUF_SIZE);
	r = fdt_build(buf, size, m, l, err, sizeof(err));
	fast_assert_bytes(buf + size, FILL, sizeof(buf) - size,
			  "fdt_build wrote past its %zu-byte buffer:", size);
	return r;
}

/* Everything the guest reads, for one machine and layout. */
static void expect_tree(const void *fdt, const struct machine *m, const struct fdt_layout *l)
{
	ck_assert_int_eq(fdt_check_header(fdt), 0);
	ck_assert_uint_eq(fdt_magic(fdt), FDT_MAGIC);
	ck_assert_uint_ge(fdt_version(fdt), 17);

	expect_u32(fdt, "/", "#address-cells", 2);
	expect_u32(fdt, "/", "#size-cells", 2);
	expect_string(fdt, "/", "compatible", "vmm,guest");

	expect_string(fdt, "/memory@0", "device_type", VMM_FDT_MEMORY_TYPE);
	expect_pair(fdt, "/memory@0", "reg", 0, l->ram_size);

	expect_string(fdt, VMM_FDT_CHOSEN, VMM_FDT_BOOTARGS, m->bootargs);
	ck_assert_uint_eq(be64_at(prop(fdt, VMM_FDT_CHOSEN, VMM_FDT_SEED, 8), 0), m->seed);
	expect_pair(fdt, VMM_FDT_CHOSEN, VMM_FDT_MAILBOX, l->mailbox.base, l->mailbox.size);
	expect_pair(fdt, VMM_FDT_CHOSEN, VMM_FDT_ZONES, m->zone_dma_end, m->zone_dma32_end);

	expect_rsv(fdt, l);
}

static void setup(void)
{
	memset(buf, FILL, sizeof(buf));
	memset(err, 'x', sizeof(err) - 1);
	err[sizeof(err) - 1] = '\0';
}

/* ---- whole trees ------------------------------------------------------------- */

START_TEST(test_tree)
{
	const struct tree_case *c = &cases[_i];

	ck_assert_msg(build(&c->m, &c->l, BUF_SIZE) == 0, "%s: %s", c->name, err);
	ck_assert_uint_le(fdt_totalsize(buf), BUF_SIZE);
	expect_tree(buf, &c->m, &c->l);
}
END_TEST

/* The guest finds RAM by device_type under the root: only the two nodes it expects. */
START_TEST(test_nodes)
{
	const char *names[2];
	int n = 0, off, len;

	ck_assert_int_eq(build(&cases[1].m, &cases[1].l, BUF_SIZE), 0);
	fdt_for_each_subnode(off, buf, 0) {
		ck_assert_int_lt(n, N(names));
		names[n++] = fdt_get_name(buf, off, &len);
	}
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(names[0], "chosen");
	ck_assert_str_eq(names[1], "memory@0");
	ck_assert_int_eq(fdt_first_subnode(buf, node(buf, "/memory@0")), -FDT_ERR_NOTFOUND);
	ck_assert_int_eq(fdt_first_subnode(buf, node(buf, VMM_FDT_CHOSEN)), -FDT_ERR_NOTFOUND);
}
END_TEST

/* The byte order on the wire, not just a value that survives a round trip. */
START_TEST(test_seed_big_endian)
{
	static const unsigned char want[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const struct tree_case *c = &cases[3];

	ck_assert_uint_eq(c->m.seed, 0x0102030405060708ull);
	ck_assert_int_eq(build(&c->m, &c->l, BUF_SIZE), 0);
	ck_assert_mem_eq(prop(buf, VMM_FDT_CHOSEN, VMM_FDT_SEED, 8), want, 8);
}
END_TEST

START_TEST(test_seed_max)
{
	struct machine m = cases[0].m;
	const unsigned char *p;
	unsigned i;

	m.seed = UINT64_MAX;
	ck_assert_int_eq(build(&m, &cases[0].l, BUF_SIZE), 0);
	p = prop(buf, VMM_FDT_CHOSEN, VMM_FDT_SEED, 8);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(p[i], 0xff);
	ck_assert_uint_eq(be64_at(p, 0), UINT64_MAX);
	expect_tree(buf, &m, &cases[0].l);
}
END_TEST

START_TEST(test_empty_bootargs)
{
	struct machine m = cases[0].m;
	const char *p;

	m.bootargs[0] = '\0';
	ck_assert_int_eq(build(&m, &cases[0].l, BUF_SIZE), 0);
	/* Present, one NUL byte: a missing bootargs would be a different tree. */
	p = prop(buf, VMM_FDT_CHOSEN, VMM_FDT_BOOTARGS, 1);
	ck_assert_int_eq(p[0], '\0');
	ck_assert_str_eq(fdt_getprop(buf, node(buf, VMM_FDT_CHOSEN), VMM_FDT_BOOTARGS, NULL), "");
}
END_TEST

/* The longest command line machine_configure() can produce. */
START_TEST(test_longest_bootargs)
{
	struct machine m = cases[0].m;

	memset(m.bootargs, 'a', sizeof(m.bootargs) - 1);
	m.bootargs[sizeof(m.bootargs) - 1] = '\0';
	ck_assert_int_eq(build(&m, &cases[0].l, BUF_SIZE), 0);
	expect_tree(buf, &m, &cases[0].l);
}
END_TEST

/* Guest RAM is not always fresh: an old tree in the buffer must not leak into a new one. */
START_TEST(test_rebuild_over_old_tree)
{
	ck_assert_int_eq(build(&cases[3].m, &cases[3].l, BUF_SIZE), 0);
	ck_assert_int_eq(build(&cases[4].m, &cases[4].l, BUF_SIZE), 0);
	expect_tree(buf, &cases[4].m, &cases[4].l);
}
END_TEST

/* ---- trees that do not fit ------------------------------------------------------ */

/* The exact size of the tree for case i, found in a big buffer. */
static size_t tree_size(int i)
{
	ck_assert_int_eq(build(&cases[i].m, &cases[i].l, BUF_SIZE), 0);
	return fdt_totalsize(buf);
}

/*
 * Every size from 0 to one byte short fails with libfdt's reason; the exact
 * size works.  Each attempt gets a heap buffer of exactly that size, so
 * that ASan reports the first byte written past it.
 */
START_TEST(test_every_short_size)
{
	const struct tree_case *c = &cases[_i];
	size_t need = tree_size(_i), size;
	unsigned char *p;

	ck_assert_uint_gt(need, sizeof(struct fdt_header));
	for (size = 0; size < need; size++) {
		p = malloc(size ? size : 1);
		fast_assert_ptr_nonnull(p);
		err[0] = '\0';
		fast_assert_msg(fdt_build(p, size, &c->m, &c->l, err, sizeof(err)) == -1,
				"%s: a %zu-byte buffer for a %zu-byte tree was accepted",
				c->name, size, need);
		fast_assert_str_eq(err, "building the device tree: FDT_ERR_NOSPACE");
		free(p);
	}
	p = malloc(need);
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(fdt_build(p, need, &c->m, &c->l, err, sizeof(err)) == 0, "%s: %s",
		      c->name, err);
	expect_tree(p, &c->m, &c->l);
	free(p);
}
END_TEST

/* The same in the static buffer, where the guard bytes see a stray write. */
START_TEST(test_short_buffer_guard)
{
	size_t need = tree_size(3), size;

	for (size = 0; size < need; size += 7) {
		memset(buf, FILL, sizeof(buf));
		fast_assert_int_eq(build(&cases[3].m, &cases[3].l, size), -1);
		fast_assert_ptr_nonnull(strstr(err, fdt_strerror(-FDT_ERR_NOSPACE)));
	}
}
END_TEST

START_TEST(test_error_truncated)
{
	char small[16];

	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(fdt_build(buf, 8, &cases[0].m, &cases[0].l, small, sizeof(small)), -1);
	ck_assert_str_eq(small, "building the de");
}
END_TEST

static Suite *fdt_build_suite(void)
{
	Suite *s = suite_create("fdt_build");
	TCase *tc_tree = tcase_create("tree");
	TCase *tc_short = tcase_create("short");

	tcase_add_checked_fixture(tc_tree, setup, NULL);
	tcase_add_loop_test(tc_tree, test_tree, 0, N(cases));
	tcase_add_test(tc_tree, test_nodes);
	tcase_add_test(tc_tree, test_seed_big_endian);
	tcase_add_test(tc_tree, test_seed_max);
	tcase_add_test(tc_tree, test_empty_bootargs);
	tcase_add_test(tc_tree, test_longest_bootargs);
	tcase_add_test(tc_tree, test_rebuild_over_old_tree);
	suite_add_tcase(s, tc_tree);

	tcase_add_checked_fixture(tc_short, setup, NULL);
	tcase_add_loop_test(tc_short, test_every_short_size, 0, N(cases));
	tcase_add_test(tc_short, test_short_buffer_guard);
	tcase_add_test(tc_short, test_error_truncated);
	suite_add_tcase(s, tc_short);

	return s;
}

CHECK_MAIN_NOFORK(fdt_build_suite)
