// SPDX-License-Identifier: MIT
/* The names a statement may use (scope.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "scope.h"

static size_t name_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot of name, or the empty slot where it would go; cap is a power of two. */
static struct scope_entry *slot_of(const struct scope *sc, const char *name)
{
	size_t i = name_hash(name) & (sc->cap - 1);

	while (sc->slot[i].name && strcmp(sc->slot[i].name, name))
		i = (i + 1) & (sc->cap - 1);
	return &sc->slot[i];
}

static const struct scope_entry *lookup(const struct scope *sc, const char *name)
{
	const struct scope_entry *e = sc->cap ? slot_of(sc, name) : NULL;

	return e && e->name ? e : NULL;
}

const struct command *scope_binder(const struct scope *sc, const char *name)
{
	const struct scope_entry *e = sc ? lookup(sc, name) : NULL;

	return e ? e->binder : NULL;
}

bool scope_has_process(const struct scope *sc, const char *name)
{
	const struct scope_entry *e = sc ? lookup(sc, name) : NULL;

	return e && e->process;
}

static bool grow(struct scope *sc)
{
	struct scope old = *sc;

	sc->cap = old.cap ? 2 * old.cap : 64;
	sc->slot = calloc(sc->cap, sizeof(*sc->slot));
	if (!sc->slot) {
		*sc = old;
		return false;
	}
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].name)
			*slot_of(sc, old.slot[i].name) = old.slot[i];
	free(old.slot);
	return true;
}

static struct scope_entry *entry(struct scope *sc, const char *name)
{
	struct scope_entry *e;

	if (2 * (sc->count + 1) > sc->cap && !grow(sc))
		return NULL;
	e = slot_of(sc, name);
	if (!e->name) {
		e->name = strdup(name);
		if (!e->name)
			return NULL;
		sc->count++;
	}
	return e;
}

bool scope_enter(struct scope *sc, const struct stmt *s)
{
	const struct command *c = s->kind == STMT_COMMAND ? command_find(s->name) : NULL;
	const struct arg *last = s->nargs ? &s->args[s->nargs - 1] : NULL;
	struct scope_entry *e;

	if (s->bind) {
		e = entry(sc, s->bind);
		if (!e)
			return false;
		e->binder = c;
	}
	if (c && c->defines_process && last && last->kind == ARG_VALUE &&
	    last->value->kind == EXPR_WORD) {
		e = entry(sc, last->value->str);
		if (!e)
			return false;
		e->process = true;
	}
	return true;
}

void scope_free(struct scope *sc)
{
	for (size_t i = 0; i < sc->cap; i++)
		free(sc->slot[i].name);
	free(sc->slot);
	memset(sc, 0, sizeof(*sc));
}
