/* SPDX-License-Identifier: MIT */
/*
 * Commands and subjects by subsystem; the tables in commands.c and
 * subjects.c list them.  Helpers shared by their argument checks are here
 * too.
 */
#ifndef HOST_COMMANDS_H
#define HOST_COMMANDS_H

#include "run.h"

/* Argument-shape helpers for resolve functions. */
int want_args(const struct stmt *s, size_t lo, size_t hi, struct scenario_error *err);
int want_value(const struct scenario *sc, const struct stmt *s, size_t i,
	       struct scenario_error *err);
/* Keyed arguments: each key must be one of keys; returns the arg or NULL. */
int want_keys(const struct stmt *s, size_t first, const char *const *keys,
	      struct scenario_error *err);
const struct arg *keyed_arg(const struct stmt *s, const char *key);
/* The value of option key, or NULL when it is not given. */
const struct expr *opt_value(const struct stmt *s, const char *key);
/* A literal text argument the request carries must fit its req_data. */
int want_request_fits(const struct stmt *s, size_t i, struct scenario_error *err);

/*
 * e's value, which must be a number, into *out; dflt when e is NULL (an
 * option not given).  key names the option in the error, if it is one.
 */
enum step eval_num(struct run_ctx *ctx, const struct expr *e, const char *key, uint64_t dflt,
		   uint64_t *out, char *msg, size_t msglen);

/* "plant, exit, ...": the commands that take a 'P:' prefix, for error messages. */
void process_command_names(char *buf, size_t size);

/* Text a guest request returns (iomem, buddyinfo, ...). */
enum step guest_text(struct run_ctx *ctx, uint32_t code, struct value *out,
		     char *msg, size_t msglen);

/* cmd_pages.c: the page allocator. */
extern const char *const alloc_pages_fields[];
int alloc_pages_resolve(const struct scenario *sc, const struct stmt *s,
			struct scenario_error *err);
enum step alloc_pages_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen);
int free_pages_resolve(const struct scenario *sc, const struct stmt *s,
		       struct scenario_error *err);
enum step free_pages_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			 char *msg, size_t msglen);
enum step drain_pages_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen);
extern const char *const zone_fields[];
enum step subject_zone(struct run_ctx *ctx, const struct expr *arg, struct value *out,
		       char *msg, size_t msglen);
enum step subject_buddyinfo(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			    char *msg, size_t msglen);
enum step subject_zoneinfo(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			   char *msg, size_t msglen);
enum step subject_bad_pages(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			    char *msg, size_t msglen);

extern const struct flag_name gfp_flags[];

/* cmd_slab.c: slab caches, kmalloc, vmalloc. */
extern const char *const kmalloc_fields[], *const slab_report_fields[];
int kmalloc_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int krealloc_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int one_value_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int two_values_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int cache_create_resolve(const struct scenario *sc, const struct stmt *s,
			 struct scenario_error *err);
int cache_alloc_resolve(const struct scenario *sc, const struct stmt *s,
			struct scenario_error *err);
int vmalloc_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int poke_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);

/* cmd_process.c: processes. */
bool process_defined(const struct scenario *sc, const struct stmt *s, const char *name);
struct proc *proc_find(struct run_ctx *ctx, const char *name);
/* The process, alive; else NULL with why in msg (exited, or never created). */
struct proc *live_proc(struct run_ctx *ctx, const char *name, char *msg, size_t msglen);
/* Linux's name of a signal (code 0) or of one of its si_codes; NULL if unnamed. */
const char *signal_name(int signo, int code);
extern const char *const touch_fields[], *const syscall_fields[];
extern const char *const process_fields[], *const process_calls[];
extern const char *const pte_fields[], *const vma_fields[], *const smaps_fields[];
int spawn_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int fork_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int touch_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int mmap_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int munmap_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int mprotect_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int brk_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
#define PROCESS_RUN(name) \
	enum step name(struct run_ctx *ctx, const struct stmt *s, struct value *result, \
		       char *msg, size_t msglen)
PROCESS_RUN(spawn_run);
PROCESS_RUN(fork_run);
PROCESS_RUN(exit_run);
PROCESS_RUN(touch_run);
PROCESS_RUN(mmap_run);
PROCESS_RUN(munmap_run);
PROCESS_RUN(mprotect_run);
PROCESS_RUN(brk_run);
PROCESS_RUN(kmalloc_run);
PROCESS_RUN(kfree_run);
PROCESS_RUN(krealloc_run);
PROCESS_RUN(cache_create_run);
PROCESS_RUN(cache_alloc_run);
PROCESS_RUN(cache_free_run);
PROCESS_RUN(cache_destroy_run);
PROCESS_RUN(cache_shrink_run);
PROCESS_RUN(vmalloc_run);
PROCESS_RUN(vfree_run);
PROCESS_RUN(poke_run);
#define SUBJECT_EVAL(name) \
	enum step name(struct run_ctx *ctx, const struct expr *arg, struct value *out, \
		       char *msg, size_t msglen)
SUBJECT_EVAL(subject_slabinfo);
SUBJECT_EVAL(subject_vmallocinfo);
SUBJECT_EVAL(subject_slab_report);
/* A.field or A.call(arg): arg NULL for fields. */
enum step process_subject(struct run_ctx *ctx, const char *name, const char *field,
			  const struct expr *arg, struct value *out, char *msg, size_t msglen);

#endif
