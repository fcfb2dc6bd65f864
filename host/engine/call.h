/* SPDX-License-Identifier: MIT */
/*
 * The guest, seen from a step: a call whose death makes STEP_DEAD, a reply
 * that lied, a text the guest returns, and `check`.
 */
#ifndef HOST_ENGINE_CALL_H
#define HOST_ENGINE_CALL_H

#include "run.h"

/* A guest call that turns a dead guest into STEP_DEAD. */
enum step call_guest(struct run_ctx *ctx, uint32_t code, const uint64_t args[6],
		     const void *data, uint32_t len, struct guest_reply *reply);
/* call_guest(), and a non-zero status fails the step: "the guest refused: error N". */
enum step call_guest_ok(struct run_ctx *ctx, uint32_t code, const uint64_t args[6],
			const void *data, uint32_t len, struct guest_reply *reply,
			char *msg, size_t msglen);
/*
 * A reply that failed its check (vm/reply.h): the guest lied about what it
 * sent, so it is ended as a protocol error, and the step is STEP_DEAD.
 */
enum step guest_lied(struct run_ctx *ctx, uint32_t code, const char *why);
/* Text a guest request returns (iomem, buddyinfo, ...). */
enum step guest_text(struct run_ctx *ctx, uint32_t code, struct value *out,
		     char *msg, size_t msglen);
/* `check` (check/verify.h) as a step; *findings is its text, malloc'd. */
enum step verify_check(struct run_ctx *ctx, char **findings);

#endif
