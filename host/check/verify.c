// SPDX-License-Identifier: MIT
/*
 * `check`: the host's independent witness.
 *
 * The host walks the page tables the CPU is really using (CR3 from the
 * accelerator, not from the guest's word) and compares what it finds with
 * two other accounts:
 *   - the truth the host itself knows: RAM (it built the device tree) and
 *     the kernel image (it loaded the ELF), and
 *   - what the guest claims it built (VMM_REQ_KERNEL_MAPS).
 * check_guest() fetches a snapshot of all of it first (check_snapshot.c),
 * then runs the rules over the snapshot alone (rules.h).  Rules and how to read a finding: docs/verification.md.
 */
#include <stdio.h>

#include "rules.h"
#include "verify.h"

/* The kernel half, the free frames, then slabs and every process, as far as s goes. */
void check_rules(struct checker *c, const struct check_snapshot *s)
{
	if (!check_walk(c, s, &s->kernel))
		return;
	check_kernel_half(c, &s->kernel.ranges, &s->truth, &s->claims, &s->vmalloc);
	check_free_mapped(c, &s->kernel.ranges, &s->free_blocks);
	check_slab_pages(c, s);
	if (s->slabs_done)
		check_user_spaces(c, s);
}

enum check_result check_guest(struct guest *g, char **findings)
{
	struct check_snapshot s = { 0 };
	struct checker c = { .ram = &g->accel.ram, .records_left = CHECK_MAX_RECORDS };
	char msg[256] = "";
	size_t len = 0;
	enum fetch st;

	*findings = NULL;
	c.out = open_memstream(findings, &len);
	if (!c.out)
		return CHECK_FAILED;
	st = check_fetch(g, &s, msg, sizeof(msg));
	check_rules(&c, &s);
	check_print_more(&c);
	if (c.stop[0] && !msg[0])
		snprintf(msg, sizeof(msg), "check stopped short: %s", c.stop);
	if (msg[0])
		fprintf(c.out, "%s\n", msg);
	fclose(c.out);
	check_snapshot_free(&s);
	if (g->status != GUEST_OK)
		return CHECK_DEAD;
	return st == FETCH_OK && !c.stop[0] && !c.findings ? CHECK_PASSED : CHECK_FAILED;
}
