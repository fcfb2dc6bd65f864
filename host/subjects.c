// SPDX-License-Identifier: MIT
/*
 * Subjects: what `expect SUBJECT ...` compares and `show SUBJECT` prints.
 * Texts come from the guest in the Linux /proc format their name says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kernel.h"
#include "reply.h"

enum step guest_text(struct run_ctx *ctx, uint32_t code, struct value *out,
		     char *msg, size_t msglen)
{
	struct guest_reply reply;
	const char *text;
	size_t len;
	char why[160];
	enum step st = call_guest(ctx, code, NULL, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest answered with error %lld", (long long)reply.status);
		return STEP_FAILED;
	}
	if (reply_text(&reply, &text, &len, why, sizeof(why)))
		return guest_lied(ctx, code, why);
	*out = value_text(text, len);
	if (out->kind == VAL_NONE) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

static enum step subject_iomem(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			       char *msg, size_t msglen)
{
	(void)arg;
	return guest_text(ctx, VMM_REQ_IOMEM, out, msg, msglen);
}

static enum step subject_cmdline(struct run_ctx *ctx, const struct expr *arg, struct value *out,
				 char *msg, size_t msglen)
{
	(void)arg;
	return guest_text(ctx, VMM_REQ_CMDLINE, out, msg, msglen);
}

/* What `check` would report, as text: empty when every rule holds. */
static enum step subject_findings(struct run_ctx *ctx, const struct expr *arg, struct value *out,
				  char *msg, size_t msglen)
{
	char *findings = NULL;
	enum step st = verify_check(ctx, &findings);

	(void)arg;
	if (st != STEP_DEAD && findings) {
		*out = value_text(findings, strlen(findings));
		st = STEP_OK;
	} else if (st != STEP_DEAD) {
		snprintf(msg, msglen, "the check could not run");
		st = STEP_FAILED;
	}
	free(findings);
	return st;
}

static const struct subject subjects[] = {
	{ "iomem", NULL, NULL, "the physical memory map, /proc/iomem format", subject_iomem },
	{ "cmdline", NULL, NULL, "the command line (the vm options), /proc/cmdline format",
	  subject_cmdline },
	{ "buddyinfo", NULL, NULL, "free blocks per zone and order, /proc/buddyinfo format",
	  subject_buddyinfo },
	{ "zoneinfo", NULL, NULL, "zone counters and watermarks, /proc/zoneinfo format",
	  subject_zoneinfo },
	{ "zone", "DMA, DMA32 or Normal", zone_fields, "a zone's counters, in pages", subject_zone },
	{ "bad_pages", NULL, NULL, "bad-page-state reports the guest kernel made",
	  subject_bad_pages },
	{ "findings", NULL, NULL, "what check reports (empty when every rule holds)",
	  subject_findings },
	{ "slabinfo", NULL, NULL, "slab caches, /proc/slabinfo 2.1 format", subject_slabinfo },
	{ "vmallocinfo", NULL, NULL, "vmalloc areas, /proc/vmallocinfo format",
	  subject_vmallocinfo },
	{ "slab_report", NULL, slab_report_fields, "the last slab bug the guest caught",
	  subject_slab_report },
};

const struct subject *subject_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(subjects); i++)
		if (!strcmp(subjects[i].name, name))
			return &subjects[i];
	return NULL;
}

void subject_names(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(subjects) && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s", i ? ", " : "", subjects[i].name);
}
