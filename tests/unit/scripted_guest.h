/* SPDX-License-Identifier: MIT */
/*
 * A scripted guest: an accelerator (accel.h) with no CPU, whose run() plays
 * the guest's end of the mailbox with answers a test writes.  The host's
 * real code (guest.c, run.c, the commands, `check`) runs against it
 * unchanged, so a test can send any reply a hostile guest could, and
 * examine guest RAM (page tables, mem_map) it built itself.
 *
 * One scripted guest at a time: the script is global.
 */
#ifndef TESTS_SCRIPTED_GUEST_H
#define TESTS_SCRIPTED_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/accel/accel.h"
#include "shared/channel.h"

enum scripted_action {
	SCRIPTED_REPLY,		/* send *reply (type REPLY and seq already set) */
	SCRIPTED_HANG,		/* say nothing: the watchdog fires */
};

/*
 * The guest's answer to one request: fill reply (status, val, len) and the
 * data area (VMM_MAILBOX_DATA_SIZE bytes).  ram is guest RAM, to build
 * page tables in.
 */
typedef enum scripted_action (*scripted_answer_fn)(void *ctx, const struct vmm_request *req,
						   const char *req_data, struct vmm_message *reply,
						   uint8_t *data, struct guest_ram *ram);

struct scripted_script {
	uint64_t pgd;			/* READY's claim */
	uint64_t cr3;			/* what the CPU's registers say */
	scripted_answer_fn answer;
	void *ctx;
	unsigned requests;		/* out: requests answered so far */
};

extern const struct accel_ops scripted_accel_ops;

/* The script the next scripted guest plays; it must outlive the guest. */
void scripted_guest_play(struct scripted_script *s);

/* A minimal valid kernel ELF file, written once per process; its path. */
const char *scripted_kernel(void);

/* The replies of a well-behaved guest with nothing to report: empty tables. */
enum scripted_action scripted_quiet(void *ctx, const struct vmm_request *req,
				    const char *req_data, struct vmm_message *reply,
				    uint8_t *data, struct guest_ram *ram);

#endif
