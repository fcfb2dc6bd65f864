// SPDX-License-Identifier: MIT
/*
 * Unit tests for host/elf.c, the guest kernel's ELF loader.
 *
 * Each test builds a small valid kernel image in memory (build_elf()), then
 * breaks one thing about it.  A rejected image must leave guest RAM exactly
 * as it was (RAM starts filled with RAM_FILL so that stray writes, and a
 * loader relying on zeroed RAM for the bss, both show).
 */

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/kernel.h"
#include "check_fast.h"
#include "check_main.h"
#include "vm/elf.h"

#define RAM_SIZE	(4u << 20)
#define RAM_FILL	0xcc
#define PHYS_MIN	0x100000ull
#define KBASE		0xffffffff80000000ull	/* __START_KERNEL_map */
#define SEG_STRIDE	0x10000ull		/* between segments, physical and virtual */
#define SEG_FILESZ	0x100ull
#define SEG_MEMSZ	0x800ull
#define DATA_OFF	0x400ull		/* segment data in the file */
#define ENTRY_OFF	0x10ull			/* entry point within segment 0 */
#define FILE_MAX	0x4000

#define TEXT		(KBASE + PHYS_MIN)	/* segment 0's virtual start */

/* Sections of the built image: 0 is the null section. */
#define SH_SYMTAB	1
#define SH_STRTAB	2
#define SH_TEXT		3	/* segment 0's bytes */
#define SH_NUM		4

static union {
	Elf64_Ehdr eh;		/* aligns the buffer for the header casts below */
	unsigned char b[FILE_MAX];
} f;
static size_t fsize;
static size_t data_end;		/* end of the last segment's bytes in the file */

static struct guest_ram ram;
static struct elf_image img;
static char err[256];

struct test_sym {
	const char *name;
	uint64_t addr, size;
	unsigned char info;
	uint16_t shndx;
};

/* Symbol 0 is the null symbol; the ones the loader keeps are marked. */
static const struct test_sym test_syms[] = {
	{ "", 0, 0, 0, SHN_UNDEF },
	{ "vmlinux.c", 0, 0, ELF64_ST_INFO(STB_LOCAL, STT_FILE), SHN_ABS },
	{ "", TEXT, 0, ELF64_ST_INFO(STB_LOCAL, STT_SECTION), SH_TEXT },
	{ "start_kernel", TEXT, 0x40, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), SH_TEXT },	/* kept */
	{ "_text", TEXT, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), SH_TEXT },		/* kept */
	{ "helper", TEXT + 0x40, 0x20, ELF64_ST_INFO(STB_LOCAL, STT_FUNC), SH_TEXT },	/* kept */
	{ "tls_var", TEXT + 0x48, 8, ELF64_ST_INFO(STB_GLOBAL, STT_TLS), SH_TEXT },
	/* Sorts after "helper" by name, yet must not hide it: it has no size. */
	{ "label_in_helper", TEXT + 0x40, 0, ELF64_ST_INFO(STB_LOCAL, STT_NOTYPE), SH_TEXT },	/* kept */
	{ "extern_fn", 0, 0, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), SHN_UNDEF },
	{ "weak_undef", TEXT + 0x80, 0, ELF64_ST_INFO(STB_WEAK, STT_FUNC), SHN_UNDEF },
	{ "asm_label", TEXT + 0x1000, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), SH_TEXT },	/* kept */
	{ "kernel_data", TEXT + 0x400, 0x80, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), SH_TEXT },	/* kept */
	{ "zero_addr", 0, 0x10, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), SH_TEXT },
	/* A linker-script constant, not an address. */
	{ "KERNEL_MAP", KBASE, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), SHN_ABS },
};
#define NSYMS		(ARRAY_SIZE(test_syms))
#define NSYMS_KEPT	6

static Elf64_Phdr *phdr(unsigned i)
{
	return (Elf64_Phdr *)(f.b + f.eh.e_phoff + i * sizeof(Elf64_Phdr));
}

static Elf64_Shdr *shdr(unsigned i)
{
	return (Elf64_Shdr *)(f.b + f.eh.e_shoff + i * sizeof(Elf64_Shdr));
}

static Elf64_Sym *sym(unsigned i)
{
	return (Elf64_Sym *)(f.b + shdr(SH_SYMTAB)->sh_offset + i * sizeof(Elf64_Sym));
}

static unsigned char seg_byte(unsigned seg, unsigned i)
{
	return (unsigned char)(seg * 37 + i * 7 + 1);
}

static size_t align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

static void build_ehdr(unsigned nseg)
{
	memcpy(f.eh.e_ident, ELFMAG, SELFMAG);
	f.eh.e_ident[EI_CLASS] = ELFCLASS64;
	f.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f.eh.e_ident[EI_VERSION] = EV_CURRENT;
	f.eh.e_type = ET_EXEC;
	f.eh.e_machine = EM_X86_64;
	f.eh.e_version = EV_CURRENT;
	f.eh.e_entry = TEXT + ENTRY_OFF;
	f.eh.e_phoff = sizeof(Elf64_Ehdr);
	f.eh.e_ehsize = sizeof(Elf64_Ehdr);
	f.eh.e_phentsize = sizeof(Elf64_Phdr);
	f.eh.e_phnum = nseg;
	f.eh.e_shentsize = sizeof(Elf64_Shdr);
}

/* Segment i: SEG_FILESZ bytes of file data, then bss up to SEG_MEMSZ. */
static void build_segment(unsigned i)
{
	Elf64_Phdr *ph = phdr(i);
	unsigned j;

	ph->p_type = PT_LOAD;
	ph->p_flags = i ? PF_R | PF_W : PF_R | PF_X;
	ph->p_offset = DATA_OFF + i * SEG_FILESZ;
	ph->p_paddr = PHYS_MIN + i * SEG_STRIDE;
	ph->p_vaddr = KBASE + ph->p_paddr;
	ph->p_filesz = SEG_FILESZ;
	ph->p_memsz = SEG_MEMSZ;
	ph->p_align = 0x1000;
	for (j = 0; j < SEG_FILESZ; j++)
		f.b[ph->p_offset + j] = seg_byte(i, j);
}

/* .symtab, .strtab and the section headers, appended at fsize. */
static void build_symtab(void)
{
	size_t symoff = align8(fsize), stroff = symoff + NSYMS * sizeof(Elf64_Sym);
	size_t strsz = 1;	/* the leading NUL */
	Elf64_Sym *s = (Elf64_Sym *)(f.b + symoff);
	unsigned i;

	for (i = 0; i < NSYMS; i++) {
		s[i].st_name = test_syms[i].name[0] ? strsz : 0;
		s[i].st_value = test_syms[i].addr;
		s[i].st_size = test_syms[i].size;
		s[i].st_info = test_syms[i].info;
		s[i].st_shndx = test_syms[i].shndx;
		strcpy((char *)f.b + stroff + s[i].st_name, test_syms[i].name);
		if (test_syms[i].name[0])
			strsz += strlen(test_syms[i].name) + 1;
	}
	f.eh.e_shoff = align8(stroff + strsz);
	f.eh.e_shnum = SH_NUM;
	*shdr(SH_SYMTAB) = (Elf64_Shdr){
		.sh_type = SHT_SYMTAB, .sh_offset = symoff, .sh_link = SH_STRTAB,
		.sh_size = NSYMS * sizeof(Elf64_Sym), .sh_entsize = sizeof(Elf64_Sym),
	};
	*shdr(SH_STRTAB) = (Elf64_Shdr){
		.sh_type = SHT_STRTAB, .sh_offset = stroff, .sh_size = strsz,
	};
	*shdr(SH_TEXT) = (Elf64_Shdr){
		.sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
		.sh_addr = TEXT, .sh_offset = DATA_OFF, .sh_size = SEG_FILESZ,
	};
	fsize = f.eh.e_shoff + SH_NUM * sizeof(Elf64_Shdr);
}

/* A valid image with nseg PT_LOAD segments, with or without a symbol table. */
static void build_elf(unsigned nseg, bool with_syms)
{
	unsigned i;

	memset(&f, 0, sizeof(f));
	build_ehdr(nseg);
	for (i = 0; i < nseg; i++)
		build_segment(i);
	data_end = fsize = DATA_OFF + nseg * SEG_FILESZ;
	if (with_syms)
		build_symtab();
}

static int load(void)
{
	return elf_load(f.b, fsize, &ram, PHYS_MIN, &img, err, sizeof(err));
}

/* Guest RAM is as setup() filled it: the failure names the first byte written. */
static void expect_ram_untouched(void)
{
	fast_assert_bytes(ram.mem, RAM_FILL, RAM_SIZE, "guest RAM");
}

static void expect_reject(const char *msg)
{
	ck_assert_int_eq(load(), -1);
	ck_assert_msg(strstr(err, msg), "error \"%s\" does not contain \"%s\"", err, msg);
	ck_assert_uint_eq(img.nseg, 0);
	ck_assert_ptr_null(img.syms);
	expect_ram_untouched();
}

/* Segment i's bytes landed at its p_paddr, and its bss is zero. */
static void expect_segment_loaded(unsigned i)
{
	const unsigned char *p = ram.mem + PHYS_MIN + i * SEG_STRIDE;
	unsigned char want[SEG_FILESZ];
	unsigned j;

	for (j = 0; j < SEG_FILESZ; j++)
		want[j] = seg_byte(i, j);
	fast_assert_mem(p, want, SEG_FILESZ, "segment %u at %#llx", i, PHYS_MIN + i * SEG_STRIDE);
	fast_assert_bytes(p + SEG_FILESZ, 0, SEG_MEMSZ - SEG_FILESZ, "segment %u's bss at %#llx",
			  i, PHYS_MIN + i * SEG_STRIDE + SEG_FILESZ);
	ck_assert_uint_eq(p[-1], RAM_FILL);
	ck_assert_uint_eq(p[SEG_MEMSZ], RAM_FILL);
}

/*
 * Guest RAM is made once per test case, not once per test: faulting in a
 * fresh 4 MiB for each test would cost more than all the tests do.
 * setup() puts back what the previous test wrote; forked (CK_FORK=yes),
 * each test has a copy-on-write view of it and there is nothing to do.
 */
static void ram_create(void)
{
	ram.size = RAM_SIZE;
	ram.mem = malloc(RAM_SIZE);
	ck_assert_ptr_nonnull(ram.mem);
	memset(ram.mem, RAM_FILL, RAM_SIZE);
}

static void ram_destroy(void)
{
	free(ram.mem);
	ram.mem = NULL;
}

static void setup(void)
{
	if (first_byte_not(ram.mem, RAM_FILL, RAM_SIZE) < RAM_SIZE)
		memset(ram.mem, RAM_FILL, RAM_SIZE);
	ram.size = RAM_SIZE;
	memset(&img, 0, sizeof(img));
	err[0] = '\0';
	build_elf(2, true);
}

static void teardown(void)
{
	elf_image_free(&img);
}

/* ---- valid images ------------------------------------------------------ */

START_TEST(test_valid_loads)
{
	ck_assert_int_eq(load(), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(img.entry, TEXT + ENTRY_OFF);
	ck_assert_uint_eq(img.nseg, 2);
	ck_assert_uint_eq(img.seg[1].paddr, PHYS_MIN + SEG_STRIDE);
	ck_assert_uint_eq(img.seg[1].vaddr, KBASE + PHYS_MIN + SEG_STRIDE);
	ck_assert_uint_eq(img.seg[1].filesz, SEG_FILESZ);
	ck_assert_uint_eq(img.seg[1].memsz, SEG_MEMSZ);
	ck_assert_uint_eq(img.seg[0].flags, PF_R | PF_X);
	ck_assert_uint_eq(img.seg[1].flags, PF_R | PF_W);
	expect_segment_loaded(0);
	expect_segment_loaded(1);
}
END_TEST

START_TEST(test_other_segment_types_ignored)
{
	phdr(1)->p_type = PT_NOTE;
	phdr(1)->p_offset = UINT64_MAX;
	phdr(1)->p_paddr = UINT64_MAX;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nseg, 1);
	expect_segment_loaded(0);
	ck_assert_uint_eq(ram.mem[PHYS_MIN + SEG_STRIDE], RAM_FILL);
}
END_TEST

START_TEST(test_empty_load_ignored)
{
	phdr(1)->p_filesz = 0;
	phdr(1)->p_memsz = 0;
	phdr(1)->p_paddr = RAM_SIZE * 2;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nseg, 1);
}
END_TEST

START_TEST(test_bss_only_segment)
{
	phdr(1)->p_filesz = 0;
	ck_assert_int_eq(load(), 0);
	fast_assert_bytes(ram.mem + PHYS_MIN + SEG_STRIDE, 0, SEG_MEMSZ, "segment 1 at %#llx",
			  PHYS_MIN + SEG_STRIDE);
}
END_TEST

START_TEST(test_adjacent_segments)
{
	phdr(1)->p_paddr = PHYS_MIN + SEG_MEMSZ;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nseg, 2);
}
END_TEST

START_TEST(test_segment_at_ram_end)
{
	phdr(1)->p_paddr = RAM_SIZE - SEG_MEMSZ;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(ram.mem[RAM_SIZE - SEG_MEMSZ], seg_byte(1, 0));
	ck_assert_uint_eq(ram.mem[RAM_SIZE - 1], 0);
}
END_TEST

START_TEST(test_entry_last_byte)
{
	f.eh.e_entry = TEXT + SEG_MEMSZ - 1;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.entry, TEXT + SEG_MEMSZ - 1);
}
END_TEST

START_TEST(test_max_segments)
{
	build_elf(ELF_MAX_SEGMENTS, false);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nseg, ELF_MAX_SEGMENTS);
	expect_segment_loaded(ELF_MAX_SEGMENTS - 1);
}
END_TEST

/* ---- rejected images ----------------------------------------------------- */

START_TEST(test_too_short_message)
{
	fsize = 52;
	expect_reject("");
	ck_assert_str_eq(err, "file is 52 bytes, too short for an ELF64 header (64)");
}
END_TEST

/* Cut at the boundaries that matter: before/inside the header, phdrs, data. */
static const struct {
	size_t size;
	const char *msg;
} cuts[] = {
	{ 0, "file is 0 bytes, too short" },
	{ 10, "file is 10 bytes, too short" },
	{ 63, "file is 63 bytes, too short" },
	{ 64, "program header table" },
	{ 64 + sizeof(Elf64_Phdr) + 10, "program header table" },
	{ 64 + 2 * sizeof(Elf64_Phdr) - 1, "program header table" },
	{ DATA_OFF, "program header 0: file range" },
	{ DATA_OFF + SEG_FILESZ - 1, "program header 0: file range" },
	{ DATA_OFF + 2 * SEG_FILESZ - 1, "program header 1: file range" },
};

START_TEST(test_truncated)
{
	fsize = cuts[_i].size;
	expect_reject(cuts[_i].msg);
}
END_TEST

/* Every cut before the end of the segment data fails; every later one loads. */
START_TEST(test_truncated_everywhere)
{
	size_t full = fsize;

	for (fsize = 0; fsize < data_end; fsize++)
		fast_assert_msg(load() == -1, "a %zu-byte prefix loaded", fsize);
	expect_ram_untouched();
	for (fsize = data_end; fsize <= full; fsize++) {
		fast_assert_msg(load() == 0, "a %zu-byte prefix failed: %s", fsize, err);
		fast_assert_uint_eq(img.nsyms, fsize == full ? NSYMS_KEPT : 0);
		elf_image_free(&img);
	}
}
END_TEST

/* One ELF header field changed, and a substring of the expected error. */
static const struct {
	size_t off, width;
	uint64_t val;
	const char *msg;
} ehdr_cases[] = {
	{ EI_MAG0, 1, 0x7e, "bad magic" },
	{ EI_MAG3, 1, 'f', "bad magic" },
	{ EI_CLASS, 1, ELFCLASS32, "EI_CLASS is 1, expected ELFCLASS64" },
	{ EI_DATA, 1, ELFDATA2MSB, "EI_DATA is 2, expected little-endian" },
	{ EI_VERSION, 1, EV_NONE, "EI_VERSION is 0" },
	{ offsetof(Elf64_Ehdr, e_type), 2, ET_DYN, "e_type is 3, expected ET_EXEC" },
	{ offsetof(Elf64_Ehdr, e_type), 2, ET_REL, "e_type is 1, expected ET_EXEC" },
	{ offsetof(Elf64_Ehdr, e_machine), 2, EM_386, "e_machine is 3, expected EM_X86_64" },
	{ offsetof(Elf64_Ehdr, e_version), 4, EV_NONE, "e_version is 0" },
	{ offsetof(Elf64_Ehdr, e_ehsize), 2, 52, "e_ehsize is 52, expected 64" },
	{ offsetof(Elf64_Ehdr, e_phentsize), 2, 32, "e_phentsize is 32, expected 56" },
	{ offsetof(Elf64_Ehdr, e_phnum), 2, PN_XNUM, "PN_XNUM" },
	{ offsetof(Elf64_Ehdr, e_phnum), 2, 65534, "program header table" },
	{ offsetof(Elf64_Ehdr, e_phnum), 2, 0, "no non-empty PT_LOAD" },
	{ offsetof(Elf64_Ehdr, e_phoff), 8, UINT64_MAX - 8, "program header table" },
	{ offsetof(Elf64_Ehdr, e_phoff), 8, UINT64_MAX - 2 * sizeof(Elf64_Phdr) + 1,
	  "program header table" },
	{ offsetof(Elf64_Ehdr, e_phoff), 8, FILE_MAX, "program header table" },
	{ offsetof(Elf64_Ehdr, e_entry), 8, TEXT + SEG_STRIDE, "entry point" },	/* not PF_X */
	{ offsetof(Elf64_Ehdr, e_entry), 8, TEXT + SEG_MEMSZ, "entry point" },
	{ offsetof(Elf64_Ehdr, e_entry), 8, TEXT - 1, "entry point" },
	{ offsetof(Elf64_Ehdr, e_entry), 8, PHYS_MIN + ENTRY_OFF, "entry point" },	/* physical */
};

START_TEST(test_bad_ehdr)
{
	memcpy(f.b + ehdr_cases[_i].off, &ehdr_cases[_i].val, ehdr_cases[_i].width);
	expect_reject(ehdr_cases[_i].msg);
}
END_TEST

/* One field of program header 1 changed (all fields are 8 bytes wide there). */
static const struct {
	size_t off;
	uint64_t val;
	const char *msg;
} phdr_cases[] = {
	{ offsetof(Elf64_Phdr, p_filesz), SEG_MEMSZ + 1, "program header 1: p_filesz 0x801 exceeds p_memsz 0x800" },
	{ offsetof(Elf64_Phdr, p_offset), UINT64_MAX - 8, "program header 1: file range" },
	{ offsetof(Elf64_Phdr, p_offset), FILE_MAX, "program header 1: file range" },
	{ offsetof(Elf64_Phdr, p_filesz), UINT64_MAX, "exceeds p_memsz" },
	{ offsetof(Elf64_Phdr, p_paddr), UINT64_MAX - 0x10, "program header 1: p_paddr 0xffffffffffffffef + p_memsz 0x800 overflows" },
	{ offsetof(Elf64_Phdr, p_vaddr), UINT64_MAX - 0x10, "p_vaddr" },
	{ offsetof(Elf64_Phdr, p_memsz), UINT64_MAX, "overflows" },
	{ offsetof(Elf64_Phdr, p_paddr), PHYS_MIN - 0x100, "starts below 0x100000" },
	{ offsetof(Elf64_Phdr, p_paddr), 0, "starts below 0x100000" },
	{ offsetof(Elf64_Phdr, p_paddr), RAM_SIZE - 0x100, "lies outside guest RAM [0, 0x400000)" },
	{ offsetof(Elf64_Phdr, p_paddr), RAM_SIZE, "lies outside guest RAM" },
	{ offsetof(Elf64_Phdr, p_memsz), RAM_SIZE, "lies outside guest RAM" },
	{ offsetof(Elf64_Phdr, p_paddr), PHYS_MIN + 0x400, "overlaps" },
	{ offsetof(Elf64_Phdr, p_paddr), PHYS_MIN + SEG_MEMSZ - 1, "overlaps" },
};

START_TEST(test_bad_phdr)
{
	memcpy((unsigned char *)phdr(1) + phdr_cases[_i].off, &phdr_cases[_i].val, 8);
	expect_reject(phdr_cases[_i].msg);
}
END_TEST

START_TEST(test_overlap_message)
{
	phdr(1)->p_paddr = PHYS_MIN + 0x400;
	expect_reject("");
	ck_assert_str_eq(err, "program header 1: segment [0x100400, 0x100c00) overlaps segment [0x100000, 0x100800) of program header 0");
}
END_TEST

START_TEST(test_overlap_enclosing)
{
	/* Segment 1 swallows segment 0 whole: neither start lies in the other. */
	phdr(1)->p_paddr = PHYS_MIN;
	phdr(1)->p_memsz = 2 * SEG_MEMSZ;
	expect_reject("overlaps segment [0x100000, 0x100800) of program header 0");
}
END_TEST

START_TEST(test_overlap_from_below)
{
	/* Segment 1 starts below segment 0 and ends inside it. */
	phdr(0)->p_paddr = PHYS_MIN + 0x400;
	phdr(1)->p_paddr = PHYS_MIN;
	expect_reject("program header 1: segment [0x100000, 0x100800) overlaps segment [0x100400, 0x100c00) of program header 0");
}
END_TEST

START_TEST(test_too_many_segments)
{
	build_elf(ELF_MAX_SEGMENTS + 1, false);
	expect_reject("program header 16: more than 16 PT_LOAD segments");
}
END_TEST

START_TEST(test_no_load)
{
	phdr(0)->p_type = PT_NOTE;
	phdr(1)->p_type = PT_GNU_STACK;
	expect_reject("no non-empty PT_LOAD segment");
}
END_TEST

START_TEST(test_phys_min_above_ram)
{
	ck_assert_int_eq(elf_load(f.b, fsize, &ram, RAM_SIZE + 1, &img, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "starts below"));
	expect_ram_untouched();
}
END_TEST

START_TEST(test_small_error_buffer)
{
	char small[8];

	memset(small, 'x', sizeof(small));
	fsize = 10;
	ck_assert_int_eq(elf_load(f.b, fsize, &ram, PHYS_MIN, &img, small, sizeof(small)), -1);
	ck_assert_str_eq(small, "file is");
	ck_assert_int_eq(elf_load(f.b, fsize, &ram, PHYS_MIN, &img, NULL, 0), -1);
}
END_TEST

/* ---- symbols ------------------------------------------------------------- */

START_TEST(test_symbols_kept)
{
	static const char *const sorted[NSYMS_KEPT] = {
		"_text", "start_kernel", "label_in_helper", "helper", "kernel_data", "asm_label",
	};
	size_t i;

	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nsyms, NSYMS_KEPT);
	for (i = 0; i < NSYMS_KEPT; i++)
		ck_assert_str_eq(img.syms[i].name, sorted[i]);
	ck_assert_uint_eq(img.syms[1].size, 0x40);
	ck_assert_uint_eq(img.syms[4].addr, TEXT + 0x400);
	/* The names must not point into the caller's buffer, which may go away. */
	memset(&f, 0, sizeof(f));
	ck_assert_str_eq(img.syms[3].name, "helper");
}
END_TEST

START_TEST(test_symbol_addr)
{
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(elf_symbol_addr(&img, "helper"), TEXT + 0x40);
	ck_assert_uint_eq(elf_symbol_addr(&img, "asm_label"), TEXT + 0x1000);
	ck_assert_uint_eq(elf_symbol_addr(&img, "help"), 0);
	ck_assert_uint_eq(elf_symbol_addr(&img, "extern_fn"), 0);
	ck_assert_uint_eq(elf_symbol_addr(&img, "weak_undef"), 0);
	ck_assert_uint_eq(elf_symbol_addr(&img, "vmlinux.c"), 0);
	ck_assert_uint_eq(elf_symbol_addr(&img, "tls_var"), 0);
	ck_assert_uint_eq(elf_symbol_addr(&img, "KERNEL_MAP"), 0);
	ck_assert_uint_eq(elf_symbol_addr(&img, ""), 0);
}
END_TEST

static const struct {
	uint64_t addr;
	const char *want;
} symbolize_cases[] = {
	{ TEXT, "start_kernel+0x0/0x40" },		/* beats _text at the same address */
	{ TEXT + 0x1a, "start_kernel+0x1a/0x40" },
	{ TEXT + 0x3f, "start_kernel+0x3f/0x40" },
	{ TEXT + 0x40, "helper+0x0/0x20" },
	{ TEXT + 0x5f, "helper+0x1f/0x20" },
	{ TEXT + 0x60, "0xffffffff80100060" },		/* past helper's end */
	{ TEXT + 0x3ff, "0xffffffff801003ff" },
	{ TEXT + 0x47f, "kernel_data+0x7f/0x80" },
	{ TEXT + 0x1000, "asm_label+0x0" },
	{ TEXT + 0x1234, "asm_label+0x234" },
	{ TEXT + 0x1000 + 0xffff, "asm_label+0xffff" },
	{ TEXT + 0x1000 + 0x10000, "0xffffffff80111000" },
	{ TEXT - 1, "0xffffffff800fffff" },
	{ KBASE + 0x10, "0xffffffff80000010" },		/* not KERNEL_MAP+0x10 */
	{ 0, "0x0" },
	{ UINT64_MAX, "0xffffffffffffffff" },
};

START_TEST(test_symbolize)
{
	char buf[64];

	ck_assert_int_eq(load(), 0);
	ck_assert_str_eq(elf_symbolize(&img, symbolize_cases[_i].addr, buf, sizeof(buf)),
			 symbolize_cases[_i].want);
}
END_TEST

/* Return addresses: looked up one byte back, printed with their own offset. */
static const struct {
	uint64_t addr;
	const char *want;
} return_cases[] = {
	{ TEXT + 0x1a, "start_kernel+0x1a/0x40" },
	{ TEXT + 0x40, "start_kernel+0x40/0x40" },	/* a noreturn call ended it */
	{ TEXT + 0x60, "helper+0x20/0x20" },
	{ TEXT + 0x61, "0xffffffff80100061" },
	{ TEXT + 0x1000, "0xffffffff80101000" },	/* kernel_data does not cover it */
	{ TEXT + 0x1001, "asm_label+0x1" },
	{ TEXT, "0xffffffff80100000" },
	{ 0, "0x0" },
};

START_TEST(test_symbolize_return)
{
	char buf[64];

	ck_assert_int_eq(load(), 0);
	ck_assert_str_eq(elf_symbolize_return(&img, return_cases[_i].addr, buf, sizeof(buf)),
			 return_cases[_i].want);
}
END_TEST

START_TEST(test_symbolize_truncates)
{
	char buf[8];

	ck_assert_int_eq(load(), 0);
	ck_assert_ptr_eq(elf_symbolize(&img, TEXT + 0x1a, buf, sizeof(buf)), buf);
	ck_assert_str_eq(buf, "start_k");
}
END_TEST

START_TEST(test_symbolize_no_symbols)
{
	char buf[64];

	build_elf(2, false);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nsyms, 0);
	ck_assert_str_eq(elf_symbolize(&img, TEXT + 0x1a, buf, sizeof(buf)),
			 "0xffffffff8010001a");
	ck_assert_uint_eq(elf_symbol_addr(&img, "start_kernel"), 0);
}
END_TEST

START_TEST(test_symbolize_zeroed_image)
{
	struct elf_image none = { 0 };
	char buf[64];

	ck_assert_str_eq(elf_symbolize(&none, 0x1234, buf, sizeof(buf)), "0x1234");
}
END_TEST

/* Where a lying field lives: an offset from one of these anchors. */
enum anchor { EHDR, SYMTAB_SH, STRTAB_SH, SYM, STRTAB_END };

static unsigned char *anchor(enum anchor a)
{
	switch (a) {
	case EHDR:
		return f.b;
	case SYMTAB_SH:
		return (unsigned char *)shdr(SH_SYMTAB);
	case STRTAB_SH:
		return (unsigned char *)shdr(SH_STRTAB);
	case SYM:
		return (unsigned char *)sym(3);
	case STRTAB_END:
		return f.b + shdr(SH_STRTAB)->sh_offset + shdr(SH_STRTAB)->sh_size - 1;
	}
	return NULL;
}

/* Each breaks the symbol table but not the segments: load, without symbols. */
static const struct {
	enum anchor at;
	size_t off, width;
	uint64_t val;
} bad_symtabs[] = {
	{ EHDR, offsetof(Elf64_Ehdr, e_shoff), 8, FILE_MAX },
	{ EHDR, offsetof(Elf64_Ehdr, e_shoff), 8, UINT64_MAX - 0x40 },
	{ EHDR, offsetof(Elf64_Ehdr, e_shoff), 8, 0 },
	{ EHDR, offsetof(Elf64_Ehdr, e_shnum), 2, 0 },
	{ EHDR, offsetof(Elf64_Ehdr, e_shnum), 2, 0xffff },
	{ EHDR, offsetof(Elf64_Ehdr, e_shentsize), 2, 40 },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_offset), 8, FILE_MAX },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_offset), 8, UINT64_MAX - 0x10 },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_size), 8, FILE_MAX },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_size), 8, 3 * sizeof(Elf64_Sym) + 1 },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_entsize), 8, sizeof(Elf32_Sym) },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_link), 4, 99 },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_link), 4, SH_NUM },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_link), 4, 0 },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_link), 4, SH_SYMTAB },
	{ SYMTAB_SH, offsetof(Elf64_Shdr, sh_type), 4, SHT_PROGBITS },
	{ STRTAB_SH, offsetof(Elf64_Shdr, sh_offset), 8, FILE_MAX },
	{ STRTAB_SH, offsetof(Elf64_Shdr, sh_offset), 8, UINT64_MAX },
	{ STRTAB_SH, offsetof(Elf64_Shdr, sh_size), 8, 0 },
	{ STRTAB_SH, offsetof(Elf64_Shdr, sh_size), 8, FILE_MAX },
	{ STRTAB_SH, offsetof(Elf64_Shdr, sh_type), 4, SHT_PROGBITS },
	{ SYM, offsetof(Elf64_Sym, st_name), 4, 0xffffffff },
	{ SYM, offsetof(Elf64_Sym, st_name), 4, FILE_MAX },
	{ STRTAB_END, 0, 1, 'x' },	/* the last name runs off the end */
};

START_TEST(test_bad_symtab)
{
	memcpy(anchor(bad_symtabs[_i].at) + bad_symtabs[_i].off, &bad_symtabs[_i].val,
	       bad_symtabs[_i].width);
	ck_assert_msg(load() == 0, "load failed: %s", err);
	ck_assert_uint_eq(img.nsyms, 0);
	ck_assert_ptr_null(img.syms);
	ck_assert_ptr_null(img.strtab);
	expect_segment_loaded(0);
	expect_segment_loaded(1);
}
END_TEST

/* An empty string table at offset 0 has no last byte to look at (ASan). */
START_TEST(test_empty_strtab_at_file_start)
{
	shdr(SH_STRTAB)->sh_offset = 0;
	shdr(SH_STRTAB)->sh_size = 0;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nsyms, 0);
}
END_TEST

/* st_name exactly at the last byte, the terminating NUL: empty, so dropped. */
START_TEST(test_symbol_name_at_strtab_end)
{
	sym(3)->st_name = shdr(SH_STRTAB)->sh_size - 1;
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nsyms, NSYMS_KEPT - 1);
	ck_assert_uint_eq(elf_symbol_addr(&img, "start_kernel"), 0);
}
END_TEST

/* ---- files and freeing --------------------------------------------------- */

static char tmp_path[64];

static void write_tmp(const void *data, size_t size)
{
	int fd;

	strcpy(tmp_path, "/tmp/test_elf.XXXXXX");
	fd = mkstemp(tmp_path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, size), (ssize_t)size);
	close(fd);
}

static int load_tmp(void)
{
	return elf_load_file(tmp_path, &ram, PHYS_MIN, &img, err, sizeof(err));
}

START_TEST(test_file_loads)
{
	write_tmp(f.b, fsize);
	ck_assert_msg(load_tmp() == 0, "%s", err);
	unlink(tmp_path);
	ck_assert_uint_eq(img.nseg, 2);
	ck_assert_uint_eq(img.nsyms, NSYMS_KEPT);
	expect_segment_loaded(1);
}
END_TEST

START_TEST(test_file_error_names_path)
{
	char want[128];

	write_tmp(f.b, 10);
	ck_assert_int_eq(load_tmp(), -1);
	unlink(tmp_path);
	snprintf(want, sizeof(want), "%s: file is 10 bytes, too short for an ELF64 header (64)",
		 tmp_path);
	ck_assert_str_eq(err, want);
	expect_ram_untouched();
}
END_TEST

START_TEST(test_file_missing)
{
	ck_assert_int_eq(elf_load_file("/nonexistent/vmlinux", &ram, PHYS_MIN, &img,
				       err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent/vmlinux: cannot open: No such file or directory");
}
END_TEST

START_TEST(test_file_not_regular)
{
	ck_assert_int_eq(elf_load_file("/tmp", &ram, PHYS_MIN, &img, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/tmp: not a regular file");
}
END_TEST

START_TEST(test_file_too_big)
{
	write_tmp(f.b, fsize);
	/* Sparse: no disk space used, and the size check comes before any read. */
	ck_assert_int_eq(truncate(tmp_path, (256 << 20) + 1), 0);
	ck_assert_int_eq(load_tmp(), -1);
	unlink(tmp_path);
	ck_assert_ptr_nonnull(strstr(err, "file is 268435457 bytes, more than the 256 MiB limit"));
	expect_ram_untouched();
}
END_TEST

START_TEST(test_free)
{
	struct elf_image zero = { 0 };

	elf_image_free(&zero);
	ck_assert_ptr_null(zero.syms);
	ck_assert_int_eq(load(), 0);
	ck_assert_ptr_nonnull(img.syms);
	elf_image_free(&img);
	ck_assert_ptr_null(img.syms);
	ck_assert_ptr_null(img.strtab);
	ck_assert_uint_eq(img.nsyms + img.nseg, 0);
	elf_image_free(&img);
}
END_TEST

#define N(a) ((int)ARRAY_SIZE(a))

static Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc_load = tcase_create("load");
	TCase *tc_reject = tcase_create("reject");
	TCase *tc_syms = tcase_create("symbols");
	TCase *tc_file = tcase_create("file");

	tcase_add_unchecked_fixture(tc_load, ram_create, ram_destroy);
	tcase_add_checked_fixture(tc_load, setup, teardown);
	tcase_add_test(tc_load, test_valid_loads);
	tcase_add_test(tc_load, test_other_segment_types_ignored);
	tcase_add_test(tc_load, test_empty_load_ignored);
	tcase_add_test(tc_load, test_bss_only_segment);
	tcase_add_test(tc_load, test_adjacent_segments);
	tcase_add_test(tc_load, test_segment_at_ram_end);
	tcase_add_test(tc_load, test_entry_last_byte);
	tcase_add_test(tc_load, test_max_segments);
	suite_add_tcase(s, tc_load);

	tcase_add_unchecked_fixture(tc_reject, ram_create, ram_destroy);
	tcase_add_checked_fixture(tc_reject, setup, teardown);
	tcase_add_test(tc_reject, test_too_short_message);
	tcase_add_loop_test(tc_reject, test_truncated, 0, N(cuts));
	tcase_add_test(tc_reject, test_truncated_everywhere);
	tcase_add_loop_test(tc_reject, test_bad_ehdr, 0, N(ehdr_cases));
	tcase_add_loop_test(tc_reject, test_bad_phdr, 0, N(phdr_cases));
	tcase_add_test(tc_reject, test_overlap_message);
	tcase_add_test(tc_reject, test_overlap_enclosing);
	tcase_add_test(tc_reject, test_overlap_from_below);
	tcase_add_test(tc_reject, test_too_many_segments);
	tcase_add_test(tc_reject, test_no_load);
	tcase_add_test(tc_reject, test_phys_min_above_ram);
	tcase_add_test(tc_reject, test_small_error_buffer);
	suite_add_tcase(s, tc_reject);

	tcase_add_unchecked_fixture(tc_syms, ram_create, ram_destroy);
	tcase_add_checked_fixture(tc_syms, setup, teardown);
	tcase_add_test(tc_syms, test_symbols_kept);
	tcase_add_test(tc_syms, test_symbol_addr);
	tcase_add_loop_test(tc_syms, test_symbolize, 0, N(symbolize_cases));
	tcase_add_loop_test(tc_syms, test_symbolize_return, 0, N(return_cases));
	tcase_add_test(tc_syms, test_symbolize_truncates);
	tcase_add_test(tc_syms, test_symbolize_no_symbols);
	tcase_add_test(tc_syms, test_symbolize_zeroed_image);
	tcase_add_loop_test(tc_syms, test_bad_symtab, 0, N(bad_symtabs));
	tcase_add_test(tc_syms, test_empty_strtab_at_file_start);
	tcase_add_test(tc_syms, test_symbol_name_at_strtab_end);
	suite_add_tcase(s, tc_syms);

	tcase_add_unchecked_fixture(tc_file, ram_create, ram_destroy);
	tcase_add_checked_fixture(tc_file, setup, teardown);
	tcase_add_test(tc_file, test_file_loads);
	tcase_add_test(tc_file, test_file_error_names_path);
	tcase_add_test(tc_file, test_file_missing);
	tcase_add_test(tc_file, test_file_not_regular);
	tcase_add_test(tc_file, test_file_too_big);
	tcase_add_test(tc_file, test_free);
	suite_add_tcase(s, tc_file);

	return s;
}

CHECK_MAIN_NOFORK(elf_suite)
