/* SPDX-License-Identifier: MIT */
/*
 * kmem_cache_create() flags a scenario may pass, Linux's values.  The
 * first four are the debug flags, slab_debug= letters F Z P U.
 */
#ifndef SHARED_SLAB_FLAGS_H
#define SHARED_SLAB_FLAGS_H

#define SLAB_CONSISTENCY_CHECKS	0x00000100u	/* F: check on every alloc and free */
#define SLAB_RED_ZONE		0x00000400u	/* Z: red zones around each object */
#define SLAB_POISON		0x00000800u	/* P: poison free objects */
#define SLAB_HWCACHE_ALIGN	0x00002000u	/* align objects to cache lines */
#define SLAB_CACHE_DMA		0x00004000u	/* slabs from ZONE_DMA */
#define SLAB_STORE_USER		0x00010000u	/* U: record alloc and free call sites */

#endif
