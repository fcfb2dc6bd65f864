// SPDX-License-Identifier: MIT
/* The guest, seen from a step (call.h). */
#include <stdio.h>

#include "call.h"
#include "check/verify.h"
#include "vm/reply.h"

enum step call_guest(struct run_ctx *ctx, uint32_t code, const uint64_t args[6],
		     const void *data, uint32_t len, struct guest_reply *reply)
{
	return guest_call(&ctx->g, code, args, data, len, reply) == GUEST_OK ? STEP_OK : STEP_DEAD;
}

enum step guest_lied(struct run_ctx *ctx, uint32_t code, const char *why)
{
	guest_reply_lied(&ctx->g, code, why);
	return STEP_DEAD;
}

enum step call_guest_ok(struct run_ctx *ctx, uint32_t code, const uint64_t args[6],
			const void *data, uint32_t len, struct guest_reply *reply,
			char *msg, size_t msglen)
{
	enum step st = call_guest(ctx, code, args, data, len, reply);

	if (st == STEP_OK && reply->status) {
		snprintf(msg, msglen, "the guest refused: error %lld", (long long)reply->status);
		st = STEP_FAILED;
	}
	return st;
}

enum step guest_text(struct run_ctx *ctx, uint32_t code, struct value *out,
		     char *msg, size_t msglen)
{
	struct guest_reply reply;
	const char *text;
	size_t len;
	char why[160];
	enum step st = call_guest_ok(ctx, code, NULL, NULL, 0, &reply, msg, msglen);

	if (st != STEP_OK)
		return st;
	if (reply_text(&reply, &text, &len, why, sizeof(why)))
		return guest_lied(ctx, code, why);
	*out = value_text(text, len);
	if (out->kind == VAL_NONE) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

enum step verify_check(struct run_ctx *ctx, char **findings)
{
	static const enum step step_of[] = {
		[CHECK_PASSED] = STEP_OK, [CHECK_FAILED] = STEP_FAILED, [CHECK_DEAD] = STEP_DEAD,
	};

	return step_of[check_guest(&ctx->g, findings)];
}
