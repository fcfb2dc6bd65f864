/* SPDX-License-Identifier: MIT */
/*
 * Signals and si_codes, Linux's x86-64 values: the guest kills a process
 * with them (struct vmm_fault) and the host names them (`A.signal`).
 */
#ifndef SHARED_SIGNAL_H
#define SHARED_SIGNAL_H

#define SIGILL		4
#define SIGBUS		7
#define SIGFPE		8
#define SIGSEGV		11

#define ILL_ILLOPN	2	/* an illegal operand: #UD */
#define FPE_INTDIV	1	/* an integer divide by zero */
#define SEGV_MAPERR	1	/* no mapping at the address */
#define SEGV_ACCERR	2	/* a mapping without the permission */
#define BUS_ADRERR	2	/* a nonexistent physical address: out of memory */
#define SI_KERNEL	0x80	/* sent by the kernel for no particular address: #GP */

#endif
