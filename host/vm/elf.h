/* SPDX-License-Identifier: MIT */
/*
 * The guest kernel's ELF file: a strict loader and the symbol table.
 *
 * The loader accepts only what our guest needs and rejects everything else
 * with a message naming the offending header and field: ELF64, little
 * endian, x86-64, ET_EXEC, program headers inside the file, PT_LOAD segments
 * with filesz <= memsz, no arithmetic overflow, segments that do not
 * overlap each other and whose physical addresses (p_paddr) lie inside
 * [phys_min, ram size).  All offsets and sizes are checked before any byte
 * is read or written.
 */
#ifndef HOST_ELF_H
#define HOST_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "guest_ram.h"

#define ELF_MAX_SEGMENTS 16

struct elf_segment {
	uint64_t vaddr, paddr, memsz, filesz;
	uint32_t flags;		/* PF_R | PF_W | PF_X */
};

struct elf_symbol {
	uint64_t addr;
	uint64_t size;
	const char *name;	/* points into elf_image's string storage */
};

struct elf_image {
	uint64_t entry;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	unsigned nseg;
	struct elf_symbol *syms;	/* function and object symbols, sorted by addr */
	size_t nsyms;
	char *strtab;			/* owned copy of the names */
};

/*
 * Validate the ELF file in `file` (size bytes) and copy its PT_LOAD
 * segments into guest RAM at their physical addresses, zero-filling memsz
 * beyond filesz.  Also reads .symtab if present (a missing or malformed
 * symbol table is not an error: nsyms = 0).  Returns 0, or -1 with a
 * human-readable reason in err.
 */
int elf_load(const void *file, size_t size, struct guest_ram *ram, uint64_t phys_min,
	     struct elf_image *img, char *err, size_t errlen);

/* elf_load() of a file on disk; the error names the path. */
int elf_load_file(const char *path, struct guest_ram *ram, uint64_t phys_min,
		  struct elf_image *img, char *err, size_t errlen);

void elf_image_free(struct elf_image *img);

/*
 * Format addr as "name+0xoff/0xsize" (Linux's %pS) into buf; "0x..." alone if
 * no symbol covers it.  Returns buf.
 */
const char *elf_symbolize(const struct elf_image *img, uint64_t addr, char *buf, size_t len);

/*
 * elf_symbolize() for a return address (Linux's %pB): the symbol is looked
 * up for addr - 1, because a call to a noreturn function can be the last
 * instruction of its caller, and the offset printed is still addr's.
 */
const char *elf_symbolize_return(const struct elf_image *img, uint64_t addr, char *buf,
				 size_t len);

/* Address of the named symbol, or 0. */
uint64_t elf_symbol_addr(const struct elf_image *img, const char *name);

#endif
