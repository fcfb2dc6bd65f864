/* SPDX-License-Identifier: MIT */
/*
 * Byte patterns the slab debugger writes into memory it does not hand out,
 * Linux's values, so that a dump reads the same as on Linux.
 */
#ifndef _LINUX_POISON_H
#define _LINUX_POISON_H

/* Object bytes while allocated but not yet written (SLAB_POISON), and slab padding. */
#define POISON_INUSE		0x5a
/* Object bytes while free (SLAB_POISON) ... */
#define POISON_FREE		0x6b
/* ... and the last byte of a free object, so that a dump shows where it ends. */
#define POISON_END		0xa5

/* Red zones (SLAB_RED_ZONE) around a free object ... */
#define SLUB_RED_INACTIVE	0xbb
/* ... and around an allocated one. */
#define SLUB_RED_ACTIVE		0xcc

/* Freed pages, with page poisoning (not implemented here, kept for dumps). */
#define PAGE_POISON		0xaa

#endif
