/* SPDX-License-Identifier: MIT */
/*
 * Device-tree names the host writes and the guest reads.
 *
 * /memory@0         reg = <addr size> pairs (#address-cells = #size-cells = 2)
 * /chosen           bootargs (string), vmm,seed (u64), vmm,mailbox (<addr size>),
 *                   vmm,zones (<dma_end dma32_end>: where ZONE_DMA and ZONE_DMA32 end)
 * memory reservation block: boot page tables, the device tree, the mailbox
 */
#ifndef SHARED_FDT_H
#define SHARED_FDT_H

#define VMM_FDT_CHOSEN		"/chosen"
#define VMM_FDT_BOOTARGS	"bootargs"
#define VMM_FDT_SEED		"vmm,seed"
#define VMM_FDT_MAILBOX		"vmm,mailbox"
#define VMM_FDT_ZONES		"vmm,zones"
#define VMM_FDT_MEMORY_TYPE	"memory"

#endif
