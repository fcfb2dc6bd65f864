/* SPDX-License-Identifier: MIT */
/* x86-64 page-table entry bits, as the hardware defines them. */
#ifndef SHARED_PTE_H
#define SHARED_PTE_H

#define _PAGE_BIT_PRESENT	0
#define _PAGE_BIT_RW		1
#define _PAGE_BIT_USER		2
#define _PAGE_BIT_PWT		3
#define _PAGE_BIT_PCD		4
#define _PAGE_BIT_ACCESSED	5
#define _PAGE_BIT_DIRTY		6
#define _PAGE_BIT_PSE		7	/* large page, in PDPTE and PDE */
#define _PAGE_BIT_GLOBAL	8
#define _PAGE_BIT_NX		63

#define _PAGE_PRESENT	(1ULL << _PAGE_BIT_PRESENT)
#define _PAGE_RW	(1ULL << _PAGE_BIT_RW)
#define _PAGE_USER	(1ULL << _PAGE_BIT_USER)
#define _PAGE_PWT	(1ULL << _PAGE_BIT_PWT)
#define _PAGE_PCD	(1ULL << _PAGE_BIT_PCD)
#define _PAGE_ACCESSED	(1ULL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY	(1ULL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE	(1ULL << _PAGE_BIT_PSE)
#define _PAGE_GLOBAL	(1ULL << _PAGE_BIT_GLOBAL)
#define _PAGE_NX	(1ULL << _PAGE_BIT_NX)

/* Bits 12..51 hold the frame address; 52 bits of physical address at most. */
#define PTE_PFN_MASK	0x000ffffffffff000ULL
/* In a large-page entry bit 12 is PAT, so the frame starts at the page size. */
#define PTE_PFN_MASK_2M	0x000fffffffe00000ULL
#define PTE_PFN_MASK_1G	0x000fffffc0000000ULL

#endif
