/* SPDX-License-Identifier: MIT */
/*
 * What a statement may name, at resolve time: the $names the statements
 * before it bound (and to which command's result) and the processes they
 * created.  Resolving walks the file once, in order, entering each
 * statement after resolving it, so a lookup costs the same on line 10 and
 * on line 8,000,000.
 */
#ifndef HOST_ENGINE_SCOPE_H
#define HOST_ENGINE_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/scenario.h"

struct command;

struct scope_entry {
	char *name;				/* owned; NULL: an empty slot */
	const struct command *binder;		/* `name = command ...`, the last one */
	bool process;				/* spawn or fork created it */
};

struct scope {
	struct scope_entry *slot;		/* open addressing */
	size_t cap, count;
};

/* The command whose result $name holds, or NULL if nothing bound it yet. */
const struct command *scope_binder(const struct scope *sc, const char *name);
/* Did an earlier statement create process name? */
bool scope_has_process(const struct scope *sc, const char *name);
/* Enter what s defines; false when out of memory. */
bool scope_enter(struct scope *sc, const struct stmt *s);
void scope_free(struct scope *sc);

#endif
