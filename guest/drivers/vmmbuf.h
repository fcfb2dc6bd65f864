/* SPDX-License-Identifier: MIT */
/* /dev/vmmbuf (guest/drivers/vmmbuf.c): its buffers' shape and what the harness asks of it. */
#ifndef _DRIVERS_VMMBUF_H
#define _DRIVERS_VMMBUF_H

#include <linux/types.h>

#define VMMBUF_MAJOR		10	/* a misc device, as Linux numbers them */
#define VMMBUF_MINOR		240
#define VMMBUF_GFP_ORDER	2
#define VMMBUF_GFP_PAGES	(1UL << VMMBUF_GFP_ORDER)
#define VMMBUF_KMALLOC_PAGES	2UL
#define VMMBUF_KMALLOC_PGOFF	256UL	/* byte offset 1 MiB */

/* Puts /dev/vmmbuf in the directory (once): 0 or -errno. */
int vmmbuf_register(void);
/* The first frame of each buffer, 0 for one not made yet. */
void vmmbuf_frames(unsigned long *gfp_pfn, unsigned long *kmalloc_pfn);

#endif
