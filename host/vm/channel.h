/* SPDX-License-Identifier: MIT */
/*
 * The host end of the mailbox (shared/channel.h), without KVM: take the
 * message the guest announced with its doorbell, copy it out of guest
 * memory, and check it before anything else looks at it.  A message that
 * passes is safe to use; one that fails comes with a sentence saying what
 * the guest got wrong.
 */
#ifndef HOST_CHANNEL_H
#define HOST_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "shared/channel.h"

#define CHANNEL_TEXT_MAX	(VMM_CONSOLE_SIZE * 4 + 1)	/* every byte escaped as \xNN */

struct channel_msg {
	struct vmm_message m;		/* copied out; m.len checked for its type */
	struct vmm_crash crash;		/* PANIC: copied out, nr_frames clamped */
	char text[CHANNEL_TEXT_MAX];	/* CONSOLE, PANIC, REPORT: printable, NUL-ended */
	size_t text_len;
	uint32_t claimed_frames;	/* PANIC: the guest's nr_frames before clamping */
};

/*
 * The message in mb announced by doorbell value `doorbell`.  Returns 0 and
 * fills out, or -1 with the reason in why.
 */
int channel_receive(const struct vmm_mailbox *mb, uint32_t doorbell, struct channel_msg *out,
		    char *why, size_t whylen);

/* Guest text made printable: control bytes become \xNN (newlines too, unless kept). */
size_t channel_sanitize(char *dst, size_t dstlen, const char *src, size_t len, int keep_newlines);

#endif
