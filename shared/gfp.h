/* SPDX-License-Identifier: MIT */
/*
 * Get-free-pages flags: the guest's allocator takes them and scenarios name
 * them (`gfp=GFP_KERNEL|__GFP_ZERO`), so they are part of the ABI.  Bit
 * values are Linux's classic ones (before 6.x turned them into an enum),
 * so GFP_KERNEL is the familiar 0xcc0 and GFP_ATOMIC 0x820.
 */
#ifndef SHARED_GFP_H
#define SHARED_GFP_H

/* Zone modifiers: where the pages may come from (at most one). */
#define __GFP_DMA		0x01u	/* ZONE_DMA only */
#define __GFP_DMA32		0x04u	/* ZONE_DMA32 or below */
/* Watermark modifiers. */
#define __GFP_HIGH		0x20u	/* may use half of the min reserve */
/* Reclaim modifiers (there is no reclaim yet; they select reserves). */
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_DIRECT_RECLAIM	0x400u	/* the caller may sleep */
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
/* Action modifiers. */
#define __GFP_ZERO		0x100u	/* return zeroed pages */
#define __GFP_NOWARN		0x2000u	/* no failure report */
#define __GFP_HARDWALL		0x100000u

#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_USER	(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32

#endif
