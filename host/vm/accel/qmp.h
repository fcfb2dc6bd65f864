/* SPDX-License-Identifier: MIT */
/*
 * QEMU's monitor protocol (QMP), the parts vmm reads: one JSON object per
 * line, either a greeting, a command's return or error, or an event.  Pure
 * parsing, no I/O, so that it is tested without a QEMU; tcg.c talks.
 */
#ifndef HOST_ACCEL_QMP_H
#define HOST_ACCEL_QMP_H

#include <stdbool.h>
#include <stddef.h>

#include "accel.h"

enum qmp_kind { QMP_UNKNOWN, QMP_GREETING, QMP_RETURN, QMP_ERROR, QMP_EVENT };

struct qmp_msg {
	enum qmp_kind kind;
	char event[32];		/* QMP_EVENT: its name */
	char *text;		/* QMP_RETURN of a string: unescaped, NUL-ended; or NULL */
	char reason[32];	/* SHUTDOWN: data.reason ("guest-reset" for a triple fault) */
	int version[3];		/* QMP_GREETING: QEMU's major, minor, micro */
};

/* Parse one line; -1 if it is not a JSON object.  msg->text must be freed. */
int qmp_parse(const char *line, struct qmp_msg *msg);
void qmp_msg_free(struct qmp_msg *msg);

/*
 * The registers in HMP `info registers` text; *halted from its HLT= flag.
 * -1 if RIP or CR3 is missing.
 */
int qmp_parse_registers(const char *text, struct cpu_regs *r, bool *halted);

#endif
