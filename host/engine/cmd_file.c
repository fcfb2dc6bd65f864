// SPDX-License-Identifier: MIT
/*
 * Files in scenarios:
 *   file "/data" size=16K fill=0x41        file "/p" size=8K fill=page
 *   file "/t" text="hello\n"               (the guest's in-memory file system)
 *   A: fd = open "/data" [flags=O_RDWR]    A: close $fd
 *   A: read $fd ADDR LEN                   A: write $fd ADDR LEN
 *   A: ftruncate $fd LEN                   A: st = fstat $fd
 *   A: lseek $fd OFFSET SEEK_SET           A: unlink "/data"
 *   A: msync ADDR LEN [flags=MS_SYNC]
 * and the subject meminfo.  Every call but `file` is the process's own
 * system call, made by its user program in ring 3; a path or a struct stat
 * travels on its user stack.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "eval.h"
#include "registry.h"
#include "syscall.h"
#include "vm/guest.h"
#include "vm/reply.h"
#include "shared/channel.h"
#include "shared/fcntl.h"
#include "shared/unistd.h"

static const struct flag_name open_flags[] = {
	{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR },
	{ "O_CREAT", O_CREAT }, { "O_EXCL", O_EXCL }, { "O_TRUNC", O_TRUNC },
	{ "O_APPEND", O_APPEND }, { NULL, 0 },
};

static const struct flag_name seek_whence[] = {
	{ "SEEK_SET", SEEK_SET }, { "SEEK_CUR", SEEK_CUR }, { "SEEK_END", SEEK_END },
	{ "SEEK_DATA", SEEK_DATA }, { "SEEK_HOLE", SEEK_HOLE }, { NULL, 0 },
};

static const struct flag_name msync_flags[] = {
	{ "MS_ASYNC", MS_ASYNC }, { "MS_INVALIDATE", MS_INVALIDATE }, { "MS_SYNC", MS_SYNC },
	{ NULL, 0 },
};

/* The longest path the guest's directory holds (guest/include/linux/fs.h INODE_NAME_MAX). */
#define PATH_MAX_GUEST	63

static int want_path(const struct stmt *s, size_t i, struct scenario_error *err)
{
	const struct expr *e = i < s->nargs ? s->args[i].value : NULL;

	if (!e || s->args[i].kind != ARG_VALUE || e->kind != EXPR_STRING || e->str[0] != '/') {
		scenario_error_at(err, s, i < s->nargs ? s->args[i].pos : s->name_pos,
				  "expected a path in quotes, as in \"/data\"");
		return -1;
	}
	if (strlen(e->str) > PATH_MAX_GUEST) {
		scenario_error_at(err, s, s->args[i].pos, "a path of at most %d bytes",
				  PATH_MAX_GUEST);
		return -1;
	}
	return 0;
}

/* ---- file: a file made by the scenario ----------------------------------------- */

static const char *const file_fields[] = { "ino", NULL };

static int file_resolve(const struct scope *sc, const struct stmt *s,
			struct scenario_error *err)
{
	static const char *const keys[] = { "size", "fill", "text", NULL };
	const struct arg *fill = keyed_arg(s, "fill"), *text = keyed_arg(s, "text");
	const struct arg *size = keyed_arg(s, "size");

	if (want_path(s, 0, err) || want_keys(s, 1, keys, err))
		return -1;
	if (fill && text) {
		scenario_error_at(err, s, text->pos, "fill= or text=, not both");
		return -1;
	}
	if (text && (text->value->kind != EXPR_STRING ||
		     strlen(text->value->str) > VMM_MAILBOX_DATA_SIZE)) {
		scenario_error_at(err, s, text->pos, "text= takes a string of at most %u bytes",
				  VMM_MAILBOX_DATA_SIZE);
		return -1;
	}
	if (fill && fill->value->kind == EXPR_WORD && !strcmp(fill->value->str, "page"))
		fill = NULL;
	return (size ? expr_resolve(sc, s, size->value, false, err) : 0) ?:
	       (fill ? expr_resolve(sc, s, fill->value, false, err) : 0);
}

static enum step file_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen)
{
	const struct arg *fill = keyed_arg(s, "fill"), *text = keyed_arg(s, "text");
	const char *path = s->args[0].value->str;
	size_t tlen = text ? strlen(text->value->str) : 0;
	uint64_t how = text ? VMM_FILL_DATA : VMM_FILL_BYTE, byte = 0, size;
	struct guest_reply reply;
	enum step st = eval_num(ctx, opt_value(s, "size"), "size", tlen, &size, msg, msglen);

	if (st == STEP_OK && fill && fill->value->kind == EXPR_WORD &&
	    !strcmp(fill->value->str, "page"))
		how = VMM_FILL_PAGE_INDEX;
	else if (st == STEP_OK && fill)
		st = eval_num(ctx, fill->value, "fill", 0, &byte, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (byte > 0xff) {
		snprintf(msg, msglen, "fill= takes a byte, not %#llx", (unsigned long long)byte);
		return STEP_FAILED;
	}
	if (tlen && guest_write_data(&ctx->g, text->value->str, tlen)) {
		snprintf(msg, msglen, "the text does not fit the mailbox");
		return STEP_FAILED;
	}
	st = call_guest(ctx, VMM_REQ_FILE_CREATE, (uint64_t[6]){ size, how, byte, tlen }, path,
			(uint32_t)strlen(path), &reply);
	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest could not make %s: error %lld", path,
			 (long long)reply.status);
		return STEP_FAILED;
	}
	*result = value_num(reply.val[0]);
	if (value_add_field(result, "ino", value_num(reply.val[0]))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

/* ---- the system calls ----------------------------------------------------------- */


/* Positional arguments first..n-1 must be values; keys as given. */
static int values_resolve(const struct scope *sc, const struct stmt *s, size_t n,
			  const char *const *keys, struct scenario_error *err)
{
	if (s->nargs < n)
		return want_args(s, n, n + 1, err);
	for (size_t i = 0; i < n; i++)
		if (want_value(sc, s, i, err))
			return -1;
	return want_keys(s, n, keys, err);
}

static int open_resolve(const struct scope *sc, const struct stmt *s,
			struct scenario_error *err)
{
	static const char *const keys[] = { "flags", NULL };
	const struct arg *flags = keyed_arg(s, "flags");

	(void)sc;
	return want_path(s, 0, err) ?: want_keys(s, 1, keys, err) ?:
	       (flags ? flags_resolve(s, flags->value, open_flags, err) : 0);
}

/* A system call whose first argument is the statement's path, on the user stack. */
static enum step path_syscall(struct run_ctx *ctx, const struct stmt *s, unsigned int nr,
			      uint64_t args[6], struct value *result, char *msg, size_t msglen)
{
	char path[PATH_MAX_GUEST + 1];
	struct syscall_buf buf = { path, strlen(s->args[0].value->str) + 1, 0 };

	memcpy(path, s->args[0].value->str, buf.len);
	return process_syscall(ctx, s, nr, args, &buf, result, msg, msglen);
}

static enum step open_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen)
{
	const struct arg *flags = keyed_arg(s, "flags");
	uint64_t args[6] = { 0, flags ? flags_eval(flags->value, open_flags) : O_RDONLY };

	return path_syscall(ctx, s, __NR_open, args, result, msg, msglen);
}

static int unlink_resolve(const struct scope *sc, const struct stmt *s,
			  struct scenario_error *err)
{
	(void)sc;
	return want_args(s, 1, 1, err) ?: want_path(s, 0, err);
}

static enum step unlink_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			    char *msg, size_t msglen)
{
	uint64_t args[6] = { 0 };

	return path_syscall(ctx, s, __NR_unlink, args, result, msg, msglen);
}

static int one_resolve(const struct scope *sc, const struct stmt *s,
		       struct scenario_error *err)
{
	return want_args(s, 1, 1, err) ?: want_value(sc, s, 0, err);
}

static const char *const fstat_fields[] = {
	"errno", "size", "ino", "dev", "mode", "nlink", "rdev", "blocks", NULL,
};

static enum step fstat_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	struct linux_stat st_buf = { 0 };
	struct syscall_buf buf = { &st_buf, sizeof(st_buf), 1 };
	uint64_t args[6] = { 0 };
	enum step st = eval_positional(ctx, s, 1, args, msg, msglen);
	static const char *const names[] = { "size", "ino", "dev", "mode", "nlink", "rdev", "blocks" };
	uint64_t vals[ARRAY_SIZE(names)];

	if (st == STEP_OK)
		st = process_syscall(ctx, s, __NR_fstat, args, &buf, result, msg, msglen);
	if (st != STEP_OK)
		return st;
	/* The guest's bytes, whatever they are: numbers only, nothing to bound. */
	vals[0] = (uint64_t)st_buf.st_size;
	vals[1] = st_buf.st_ino;
	vals[2] = st_buf.st_dev;
	vals[3] = st_buf.st_mode;
	vals[4] = st_buf.st_nlink;
	vals[5] = st_buf.st_rdev;
	vals[6] = (uint64_t)st_buf.st_blocks;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (value_add_field(result, names[i], value_num(vals[i]))) {
			snprintf(msg, msglen, "out of memory");
			return STEP_FAILED;
		}
	}
	return STEP_OK;
}

static int msync_resolve(const struct scope *sc, const struct stmt *s,
			 struct scenario_error *err)
{
	static const char *const keys[] = { "flags", NULL };
	const struct arg *flags = keyed_arg(s, "flags");

	return values_resolve(sc, s, 2, keys, err) ?:
	       (flags ? flags_resolve(s, flags->value, msync_flags, err) : 0);
}

static enum step msync_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	const struct arg *flags = keyed_arg(s, "flags");
	uint64_t args[6] = { 0 };
	enum step st = eval_positional(ctx, s, 2, args, msg, msglen);

	args[2] = flags ? flags_eval(flags->value, msync_flags) : MS_SYNC;
	return st == STEP_OK ? process_syscall(ctx, s, __NR_msync, args, NULL, result, msg,
					       msglen) : st;
}


static const struct command file_commands[] = {
	COMMAND("file", "file \"/PATH\" [size=N] [fill=BYTE|page | text=\"...\"]", file_fields,
		file_resolve, file_run),
	COMMAND("open", "P: open \"/PATH\" [flags=O_...]", syscall_fields, open_resolve,
		open_run, .in_process = true),
	SYSCALL_COMMAND("close", "P: close FD", __NR_close, 1, NULL),
	SYSCALL_COMMAND("read", "P: read FD ADDR LEN", __NR_read, 3, NULL),
	SYSCALL_COMMAND("write", "P: write FD ADDR LEN", __NR_write, 3, NULL),
	SYSCALL_COMMAND("ftruncate", "P: ftruncate FD LEN", __NR_ftruncate, 2, NULL),
	SYSCALL_COMMAND("lseek", "P: lseek FD OFFSET SEEK_...", __NR_lseek, 2, seek_whence),
	COMMAND("unlink", "P: unlink \"/PATH\"", syscall_fields, unlink_resolve, unlink_run,
		.in_process = true),
	COMMAND("fstat", "P: fstat FD", fstat_fields, one_resolve, fstat_run,
		.in_process = true),
	COMMAND("msync", "P: msync ADDR LEN [flags=MS_...]", syscall_fields, msync_resolve,
		msync_run, .in_process = true),
};
COMMANDS(file_commands);

static const struct subject file_subjects[] = {
	SUBJECT("meminfo", NULL, NULL,
		"the page cache and mapped memory, /proc/meminfo lines (Cached, Dirty, AnonPages, "
		"Mapped, Shmem)",
		.request = VMM_REQ_MEMINFO),
};
SUBJECTS(file_subjects);
