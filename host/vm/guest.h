/* SPDX-License-Identifier: MIT */
/*
 * A running guest and the conversation with it.
 *
 * guest_boot() creates the VM, loads the kernel, builds the device tree and
 * runs the vCPU until the kernel says READY.  guest_call() sends one request
 * and runs the vCPU until the matching REPLY, passing console lines to a
 * callback on the way.  Anything else the guest does (panics, faults,
 * halts, hangs past the watchdog, writes a malformed message) ends the
 * conversation: the guest is marked dead and `diag` explains what happened
 * in terms of guest symbols.  The guest is never trusted: every value read
 * from the mailbox is checked before use.
 */
#ifndef HOST_GUEST_H
#define HOST_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/accel/accel.h"
#include "elf.h"
#include "machine.h"
#include "shared/channel.h"

struct profile;

enum guest_status {
	GUEST_OK = 0,
	GUEST_CRASHED,		/* panic, exception, triple fault, halt: exit 3 */
	GUEST_PROTOCOL,		/* a malformed or lying message: exit 3 */
	GUEST_TIMEOUT,		/* watchdog: exit 4 */
	GUEST_NO_ACCEL,		/* the accelerator cannot run here: exit 77 */
	GUEST_SETUP,		/* the host could not set the VM up (bad kernel ELF, ...): exit 2 */
};

struct guest_options {
	const struct accel_ops *accel;	/* what runs the guest (accel_choose()) */
	const char *kernel;		/* path of the guest ELF */
	unsigned timeout_ms;		/* per request, boot included */
	unsigned run_timeout_ms;	/* the whole conversation, boot included; 0: no limit */
	bool count_instructions;	/* where it costs (TCG's -icount), pay for it */
	void (*console)(void *ctx, const char *line, size_t len);
	/* A bug the guest kernel caught in itself (bad page state, ...). */
	void (*report)(void *ctx, const struct vmm_message *m, const char *text);
	void *ctx;
};

struct guest_reply {
	int64_t status;			/* 0 or -errno */
	uint64_t val[6];
	const uint8_t *data;		/* host copy, valid until the next call */
	uint32_t len;
};

struct guest {
	struct accel accel;		/* accel.ram: guest RAM as the host sees it */
	struct elf_image img;
	struct guest_options opt;
	struct vmm_mailbox *mb;		/* host view of the mailbox */
	uint8_t *reply_buf;		/* host copy of reply data */
	uint32_t seq;
	uint32_t acked;			/* the last message the host acknowledged */
	uint32_t taken;			/* the READY/REPLY the next request acknowledges */
	uint64_t pgd;			/* the guest's own claim (READY) */
	bool tsc_insns;			/* the guest reports its instructions (icount) */
	uint64_t guest_insns;		/* ... as of its last message */
	uint64_t exits;			/* doorbells and other events so far, single steps not counted */
	struct profile *profile;	/* single-stepping into it, or NULL */
	uint64_t step_pc;		/* where the last single step stopped, or 0 */
	unsigned reports[VMM_REPORT_NR];	/* REPORT messages so far, by kind */
	double boot_ms;			/* VM creation to READY */
	double run_deadline;		/* CLOCK_MONOTONIC ms when the run must end */
	bool run_deadline_next;		/* the watchdog now waits for run_deadline */
	enum guest_status status;
	char diag[8192];
};

/*
 * Is the kernel file one the host would load into a guest of the largest
 * size?  For callers that can say so before choosing an accelerator;
 * guest_boot() loads it into the guest's own RAM, checking it again.
 */
int guest_check_kernel(const char *path, char *err, size_t errlen);

enum guest_status guest_boot(struct guest *g, const struct machine *m,
			     const struct guest_options *opt);
enum guest_status guest_call(struct guest *g, uint32_t code, const uint64_t args[6],
			     const void *data, uint32_t len, struct guest_reply *reply);
/*
 * The last reply broke the protocol in a way only its reader can see (a
 * count that does not fit the data, a frame outside RAM): the guest is
 * marked dead, and the diagnosis names the request and says why.
 */
enum guest_status guest_reply_lied(struct guest *g, uint32_t code, const char *why);
/*
 * Has the whole run outlived --run-timeout?  The host's own long work
 * (`check`) asks between steps; then the guest is marked timed out.
 */
bool guest_out_of_time(struct guest *g);
/* Bulk request input: copied to the mailbox data area for the next call. */
int guest_write_data(struct guest *g, const void *data, size_t len);
void guest_destroy(struct guest *g);
/*
 * Single-step every guest instruction from now on, recording each RIP in
 * p; NULL turns stepping off.  Returns 0, or -1 with the reason in err if
 * the accelerator cannot.
 */
int guest_profile(struct guest *g, struct profile *p, char *err, size_t errlen);

/* Guest instructions executed so far, or -1 if the accelerator cannot count them. */
int64_t guest_instructions(struct guest *g);

/* The CR3 the CPU is on: the host's own view, not the guest's word. */
int guest_cr3(struct guest *g, uint64_t *cr3, char *err, size_t errlen);

#endif
