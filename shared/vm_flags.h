/* SPDX-License-Identifier: MIT */
/*
 * VMA flags, Linux's bit values (include/linux/mm.h): the guest keeps them
 * in vm_flags and exports them (struct vmm_vma); the host's checks read them.
 */
#ifndef SHARED_VM_FLAGS_H
#define SHARED_VM_FLAGS_H

#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
/* What mprotect() may turn on later: VM_MAYx is VM_x << 4. */
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_PFNMAP	0x00000400UL	/* raw frames, no struct page */
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL	/* madvise(MADV_SEQUENTIAL) */
#define VM_RAND_READ	0x00010000UL	/* madvise(MADV_RANDOM) */
#define VM_DONTCOPY	0x00020000UL	/* not inherited by fork */
#define VM_DONTEXPAND	0x00040000UL
#define VM_ACCOUNT	0x00100000UL	/* charged to the overcommit count */
#define VM_NORESERVE	0x00200000UL
#define VM_DONTDUMP	0x04000000UL	/* not in a core dump */
#define VM_MIXEDMAP	0x10000000UL

#endif
