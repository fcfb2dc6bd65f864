// SPDX-License-Identifier: MIT
/*
 * Bug reports: the kernel's own consistency checks (bad page state, and
 * later slab debugging) tell the host what they caught, as one REPORT
 * message each, so that a scenario can expect them.  The kernel carries on.
 */
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sprintf.h>

static void report(u64 kind, u64 detail, const char *text)
{
	if (!channel_ready())
		return;
	mailbox->msg.val[0] = kind;
	mailbox->msg.val[1] = detail;
	mailbox->msg.len = scnprintf(mailbox->console, VMM_CONSOLE_SIZE, "%s", text);
	channel_send(VMM_MSG_REPORT);
}

void report_bad_page(unsigned long pfn, const char *reason)
{
	report(VMM_REPORT_BAD_PAGE, pfn, reason);
}
