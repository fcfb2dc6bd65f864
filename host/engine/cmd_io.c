// SPDX-License-Identifier: MIT
/*
 * I/O memory in scenarios:
 *   a = ioremap PHYS SIZE                 the address mapping PHYS, or 0 (refused)
 *   iounmap ADDR
 *   r = request_mem_region START SIZE NAME  0 or -errno (field errno)
 *   release_mem_region START SIZE
 * The areas show in vmallocinfo ("phys=... ioremap"), the regions in iomem.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "eval.h"
#include "registry.h"
#include "syscall.h"
#include "lib/kernel.h"

static int numbers(const struct scope *sc, const struct stmt *s, size_t n,
		   struct scenario_error *err)
{
	return numbers_resolve(sc, s, n, err);
}

static int two_numbers(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return numbers(sc, s, 2, err);
}

static int one_number(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return numbers(sc, s, 1, err);
}

/* The request code with the first n positional numbers as its arguments. */
static enum step call_with_numbers(struct run_ctx *ctx, const struct stmt *s, uint32_t code,
				   size_t n, const char *data, struct guest_reply *reply,
				   char *msg, size_t msglen)
{
	uint64_t args[6] = { 0 };
	enum step st = eval_positional(ctx, s, n, args, msg, msglen);

	return st == STEP_OK ? call_guest(ctx, code, args, data, data ? strlen(data) : 0, reply) :
	       st;
}

static enum step ioremap_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_with_numbers(ctx, s, VMM_REQ_IOREMAP, 2, NULL, &reply, msg, msglen);

	if (st == STEP_OK)
		*result = value_num(reply.status ? 0 : reply.val[0]);	/* NULL, as Linux's */
	return st;
}

static enum step iounmap_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_with_numbers(ctx, s, VMM_REQ_IOUNMAP, 1, NULL, &reply, msg, msglen);

	(void)result;
	if (st == STEP_OK && reply.status) {
		snprintf(msg, msglen, "no area of ioremap there");
		return STEP_FAILED;
	}
	return st;
}

static int request_resolve(const struct scope *sc, const struct stmt *s,
			   struct scenario_error *err)
{
	if (want_args(s, 3, 3, err) || want_value(sc, s, 0, err) || want_value(sc, s, 1, err))
		return -1;
	if (s->args[2].kind != ARG_VALUE || (s->args[2].value->kind != EXPR_WORD &&
					     s->args[2].value->kind != EXPR_STRING)) {
		scenario_error_at(err, s, s->args[2].pos, "expected the region's name");
		return -1;
	}
	return want_request_fits(s, 2, err);
}

static enum step request_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_with_numbers(ctx, s, VMM_REQ_REQUEST_REGION, 2, s->args[2].value->str,
					 &reply, msg, msglen);

	return st == STEP_OK ? syscall_result(result, (uint64_t)reply.status, msg, msglen) : st;
}

static enum step release_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_with_numbers(ctx, s, VMM_REQ_RELEASE_REGION, 2, NULL, &reply, msg,
					 msglen);

	return st == STEP_OK ? syscall_result(result, (uint64_t)reply.status, msg, msglen) : st;
}

static const struct command io_commands[] = {
	COMMAND("ioremap", "ioremap PHYS SIZE", NULL, two_numbers, ioremap_run),
	COMMAND("iounmap", "iounmap ADDR", NULL, one_number, iounmap_run),
	COMMAND("request_mem_region", "request_mem_region START SIZE NAME", syscall_fields,
		request_resolve, request_run),
	COMMAND("release_mem_region", "release_mem_region START SIZE", syscall_fields,
		two_numbers, release_run),
};
COMMANDS(io_commands);
