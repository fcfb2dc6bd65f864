/* SPDX-License-Identifier: MIT */
/*
 * mmap/mprotect/mremap flags, Linux's x86-64 values: the guest's system calls take
 * them and scenarios name them (`prot=PROT_READ|PROT_WRITE`).
 */
#ifndef SHARED_MMAN_H
#define SHARED_MMAN_H

#define PROT_NONE		0x0
#define PROT_READ		0x1
#define PROT_WRITE		0x2
#define PROT_EXEC		0x4
#define PROT_SEM		0x8
#define PROT_GROWSDOWN		0x01000000	/* mprotect: extend to the start of a growsdown VMA */
#define PROT_GROWSUP		0x02000000

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f		/* the bits above are one field, not flags */
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_GROWSDOWN		0x0100
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_FIXED_NOREPLACE	0x100000

#define MADV_NORMAL		0
#define MADV_RANDOM		1
#define MADV_SEQUENTIAL		2
#define MADV_WILLNEED		3
#define MADV_DONTNEED		4
#define MADV_DONTFORK		10
#define MADV_DOFORK		11

#define MCL_CURRENT		1
#define MCL_FUTURE		2
#define MCL_ONFAULT		4

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

#endif
