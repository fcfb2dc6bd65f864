/* SPDX-License-Identifier: MIT */
#ifndef _ASM_X86_SETUP_H
#define _ASM_X86_SETUP_H

/* memblock from the device tree, the kernel's page tables, zone sizes. */
void setup_arch(void);

#endif
