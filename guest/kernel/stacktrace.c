// SPDX-License-Identifier: MIT
/*
 * stack_trace_save(): the return addresses up the frame-pointer chain (the
 * kernel is built with -fno-omit-frame-pointer), for the fault-injection
 * attributes' "last injected site".  The host names them (it has the ELF).
 */
#include <linux/fault-inject.h>
#include <asm/desc.h>

unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr)
{
	unsigned long bp = (unsigned long)__builtin_frame_address(0);
	unsigned int n = 0;

	while (n < size && bp && !(bp & 7) && on_kernel_stack(bp, 16)) {
		const unsigned long *frame = (const unsigned long *)bp;

		if (skipnr)
			skipnr--;
		else
			store[n++] = frame[1];
		if (frame[0] <= bp)	/* frames only go up the stack */
			break;
		bp = frame[0];
	}
	return n;
}
