// SPDX-License-Identifier: MIT
/*
 * The guest kernel's ELF file: a strict loader and the symbol table (the
 * contract is in elf.h).
 *
 * The file is untrusted input: it may be truncated, corrupted or crafted.
 * Every field is checked before it is used as an offset, size or address,
 * with overflow-checked arithmetic.  All program headers are validated
 * before the first byte is written to guest RAM, so a rejected file leaves
 * RAM as it was.  Headers are memcpy'd out of the file instead of being
 * accessed in place because nothing guarantees their alignment.
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf.h"

/* Far beyond any kernel we build; a bound on what a bad path can make us read. */
#define ELF_MAX_FILE_SIZE	(256 << 20)

/* For messages: a uint64_t in hex, and a half-open range of them. */
#define HEX	"0x%" PRIx64
#define RANGE	"[" HEX ", " HEX ")"

/* How far past a zero-size symbol (an assembly label) addresses are still its. */
#define ELF_NEAREST_MAX		0x10000

struct elf_ctx {
	const unsigned char *data;
	size_t size;
	Elf64_Ehdr eh;		/* copied out of data once its size is checked */
	char *err;
	size_t errlen;
};

/* Where a PT_LOAD's bytes come from and go to, found by validation. */
struct elf_copy {
	const unsigned char *src;	/* filesz bytes inside the file */
	unsigned char *dst;		/* memsz bytes inside guest RAM */
	unsigned phdr;			/* program header index, for messages */
};

static int __attribute__((format(printf, 2, 3)))
fail(struct elf_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whether [off, off + len) lies inside the file; false if the end overflows. */
static bool in_file(const struct elf_ctx *c, uint64_t off, uint64_t len)
{
	uint64_t end;

	return !__builtin_add_overflow(off, len, &end) && end <= c->size;
}

static int check_ident(struct elf_ctx *c)
{
	const unsigned char *id = c->eh.e_ident;

	if (memcmp(id, ELFMAG, SELFMAG))
		return fail(c, "not an ELF file (bad magic)");
	if (id[EI_CLASS] != ELFCLASS64)
		return fail(c, "EI_CLASS is %u, expected ELFCLASS64 (%u)",
			    id[EI_CLASS], ELFCLASS64);
	if (id[EI_DATA] != ELFDATA2LSB)
		return fail(c, "EI_DATA is %u, expected little-endian ELFDATA2LSB (%u)",
			    id[EI_DATA], ELFDATA2LSB);
	if (id[EI_VERSION] != EV_CURRENT)
		return fail(c, "EI_VERSION is %u, expected EV_CURRENT (%u)",
			    id[EI_VERSION], EV_CURRENT);
	return 0;
}

static int check_phdr_table(struct elf_ctx *c)
{
	const Elf64_Ehdr *eh = &c->eh;
	uint64_t len;

	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return fail(c, "e_phentsize is %u, expected %zu",
			    eh->e_phentsize, sizeof(Elf64_Phdr));
	/* The real count would be in section header 0: never needed for our kernel. */
	if (eh->e_phnum == PN_XNUM)
		return fail(c, "e_phnum is PN_XNUM (extended numbering), not supported");
	if (__builtin_mul_overflow(eh->e_phnum, sizeof(Elf64_Phdr), &len) ||
	    !in_file(c, eh->e_phoff, len))
		return fail(c, "program header table (offset " HEX ", %u entries) lies outside the file (%zu bytes)",
			    eh->e_phoff, eh->e_phnum, c->size);
	return 0;
}

static int check_ehdr(struct elf_ctx *c)
{
	const Elf64_Ehdr *eh = &c->eh;

	if (c->size < sizeof(*eh))
		return fail(c, "file is %zu bytes, too short for an ELF64 header (%zu)",
			    c->size, sizeof(*eh));
	memcpy(&c->eh, c->data, sizeof(c->eh));
	if (check_ident(c))
		return -1;
	if (eh->e_version != EV_CURRENT)
		return fail(c, "e_version is %u, expected EV_CURRENT (%u)",
			    eh->e_version, EV_CURRENT);
	if (eh->e_type != ET_EXEC)
		return fail(c, "e_type is %u, expected ET_EXEC (%u)", eh->e_type, ET_EXEC);
	if (eh->e_machine != EM_X86_64)
		return fail(c, "e_machine is %u, expected EM_X86_64 (%u)",
			    eh->e_machine, EM_X86_64);
	if (eh->e_ehsize != sizeof(*eh))
		return fail(c, "e_ehsize is %u, expected %zu", eh->e_ehsize, sizeof(*eh));
	return check_phdr_table(c);
}

static void read_phdr(const struct elf_ctx *c, unsigned i, Elf64_Phdr *ph)
{
	memcpy(ph, c->data + c->eh.e_phoff + (size_t)i * sizeof(*ph), sizeof(*ph));
}

/* The checks on a PT_LOAD that do not depend on guest RAM or other segments. */
static int check_load_ranges(struct elf_ctx *c, unsigned i, const Elf64_Phdr *ph)
{
	uint64_t end;

	if (ph->p_filesz > ph->p_memsz)
		return fail(c, "program header %u: p_filesz " HEX " exceeds p_memsz " HEX,
			    i, ph->p_filesz, ph->p_memsz);
	if (!in_file(c, ph->p_offset, ph->p_filesz))
		return fail(c, "program header %u: file range (offset " HEX ", " HEX " bytes) lies outside the file (%zu bytes)",
			    i, ph->p_offset, ph->p_filesz, c->size);
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &end))
		return fail(c, "program header %u: p_vaddr " HEX " + p_memsz " HEX " overflows",
			    i, ph->p_vaddr, ph->p_memsz);
	if (__builtin_add_overflow(ph->p_paddr, ph->p_memsz, &end))
		return fail(c, "program header %u: p_paddr " HEX " + p_memsz " HEX " overflows",
			    i, ph->p_paddr, ph->p_memsz);
	return 0;
}

static int check_overlap(struct elf_ctx *c, unsigned i, const Elf64_Phdr *ph,
			 const struct elf_image *img, const struct elf_copy *copy)
{
	uint64_t end = ph->p_paddr + ph->p_memsz;	/* checked by check_load_ranges() */
	const struct elf_segment *s;
	unsigned j;

	for (j = 0; j < img->nseg; j++) {
		s = &img->seg[j];
		if (ph->p_paddr < s->paddr + s->memsz && s->paddr < end)
			return fail(c, "program header %u: segment " RANGE " overlaps segment " RANGE " of program header %u",
				    i, ph->p_paddr, end, s->paddr, s->paddr + s->memsz,
				    copy[j].phdr);
	}
	return 0;
}

/* Find where a PT_LOAD goes in guest RAM and record it as img->seg[img->nseg]. */
static int place_load(struct elf_ctx *c, unsigned i, const Elf64_Phdr *ph,
		      const struct guest_ram *ram, uint64_t phys_min,
		      struct elf_image *img, struct elf_copy *copy)
{
	uint64_t end = ph->p_paddr + ph->p_memsz;	/* checked by check_load_ranges() */
	unsigned char *dst;

	if (img->nseg == ELF_MAX_SEGMENTS)
		return fail(c, "program header %u: more than %d PT_LOAD segments",
			    i, ELF_MAX_SEGMENTS);
	if (ph->p_paddr < phys_min)
		return fail(c, "program header %u: segment " RANGE " starts below " HEX ", the lowest address the kernel may use",
			    i, ph->p_paddr, end, phys_min);
	dst = gpa_ptr(ram, ph->p_paddr, ph->p_memsz);
	if (!dst)
		return fail(c, "program header %u: segment " RANGE " lies outside guest RAM [0, " HEX ")",
			    i, ph->p_paddr, end, ram->size);
	if (check_overlap(c, i, ph, img, copy))
		return -1;
	copy[img->nseg] = (struct elf_copy){
		.src = c->data + ph->p_offset,
		.dst = dst,
		.phdr = i,
	};
	img->seg[img->nseg++] = (struct elf_segment){
		.vaddr = ph->p_vaddr,
		.paddr = ph->p_paddr,
		.memsz = ph->p_memsz,
		.filesz = ph->p_filesz,
		.flags = ph->p_flags,
	};
	return 0;
}

static int check_entry(struct elf_ctx *c, const struct elf_image *img)
{
	uint64_t entry = c->eh.e_entry;
	const struct elf_segment *s;
	unsigned i;

	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		if ((s->flags & PF_X) && entry >= s->vaddr && entry - s->vaddr < s->memsz)
			return 0;
	}
	return fail(c, "entry point " HEX " is not inside an executable PT_LOAD segment",
		    entry);
}

static int check_phdrs(struct elf_ctx *c, const struct guest_ram *ram, uint64_t phys_min,
		       struct elf_image *img, struct elf_copy *copy)
{
	Elf64_Phdr ph;
	unsigned i;

	for (i = 0; i < c->eh.e_phnum; i++) {
		read_phdr(c, i, &ph);
		/* PT_NOTE, PT_GNU_STACK and the like say nothing about loading. */
		if (ph.p_type != PT_LOAD)
			continue;
		if (check_load_ranges(c, i, &ph))
			return -1;
		/* An empty segment loads nothing and cannot overlap anything. */
		if (!ph.p_memsz)
			continue;
		if (place_load(c, i, &ph, ram, phys_min, img, copy))
			return -1;
	}
	if (!img->nseg)
		return fail(c, "no non-empty PT_LOAD segment");
	return check_entry(c, img);
}

static void copy_segments(const struct elf_image *img, const struct elf_copy *copy)
{
	const struct elf_segment *s;
	unsigned i;

	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		memcpy(copy[i].dst, copy[i].src, s->filesz);
		/* The bss: guest RAM may still hold an earlier run's bytes. */
		memset(copy[i].dst + s->filesz, 0, s->memsz - s->filesz);
	}
}

/* Section header i; the table must have been checked to lie inside the file. */
static bool read_shdr(const struct elf_ctx *c, uint64_t i, Elf64_Shdr *sh)
{
	if (i >= c->eh.e_shnum)
		return false;
	memcpy(sh, c->data + c->eh.e_shoff + i * sizeof(*sh), sizeof(*sh));
	return true;
}

/* Find .symtab and the string table it links to, both wholly inside the file. */
static bool find_symtab(const struct elf_ctx *c, Elf64_Shdr *symtab, Elf64_Shdr *strtab)
{
	const Elf64_Ehdr *eh = &c->eh;
	unsigned i;

	if (eh->e_shentsize != sizeof(*symtab) ||
	    !in_file(c, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(*symtab)))
		return false;
	for (i = 0; i < eh->e_shnum; i++) {
		read_shdr(c, i, symtab);
		if (symtab->sh_type == SHT_SYMTAB)
			break;
	}
	return i < eh->e_shnum &&
	       symtab->sh_entsize == sizeof(Elf64_Sym) &&
	       symtab->sh_size % sizeof(Elf64_Sym) == 0 &&
	       in_file(c, symtab->sh_offset, symtab->sh_size) &&
	       read_shdr(c, symtab->sh_link, strtab) &&
	       strtab->sh_type == SHT_STRTAB &&
	       strtab->sh_size &&
	       in_file(c, strtab->sh_offset, strtab->sh_size);
}

/*
 * Copy the whole string table: simpler than copying names one by one, and
 * a terminating NUL at its end bounds every name that starts inside it.
 */
static int copy_strtab(const struct elf_ctx *c, const Elf64_Shdr *strtab,
		       struct elf_image *img)
{
	const unsigned char *src = c->data + strtab->sh_offset;

	if (src[strtab->sh_size - 1] != '\0')
		return -1;
	img->strtab = malloc(strtab->sh_size);
	if (!img->strtab)
		return -1;
	memcpy(img->strtab, src, strtab->sh_size);
	return 0;
}

/*
 * Symbols worth naming an address after: code, data and assembly labels.
 * Absolute symbols are linker-script constants (KERNEL_MAP, LOAD_PHYS), not
 * places in the image, and would name unrelated addresses.
 */
static bool keep_symbol(const Elf64_Sym *sym, const char *name)
{
	unsigned type = ELF64_ST_TYPE(sym->st_info);

	if (!sym->st_value || sym->st_shndx == SHN_UNDEF || sym->st_shndx == SHN_ABS ||
	    !name[0])
		return false;
	return type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE;
}

static int collect_symbols(const struct elf_ctx *c, const Elf64_Shdr *symtab,
			   const Elf64_Shdr *strtab, struct elf_image *img)
{
	size_t i, n = symtab->sh_size / sizeof(Elf64_Sym);
	const char *name;
	Elf64_Sym sym;

	img->syms = calloc(n ? n : 1, sizeof(*img->syms));
	if (!img->syms)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(&sym, c->data + symtab->sh_offset + i * sizeof(sym), sizeof(sym));
		if (sym.st_name >= strtab->sh_size)
			return -1;
		name = img->strtab + sym.st_name;
		if (keep_symbol(&sym, name))
			img->syms[img->nsyms++] = (struct elf_symbol){
				.addr = sym.st_value,
				.size = sym.st_size,
				.name = name,
			};
	}
	return 0;
}

static int symbol_cmp(const void *a, const void *b)
{
	const struct elf_symbol *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/*
	 * At one address, sized symbols sort after zero-size ones: lookups
	 * take the last candidate, and a size says more than a label does.
	 */
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void drop_symbols(struct elf_image *img)
{
	free(img->syms);
	free(img->strtab);
	img->syms = NULL;
	img->strtab = NULL;
	img->nsyms = 0;
}

/* Symbols are a convenience: a missing or malformed table leaves nsyms = 0. */
static void read_symbols(const struct elf_ctx *c, struct elf_image *img)
{
	Elf64_Shdr symtab, strtab;

	if (!find_symtab(c, &symtab, &strtab) || copy_strtab(c, &strtab, img) ||
	    collect_symbols(c, &symtab, &strtab, img)) {
		drop_symbols(img);
		return;
	}
	qsort(img->syms, img->nsyms, sizeof(*img->syms), symbol_cmp);
}

static int load(struct elf_ctx *c, struct guest_ram *ram, uint64_t phys_min,
		struct elf_image *img)
{
	struct elf_copy copy[ELF_MAX_SEGMENTS];

	memset(img, 0, sizeof(*img));
	if (check_ehdr(c) || check_phdrs(c, ram, phys_min, img, copy)) {
		memset(img, 0, sizeof(*img));
		return -1;
	}
	img->entry = c->eh.e_entry;
	copy_segments(img, copy);
	read_symbols(c, img);
	return 0;
}

int elf_load(const void *file, size_t size, struct guest_ram *ram, uint64_t phys_min,
	     struct elf_image *img, char *err, size_t errlen)
{
	struct elf_ctx c = { .data = file, .size = size, .err = err, .errlen = errlen };

	return load(&c, ram, phys_min, img);
}

static int read_fd(struct elf_ctx *c, int fd, size_t size, unsigned char **buf)
{
	size_t done = 0;
	ssize_t n;

	/* malloc(0) may return NULL; an empty file is rejected later as too short. */
	*buf = malloc(size ? size : 1);
	if (!*buf)
		return fail(c, "out of memory for %zu bytes", size);
	while (done < size) {
		n = read(fd, *buf + done, size - done);
		if (n < 0)
			return fail(c, "read: %s", strerror(errno));
		if (n == 0)
			return fail(c, "file shrank to %zu bytes while being read", done);
		done += n;
	}
	c->data = *buf;
	c->size = size;
	return 0;
}

/* Read the whole file into *buf (to be freed by the caller, even on failure). */
static int read_file(struct elf_ctx *c, const char *path, unsigned char **buf)
{
	struct stat st;
	int fd, ret;

	/* O_NONBLOCK: a FIFO must be refused below, not waited on here. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(c, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st))
		ret = fail(c, "cannot stat: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		ret = fail(c, "not a regular file");
	else if (st.st_size > ELF_MAX_FILE_SIZE)
		ret = fail(c, "file is %jd bytes, more than the %d MiB limit",
			   (intmax_t)st.st_size, ELF_MAX_FILE_SIZE >> 20);
	else
		ret = read_fd(c, fd, st.st_size, buf);
	close(fd);
	return ret;
}

int elf_load_file(const char *path, struct guest_ram *ram, uint64_t phys_min,
		  struct elf_image *img, char *err, size_t errlen)
{
	char why[256];
	struct elf_ctx c = { .err = why, .errlen = sizeof(why) };
	unsigned char *buf = NULL;
	int ret;

	memset(img, 0, sizeof(*img));
	ret = read_file(&c, path, &buf);
	if (!ret)
		ret = load(&c, ram, phys_min, img);
	free(buf);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
	return ret;
}

void elf_image_free(struct elf_image *img)
{
	drop_symbols(img);
	memset(img, 0, sizeof(*img));
}

/* How many symbols lie at or below addr; the last of them is the candidate. */
static size_t symbols_upto(const struct elf_image *img, uint64_t addr)
{
	size_t lo = 0, hi = img->nsyms, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (img->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Name addr after the symbol covering addr - back, with the offset of addr
 * itself; back is 1 for return addresses (see elf_symbolize_return()).
 */
static const char *symbolize(const struct elf_image *img, uint64_t addr, uint64_t back,
			     char *buf, size_t len)
{
	uint64_t look = addr - back;
	size_t n = symbols_upto(img, look);
	const struct elf_symbol *s = n ? &img->syms[n - 1] : NULL;
	uint64_t off = s ? look - s->addr : 0;

	if (s && s->size && off < s->size)
		snprintf(buf, len, "%s+" HEX "/" HEX, s->name, off + back, s->size);
	else if (s && !s->size && off < ELF_NEAREST_MAX)
		snprintf(buf, len, "%s+" HEX, s->name, off + back);
	else
		snprintf(buf, len, HEX, addr);
	return buf;
}

const char *elf_symbolize(const struct elf_image *img, uint64_t addr, char *buf, size_t len)
{
	return symbolize(img, addr, 0, buf, len);
}

const char *elf_symbolize_return(const struct elf_image *img, uint64_t addr, char *buf,
				 size_t len)
{
	return symbolize(img, addr, addr ? 1 : 0, buf, len);
}

/* Duplicate names (static functions in different files) give the lowest address. */
uint64_t elf_symbol_addr(const struct elf_image *img, const char *name)
{
	size_t i;

	for (i = 0; i < img->nsyms; i++)
		if (!strcmp(img->syms[i].name, name))
			return img->syms[i].addr;
	return 0;
}
