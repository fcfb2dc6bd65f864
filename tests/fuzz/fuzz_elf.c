// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the guest kernel's ELF loader (host/elf.c).
 *
 * The input is a kernel file, loaded into 4 MiB of guest RAM with the
 * kernel's lowest address at 1 MiB, as elf_load() is called for a real
 * guest.  libFuzzer's buffer and the RAM buffer are heap blocks of exactly
 * their size, so ASan reports any byte read or written outside either.
 * RAM starts filled with RAM_FILL, so that writes ASan cannot see (inside
 * RAM but in the wrong place) show too.  A broken invariant aborts:
 *  - a rejected file has a message, leaves the image empty and RAM as it
 *    was (checked in full on every 64th input, the first included, and
 *    around where a segment would have gone on every input);
 *  - a loaded file has 1 to 16 non-empty segments inside [1 MiB, 4 MiB)
 *    that do not overlap, filesz <= memsz, an entry point in an executable
 *    segment, each segment's file bytes in RAM followed by zeros, and RAM
 *    outside the segments untouched (next to each segment on every input,
 *    everywhere on every 64th);
 *  - its symbols are sorted by address, have names and addresses, and
 *    elf_symbol_addr() finds them; elf_symbolize() and
 *    elf_symbolize_return() give NUL-terminated text that is the bare
 *    address or names a symbol, and a cut-short buffer holds a prefix of it.
 *
 * With FUZZ_SEED_DIR set (fuzz.mk does) the target first writes a few
 * small valid kernels there (the make rule adds guest/vmlinux), since
 * random bytes almost never get past the ELF header checks.
 */
#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/elf.h"

#define RAM_SIZE	(4u << 20)
#define PHYS_MIN	(1u << 20)
#define RAM_FILL	0xcc
#define FULL_CHECK_EVERY 64
#define SYM_CHECK_MAX	64	/* symbols cross-checked at each end of the table */
#define MARGIN		4096	/* bytes checked on each side of a segment */
#define CHUNK		65536

#define CHECK(cond)			\
	do {				\
		if (!(cond))		\
			abort();	\
	} while (0)

static struct guest_ram ram;
static uint64_t inputs;
static uint8_t fill_chunk[CHUNK], zero_chunk[CHUNK];

/* ---- RAM ---------------------------------------------------------------------- */

static uint64_t lower(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Compared a chunk at a time with memcmp(): a byte loop under ASan over
 * 4 MiB would cost more than the load itself.
 */
static bool all(uint64_t from, uint64_t to, const uint8_t *pattern)
{
	uint64_t n;

	for (; from < to; from += n) {
		n = lower(to - from, CHUNK);
		if (memcmp(ram.mem + from, pattern, n))
			return false;
	}
	return true;
}

static bool filled(uint64_t from, uint64_t to)
{
	return all(from, to, fill_chunk);
}

static bool zero(uint64_t from, uint64_t to)
{
	return all(from, to, zero_chunk);
}

/* ---- what the file says, read independently of the loader ---------------------- */

static uint64_t read_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * The file offset of the k-th non-empty PT_LOAD: the loader keeps no
 * offsets, so the bytes a segment should hold are found here.  Only called
 * on a file the loader accepted, so the headers lie inside it.
 */
static uint64_t load_offset(const uint8_t *data, unsigned k)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned i;

	memcpy(&eh, data, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, data + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_memsz && !k--)
			return ph.p_offset;
	}
	abort();
}

/* ---- checks -------------------------------------------------------------------- */

static void check_rejected(const struct elf_image *img, const char *err, const uint8_t *data,
			   size_t size, bool full)
{
	static const struct elf_image empty;

	CHECK(memchr(err, '\0', 256) && err[0]);
	CHECK(!memcmp(img, &empty, sizeof(empty)));
	if (full) {
		CHECK(filled(0, RAM_SIZE));
		return;
	}
	/* Where the first program header says its segment goes. */
	if (size >= sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr)) {
		uint64_t pa = read_u64(data + sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_paddr));

		if (pa < RAM_SIZE)
			CHECK(filled(pa, lower(pa + MARGIN, RAM_SIZE)));
	}
	CHECK(filled(PHYS_MIN, PHYS_MIN + MARGIN));
}

/* Put RAM back as it was for the next input. */
static void restore(const struct elf_image *img)
{
	unsigned i;

	for (i = 0; i < img->nseg; i++)
		memset(ram.mem + img->seg[i].paddr, RAM_FILL, img->seg[i].memsz);
}

/*
 * Each segment's bytes are checked where they landed, then put back to
 * RAM_FILL: after that, RAM holding anything else anywhere means the
 * loader wrote outside its segments.
 */
static void check_segments(const struct elf_image *img, const uint8_t *data, size_t size,
			   bool full)
{
	const struct elf_segment *s, *t;
	bool entry_ok = false;
	uint64_t off;
	unsigned i, j;

	CHECK(img->nseg >= 1 && img->nseg <= ELF_MAX_SEGMENTS);
	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		CHECK(s->memsz && s->filesz <= s->memsz);
		CHECK(s->paddr >= PHYS_MIN && s->paddr <= RAM_SIZE && s->memsz <= RAM_SIZE - s->paddr);
		CHECK(s->vaddr + s->memsz > s->vaddr);
		for (j = 0; j < i; j++) {
			t = &img->seg[j];
			CHECK(s->paddr >= t->paddr + t->memsz || t->paddr >= s->paddr + s->memsz);
		}
		if ((s->flags & PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			entry_ok = true;
		off = load_offset(data, i);
		CHECK(off <= size && s->filesz <= size - off);
		CHECK(!memcmp(ram.mem + s->paddr, data + off, s->filesz));
		CHECK(zero(s->paddr + s->filesz, s->paddr + s->memsz));
	}
	CHECK(entry_ok);
	restore(img);
	if (full) {
		CHECK(filled(0, RAM_SIZE));
		return;
	}
	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		off = s->paddr + s->memsz;
		CHECK(filled(s->paddr > MARGIN ? s->paddr - MARGIN : 0, s->paddr));
		CHECK(filled(off, lower(off + MARGIN, RAM_SIZE)));
	}
}

/* The text is the bare address, or a symbol's name followed by "+0x". */
static void check_symbolized(const struct elf_image *img, uint64_t addr, bool ret)
{
	char full[512], cut[8], bare[32];
	const char *p;
	size_t len, n;

	p = ret ? elf_symbolize_return(img, addr, full, sizeof(full))
		: elf_symbolize(img, addr, full, sizeof(full));
	CHECK(p == full && memchr(full, '\0', sizeof(full)));
	len = strlen(full);
	snprintf(bare, sizeof(bare), "0x%llx", (unsigned long long)addr);
	/* Names come from the file and may be longer than the buffer: then it is cut. */
	if (strcmp(full, bare)) {
		CHECK(img->nsyms);
		CHECK(strstr(full, "+0x") || len == sizeof(full) - 1);
	}
	for (n = 1; n <= sizeof(cut); n++) {
		memset(cut, 'x', sizeof(cut));
		p = ret ? elf_symbolize_return(img, addr, cut, n)
			: elf_symbolize(img, addr, cut, n);
		CHECK(p == cut && strlen(cut) == lower(len, n - 1) && !memcmp(cut, full, strlen(cut)));
	}
}

static void check_address(const struct elf_image *img, uint64_t addr)
{
	check_symbolized(img, addr, false);
	check_symbolized(img, addr, true);
}

static void check_symbol(const struct elf_image *img, size_t i)
{
	const struct elf_symbol *s = &img->syms[i];
	uint64_t found;

	CHECK(s->name && s->name[0] && s->addr);
	CHECK(!i || img->syms[i - 1].addr <= s->addr);
	/* The lowest address of any symbol by that name: never above this one. */
	found = elf_symbol_addr(img, s->name);
	CHECK(found && found <= s->addr);
	check_address(img, s->addr);
	check_address(img, s->addr - 1);
	check_address(img, s->addr + s->size);
	if (s->size)
		check_address(img, s->addr + s->size - 1);
}

static void check_symbols(const struct elf_image *img, const uint8_t *data, size_t size)
{
	size_t i;

	CHECK(!img->nsyms || (img->syms && img->strtab));
	for (i = 0; i < img->nsyms; i++) {
		/* Sortedness everywhere; the costly checks at both ends. */
		CHECK(!i || img->syms[i - 1].addr <= img->syms[i].addr);
		if (i < SYM_CHECK_MAX || i + SYM_CHECK_MAX >= img->nsyms)
			check_symbol(img, i);
	}
	CHECK(!elf_symbol_addr(img, ""));
	check_address(img, 0);
	check_address(img, UINT64_MAX);
	check_address(img, img->entry);
	for (i = 0; i < img->nseg; i++) {
		check_address(img, img->seg[i].vaddr);
		check_address(img, img->seg[i].vaddr + img->seg[i].memsz - 1);
		check_address(img, img->seg[i].vaddr + img->seg[i].memsz);
	}
	/* Addresses the fuzzer chooses: the input's last bytes. */
	if (size >= 16) {
		check_address(img, read_u64(data + size - 8));
		check_address(img, img->entry + (read_u64(data + size - 16) & 0xfffff));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool full = inputs++ % FULL_CHECK_EVERY == 0;
	struct elf_image img;
	char err[256];

	memset(&img, 0x5a, sizeof(img));	/* the loader must set every field */
	memset(err, 0, sizeof(err));
	if (elf_load(data, size, &ram, PHYS_MIN, &img, err, sizeof(err))) {
		check_rejected(&img, err, data, size, full);
		elf_image_free(&img);
		return 0;
	}
	check_segments(&img, data, size, full);
	check_symbols(&img, data, size);
	elf_image_free(&img);
	CHECK(!img.syms && !img.strtab && !img.nsyms && !img.nseg);
	return 0;
}

/* ---- seeds: small valid kernels --------------------------------------------------- */

#define KBASE		0xffffffff80000000ull	/* __START_KERNEL_map */
#define SEED_MAX	0x2000
#define DATA_OFF	0x800			/* segment bytes, after 18 program headers */
#define SEG_FILESZ	0x40

static union {
	Elf64_Ehdr eh;		/* aligns the buffer for the header casts */
	uint8_t b[SEED_MAX];
} seed;
static size_t seed_len;

struct seed_sym {
	const char *name;
	uint64_t addr, size;
	unsigned char info;
	uint16_t shndx;
};

#define TEXT	(KBASE + PHYS_MIN)

/* Kept and dropped kinds alike, so that mutations move between them. */
static const struct seed_sym seed_syms[] = {
	{ "", 0, 0, 0, SHN_UNDEF },
	{ "vmlinux.c", 0, 0, ELF64_ST_INFO(STB_LOCAL, STT_FILE), SHN_ABS },
	{ "start_kernel", TEXT, 0x20, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 3 },
	{ "_text", TEXT, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), 3 },
	{ "helper", TEXT + 0x20, 0x20, ELF64_ST_INFO(STB_LOCAL, STT_FUNC), 3 },
	{ "helper", TEXT + 0x200, 0x10, ELF64_ST_INFO(STB_LOCAL, STT_FUNC), 3 },
	{ "asm_label", TEXT + 0x800, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), 3 },
	{ "kernel_data", TEXT + 0x10000, 0x40, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), 3 },
	{ "tls_var", TEXT + 0x48, 8, ELF64_ST_INFO(STB_GLOBAL, STT_TLS), 3 },
	{ "extern_fn", 0, 0, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), SHN_UNDEF },
	{ "KERNEL_MAP", KBASE, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), SHN_ABS },
};
#define SEED_NSYMS	(sizeof(seed_syms) / sizeof(seed_syms[0]))

static size_t align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

/* Program header i: a PT_LOAD 64 KiB after the previous one, or `type`. */
static void seed_phdr(unsigned i, uint32_t type)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(seed.b + seed.eh.e_phoff) + i;
	unsigned j;

	ph->p_type = type;
	ph->p_flags = i ? PF_R | PF_W : PF_R | PF_X;
	ph->p_offset = DATA_OFF + i * SEG_FILESZ;
	ph->p_paddr = PHYS_MIN + i * 0x10000ull;
	ph->p_vaddr = KBASE + ph->p_paddr;
	ph->p_filesz = SEG_FILESZ;
	ph->p_memsz = i ? 0x1000 : 0x2000;
	ph->p_align = 0x1000;
	for (j = 0; j < SEG_FILESZ; j++)
		seed.b[ph->p_offset + j] = (uint8_t)(i * 31 + j);
}

/* .symtab, .strtab, a .text section header and the section header table, at seed_len. */
static void seed_symtab(void)
{
	size_t symoff = align8(seed_len), stroff = symoff + SEED_NSYMS * sizeof(Elf64_Sym);
	Elf64_Sym *sym = (Elf64_Sym *)(seed.b + symoff);
	size_t strsz = 1;
	Elf64_Shdr *sh;
	unsigned i;

	for (i = 0; i < SEED_NSYMS; i++) {
		sym[i] = (Elf64_Sym){
			.st_name = seed_syms[i].name[0] ? strsz : 0,
			.st_value = seed_syms[i].addr,
			.st_size = seed_syms[i].size,
			.st_info = seed_syms[i].info,
			.st_shndx = seed_syms[i].shndx,
		};
		if (seed_syms[i].name[0]) {
			strcpy((char *)seed.b + stroff + strsz, seed_syms[i].name);
			strsz += strlen(seed_syms[i].name) + 1;
		}
	}
	seed.eh.e_shoff = align8(stroff + strsz);
	seed.eh.e_shnum = 4;
	seed.eh.e_shentsize = sizeof(Elf64_Shdr);
	sh = (Elf64_Shdr *)(seed.b + seed.eh.e_shoff);
	sh[1] = (Elf64_Shdr){ .sh_type = SHT_SYMTAB, .sh_offset = symoff, .sh_link = 2,
			      .sh_size = SEED_NSYMS * sizeof(Elf64_Sym),
			      .sh_entsize = sizeof(Elf64_Sym) };
	sh[2] = (Elf64_Shdr){ .sh_type = SHT_STRTAB, .sh_offset = stroff, .sh_size = strsz };
	sh[3] = (Elf64_Shdr){ .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
			      .sh_addr = TEXT, .sh_offset = DATA_OFF, .sh_size = SEG_FILESZ };
	seed_len = seed.eh.e_shoff + 4 * sizeof(Elf64_Shdr);
}

/* nphdr program headers, the ones in `other` of another type; symbols if asked. */
static void build_seed(unsigned nphdr, uint32_t other_mask, bool syms)
{
	unsigned i;

	memset(&seed, 0, sizeof(seed));
	memcpy(seed.eh.e_ident, ELFMAG, SELFMAG);
	seed.eh.e_ident[EI_CLASS] = ELFCLASS64;
	seed.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	seed.eh.e_ident[EI_VERSION] = EV_CURRENT;
	seed.eh.e_type = ET_EXEC;
	seed.eh.e_machine = EM_X86_64;
	seed.eh.e_version = EV_CURRENT;
	seed.eh.e_entry = TEXT + 0x10;
	seed.eh.e_phoff = sizeof(Elf64_Ehdr);
	seed.eh.e_ehsize = sizeof(Elf64_Ehdr);
	seed.eh.e_phentsize = sizeof(Elf64_Phdr);
	seed.eh.e_phnum = nphdr;
	for (i = 0; i < nphdr; i++)
		seed_phdr(i, other_mask & (1u << i) ? (i & 1 ? PT_NOTE : PT_GNU_STACK) : PT_LOAD);
	seed_len = DATA_OFF + nphdr * SEG_FILESZ;
	if (syms)
		seed_symtab();
}

static void write_seed(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(seed.b, seed_len, 1, f) != 1 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEED_DIR");

	(void)argc;
	(void)argv;
	/* malloc, not a static array: ASan puts redzones around heap blocks. */
	ram.size = RAM_SIZE;
	ram.mem = malloc(RAM_SIZE);
	if (!ram.mem) {
		perror("guest RAM");
		exit(1);
	}
	memset(ram.mem, RAM_FILL, RAM_SIZE);
	memset(fill_chunk, RAM_FILL, CHUNK);
	if (!dir)
		return 0;
	build_seed(2, 0, true);
	write_seed(dir, "seed-min");
	build_seed(2, 0, false);
	write_seed(dir, "seed-nosyms");
	/* The most segments allowed, among headers of other types. */
	build_seed(ELF_MAX_SEGMENTS + 2, (1u << 3) | (1u << 8), true);
	write_seed(dir, "seed-many");
	return 0;
}
