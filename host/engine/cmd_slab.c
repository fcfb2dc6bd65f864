// SPDX-License-Identifier: MIT
/*
 * Scenario commands and subjects for slab caches, kmalloc and vmalloc:
 *   k = kmalloc SIZE [gfp=]        kfree $k        k2 = krealloc $k SIZE [gfp=]
 *   c = kmem_cache_create NAME SIZE [align=] [flags=SLAB_...]
 *   o = kmem_cache_alloc $c [gfp=] kmem_cache_free $c $o
 *   kmem_cache_shrink $c           kmem_cache_destroy $c
 *   v = vmalloc SIZE [zero=1]      vfree $v
 *   poke ADDR BYTE [count=N]       a kernel write, to commit a bug on purpose
 *   slabinfo, vmallocinfo, slab_report.FIELD, slab_reports
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "eval.h"
#include "registry.h"
#include "vm/reply.h"
#include "shared/gfp.h"
#include "shared/slab_flags.h"

static const struct flag_name slab_flags[] = {
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN }, { "SLAB_POISON", SLAB_POISON },
	{ "SLAB_RED_ZONE", SLAB_RED_ZONE }, { "SLAB_STORE_USER", SLAB_STORE_USER },
	{ "SLAB_CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS },
	{ "SLAB_CACHE_DMA", SLAB_CACHE_DMA }, { NULL, 0 },
};

static const char *const kmalloc_fields[] = { "cache", "class_size", NULL };

/* n positional values, then only the given keys; gfp= and flags= are flag sets. */
static int shape(const struct scope *sc, const struct stmt *s, size_t n,
		 const char *const *keys, struct scenario_error *err)
{
	if (s->nargs < n)
		return want_args(s, n, n + 3, err);
	for (size_t i = 0; i < n; i++)
		if (want_value(sc, s, i, err))
			return -1;
	if (want_keys(s, n, keys, err))
		return -1;
	for (size_t i = n; i < s->nargs; i++) {
		const struct arg *a = &s->args[i];
		int r = !strcmp(a->key, "gfp") ? flags_resolve(s, a->value, gfp_flags, err) :
			!strcmp(a->key, "flags") ? flags_resolve(s, a->value, slab_flags, err) :
			expr_resolve(sc, s, a->value, false, err);

		if (r)
			return -1;
	}
	return 0;
}

static uint64_t gfp_of(const struct stmt *s)
{
	return opt_value(s, "gfp") ? flags_eval(opt_value(s, "gfp"), gfp_flags) : GFP_KERNEL;
}

static enum step call(struct run_ctx *ctx, uint32_t code, uint64_t a0, uint64_t a1, uint64_t a2,
		      const char *data, struct guest_reply *reply, char *msg, size_t msglen)
{
	enum step st = call_guest(ctx, code, (uint64_t[6]){ a0, a1, a2 }, data,
				  data ? strlen(data) : 0, reply);

	if (st == STEP_OK && reply->status) {
		snprintf(msg, msglen, "the guest refused: error %lld", (long long)reply->status);
		st = STEP_FAILED;
	}
	return st;
}

static const char *const gfp_keys[] = { "gfp", NULL };

static int kmalloc_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return shape(sc, s, 1, gfp_keys, err);
}

static enum step kmalloc_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	struct guest_reply reply;
	const char *cache;
	size_t len;
	uint64_t size;
	char why[160];
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &size, msg, msglen);

	if (st == STEP_OK)
		st = call(ctx, VMM_REQ_KMALLOC, size, gfp_of(s), 0, NULL, &reply, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (reply_text(&reply, &cache, &len, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_KMALLOC, why);
	*result = value_num(reply.val[0]);
	if (value_add_field(result, "cache", value_text(cache, len)) ||
	    value_add_field(result, "class_size", value_num(reply.val[1]))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

static int one_value_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return want_args(s, 1, 1, err) ?: want_value(sc, s, 0, err);
}

/* A command with one number argument, sent as arg[0]. */
static enum step one_number(struct run_ctx *ctx, const struct stmt *s, uint32_t code,
			    struct guest_reply *reply, char *msg, size_t msglen)
{
	uint64_t v;
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &v, msg, msglen);

	return st == STEP_OK ? call(ctx, code, v, 0, 0, NULL, reply, msg, msglen) : st;
}

static enum step kfree_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	struct guest_reply reply;

	(void)result;
	return one_number(ctx, s, VMM_REQ_KFREE, &reply, msg, msglen);
}

static int krealloc_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return shape(sc, s, 2, gfp_keys, err);
}

static enum step krealloc_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			      char *msg, size_t msglen)
{
	struct guest_reply reply;
	uint64_t p, size;
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &p, msg, msglen);

	if (st == STEP_OK)
		st = eval_num(ctx, s->args[1].value, NULL, 0, &size, msg, msglen);
	if (st == STEP_OK)
		st = call(ctx, VMM_REQ_KREALLOC, p, size, gfp_of(s), NULL, &reply, msg, msglen);
	if (st == STEP_OK)
		*result = value_num(reply.val[0]);
	return st;
}

static int cache_create_resolve(const struct scope *sc, const struct stmt *s,
				struct scenario_error *err)
{
	static const char *const keys[] = { "align", "flags", NULL };

	if (shape(sc, s, 2, keys, err))
		return -1;
	if (s->args[0].value->kind != EXPR_WORD && s->args[0].value->kind != EXPR_STRING) {
		scenario_error_at(err, s, s->args[0].pos, "expected the cache's name");
		return -1;
	}
	return want_request_fits(s, 0, err);
}

static enum step cache_create_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				  char *msg, size_t msglen)
{
	struct guest_reply reply;
	uint64_t size, align;
	enum step st = eval_num(ctx, s->args[1].value, NULL, 0, &size, msg, msglen);

	if (st == STEP_OK)
		st = eval_num(ctx, opt_value(s, "align"), NULL, 0, &align, msg, msglen);
	if (st == STEP_OK)
		st = call(ctx, VMM_REQ_CACHE_CREATE, size, align,
			  opt_value(s, "flags") ? flags_eval(opt_value(s, "flags"), slab_flags) : 0,
			  s->args[0].value->str, &reply, msg, msglen);
	if (st == STEP_OK)
		*result = value_num(reply.val[0]);	/* the guest's id for the cache */
	return st;
}

static int cache_alloc_resolve(const struct scope *sc, const struct stmt *s,
			       struct scenario_error *err)
{
	return shape(sc, s, 1, gfp_keys, err);
}

static enum step cache_alloc_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				 char *msg, size_t msglen)
{
	struct guest_reply reply;
	uint64_t id;
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &id, msg, msglen);

	if (st == STEP_OK)
		st = call(ctx, VMM_REQ_CACHE_ALLOC, id, gfp_of(s), 0, NULL, &reply, msg, msglen);
	if (st == STEP_OK)
		*result = value_num(reply.val[0]);
	return st;
}

static int two_values_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return want_args(s, 2, 2, err) ?: want_value(sc, s, 0, err) ?: want_value(sc, s, 1, err);
}

static enum step cache_free_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				char *msg, size_t msglen)
{
	struct guest_reply reply;
	uint64_t id, obj;
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &id, msg, msglen);

	(void)result;
	if (st == STEP_OK)
		st = eval_num(ctx, s->args[1].value, NULL, 0, &obj, msg, msglen);
	return st == STEP_OK ? call(ctx, VMM_REQ_CACHE_FREE, id, obj, 0, NULL, &reply, msg, msglen) : st;
}

static enum step cache_destroy_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				   char *msg, size_t msglen)
{
	struct guest_reply reply;

	(void)result;
	return one_number(ctx, s, VMM_REQ_CACHE_DESTROY, &reply, msg, msglen);
}

static enum step cache_shrink_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
				  char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = one_number(ctx, s, VMM_REQ_CACHE_SHRINK, &reply, msg, msglen);

	if (st == STEP_OK)
		*result = value_num(reply.val[0]);
	return st;
}

static int vmalloc_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	static const char *const keys[] = { "zero", NULL };

	return shape(sc, s, 1, keys, err);
}

static enum step vmalloc_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	struct guest_reply reply;
	uint64_t size, zero;
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &size, msg, msglen);

	if (st == STEP_OK)
		st = eval_num(ctx, opt_value(s, "zero"), NULL, 0, &zero, msg, msglen);
	if (st == STEP_OK)
		st = call(ctx, VMM_REQ_VMALLOC, size, zero, 0, NULL, &reply, msg, msglen);
	if (st == STEP_OK)
		*result = value_num(reply.val[0]);
	return st;
}

static enum step vfree_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	struct guest_reply reply;

	(void)result;
	return one_number(ctx, s, VMM_REQ_VFREE, &reply, msg, msglen);
}

static int poke_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	static const char *const keys[] = { "count", NULL };

	return shape(sc, s, 2, keys, err);
}

static enum step poke_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen)
{
	struct guest_reply reply;
	uint64_t addr, byte, count;
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &addr, msg, msglen);

	(void)result;
	if (st == STEP_OK)
		st = eval_num(ctx, s->args[1].value, NULL, 0, &byte, msg, msglen);
	if (st == STEP_OK)
		st = eval_num(ctx, opt_value(s, "count"), NULL, 1, &count, msg, msglen);
	return st == STEP_OK ? call(ctx, VMM_REQ_POKE, addr, byte, count, NULL, &reply, msg, msglen) : st;
}

static const char *const slab_report_fields[] = {
	"kind", "cache", "object", "offset", "expected", "found", "text", NULL,
};

/* The last slab bug the guest reported; its value is how many there were. */
static enum step subject_slab_report(struct run_ctx *ctx, const struct expr *arg, struct value *out,
				     char *msg, size_t msglen)
{
	static const char *const kinds[] = VMM_SLAB_BUG_NAMES;
	const struct vmm_message *m = &ctx->last_slab;
	const char *text = ctx->last_slab_text, *colon = strstr(text, ": ");
	const char *kind = !ctx->slab_reports ? "none" :
			   m->val[1] < VMM_SLAB_BUG_NR ? kinds[m->val[1]] : "?";
	size_t cache_len = colon ? (size_t)(colon - text) : 0;

	(void)arg;
	*out = value_num(ctx->slab_reports);
	if (value_add_field(out, "kind", value_text(kind, strlen(kind))) ||
	    value_add_field(out, "cache", value_text(text, cache_len)) ||
	    value_add_field(out, "object", value_num(m->val[2])) ||
	    value_add_field(out, "offset", value_num(m->val[3])) ||
	    value_add_field(out, "expected", value_num(m->val[4])) ||
	    value_add_field(out, "found", value_num(m->val[5])) ||
	    value_add_field(out, "text", value_text(colon ? colon + 2 : text,
						    strlen(colon ? colon + 2 : text)))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}


static const struct command slab_commands[] = {
	COMMAND("kmalloc", "kmalloc SIZE [gfp=FLAGS]", kmalloc_fields, kmalloc_resolve, kmalloc_run),
	COMMAND("kfree", "kfree ADDR", NULL, one_value_resolve, kfree_run),
	COMMAND("krealloc", "krealloc ADDR SIZE [gfp=FLAGS]", NULL, krealloc_resolve, krealloc_run),
	COMMAND("kmem_cache_create", "kmem_cache_create NAME SIZE [align=N] [flags=SLAB_...]", NULL,
		cache_create_resolve, cache_create_run),
	COMMAND("kmem_cache_alloc", "kmem_cache_alloc CACHE [gfp=FLAGS]", NULL, cache_alloc_resolve,
		cache_alloc_run),
	COMMAND("kmem_cache_free", "kmem_cache_free CACHE OBJECT", NULL, two_values_resolve,
		cache_free_run),
	COMMAND("kmem_cache_destroy", "kmem_cache_destroy CACHE", NULL, one_value_resolve,
		cache_destroy_run),
	COMMAND("kmem_cache_shrink", "kmem_cache_shrink CACHE", NULL, one_value_resolve,
		cache_shrink_run),
	COMMAND("vmalloc", "vmalloc SIZE [zero=1]", NULL, vmalloc_resolve, vmalloc_run),
	COMMAND("vfree", "vfree ADDR", NULL, one_value_resolve, vfree_run),
	COMMAND("poke", "poke ADDR BYTE [count=N]", NULL, poke_resolve, poke_run),
};
COMMANDS(slab_commands);

static const struct subject slab_subjects[] = {
	SUBJECT("slabinfo", NULL, NULL,
		"slab caches, /proc/slabinfo 2.1 format",
		.request = VMM_REQ_SLABINFO),
	SUBJECT("vmallocinfo", NULL, NULL,
		"vmalloc areas, /proc/vmallocinfo format",
		.request = VMM_REQ_VMALLOCINFO),
	SUBJECT("slab_report", NULL, slab_report_fields,
		"the last slab bug the guest caught",
		.eval = subject_slab_report),
};
SUBJECTS(slab_subjects);
