/* SPDX-License-Identifier: MIT */
/*
 * A machine for native tests and benchmarks of code that allocates pages:
 * fresh zeroed "physical memory" of the given size (zones DMA below 16
 * MiB, DMA32 below 48 MiB, Normal above), the first 3 MiB reserved as
 * low memory and "kernel", the rest handed to the buddy allocator.
 * Call once per process (Check forks one per test).
 */
#ifndef _NATIVE_MM_MACHINE_H
#define _NATIVE_MM_MACHINE_H

#include <stddef.h>

void native_mm_machine_init(size_t bytes);
/* Gives the memory back; a Check teardown fixture as it is. */
void native_mm_machine_exit(void);
/* Free pages of every zone, on the buddy lists and the per-CPU lists alike. */
unsigned long native_free_pages(void);

#endif
