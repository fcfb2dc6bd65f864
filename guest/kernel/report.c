// SPDX-License-Identifier: MIT
/*
 * Bug reports: the kernel's own consistency checks (bad page state, and
 * later slab debugging) tell the host what they caught, as one REPORT
 * message each, so that a scenario can expect them.  The kernel carries on.
 */
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sprintf.h>

void report_bad_page(unsigned long pfn, const char *reason)
{
	if (!channel_ready())
		return;
	mailbox->msg.val[0] = VMM_REPORT_BAD_PAGE;
	mailbox->msg.val[1] = pfn;
	mailbox->msg.len = scnprintf(mailbox->console, VMM_CONSOLE_SIZE, "%s", reason);
	channel_send(VMM_MSG_REPORT);
}

_Static_assert(SLAB_BUG_LEAK + 1 == VMM_SLAB_BUG_NR, "slab bug kinds are ABI");

void report_slab_bug(const struct slab_report *r)
{
	struct vmm_message *m = &mailbox->msg;

	if (!channel_ready())
		return;
	m->val[0] = VMM_REPORT_SLAB;
	m->val[1] = r->kind;
	m->val[2] = r->object;
	m->val[3] = r->offset;
	m->val[4] = r->expected;
	m->val[5] = r->found;
	m->len = scnprintf(mailbox->console, VMM_CONSOLE_SIZE, "%s: %s",
			   r->cache ? r->cache : "(not slab memory)", r->text);
	channel_send(VMM_MSG_REPORT);
}
