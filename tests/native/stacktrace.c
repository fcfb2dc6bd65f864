// SPDX-License-Identifier: MIT
/*
 * stack_trace_save() for the native build: the host process's frames mean
 * nothing to a scenario, so the last injected site is left empty.
 */
#include <linux/fault-inject.h>

unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr)
{
	(void)store;
	(void)size;
	(void)skipnr;
	return 0;
}
