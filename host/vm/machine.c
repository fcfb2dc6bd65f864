// SPDX-License-Identifier: MIT
/* The vm line: option table, parsing, validation. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kernel.h"
#include "machine.h"

int parse_size(const char *s, uint64_t *out)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	/* Decimal or 0x hex, as in the scenario language: no octal, no sign, no blanks. */
	if (!isdigit((unsigned char)s[0]) || (hex && !isxdigit((unsigned char)s[2])))
		return -1;
	errno = 0;
	v = strtoull(hex ? s + 2 : s, &end, hex ? 16 : 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int set_error(struct scenario_error *err, const struct vm_option *o, const struct stmt *s,
		     const char *fmt)
{
	scenario_error_at(err, s, o->value_pos, fmt, o->key, o->value);
	return -1;
}

static int opt_memory(struct machine *m, const struct vm_option *o, const struct stmt *s,
		      struct scenario_error *err)
{
	if (parse_size(o->value, &m->memory))
		return set_error(err, o, s, "%s=%s: expected a size such as 64M or 1G");
	if (m->memory < MACHINE_MIN_MEMORY || m->memory > MACHINE_MAX_MEMORY ||
	    m->memory % 4096)
		return set_error(err, o, s,
				 "%s=%s: memory must be a multiple of 4K between 4M and 64G");
	return 0;
}

static int opt_seed(struct machine *m, const struct vm_option *o, const struct stmt *s,
		    struct scenario_error *err)
{
	if (parse_size(o->value, &m->seed) || strpbrk(o->value, "KMG"))
		return set_error(err, o, s, "%s=%s: expected a number");
	return 0;
}

/* zones=dma:16M,dma32:48M (either part may be left out). */
static int opt_zones(struct machine *m, const struct vm_option *o, const struct stmt *s,
		     struct scenario_error *err)
{
	char buf[128], *save = NULL;

	if (strlen(o->value) >= sizeof(buf))
		return set_error(err, o, s, "%s=%s: too long");
	strcpy(buf, o->value);
	if (!buf[0] || buf[0] == ',' || strstr(buf, ",,") || buf[strlen(buf) - 1] == ',')
		return set_error(err, o, s, "%s=%s: an empty part; expected dma:SIZE,dma32:SIZE");
	for (char *part = strtok_r(buf, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(part, ':');
		uint64_t *end = NULL, size;

		if (colon && colon - part == 3 && !strncmp(part, "dma", 3))
			end = &m->zone_dma_end;
		else if (colon && colon - part == 5 && !strncmp(part, "dma32", 5))
			end = &m->zone_dma32_end;
		if (!end || parse_size(colon + 1, &size) || size % 4096)
			return set_error(err, o, s, "%s=%s: expected dma:SIZE,dma32:SIZE "
					 "with sizes in whole pages, such as dma:16M,dma32:48M");
		*end = size;
	}
	if (m->zone_dma_end > m->zone_dma32_end)
		return set_error(err, o, s, "%s=%s: ZONE_DMA must end before ZONE_DMA32 does");
	return 0;
}

/* slab_debug=FZPUTAO-[,cache...][;...]: Linux's letters; the guest parses it, as Linux does. */
static int opt_slab_debug(struct machine *m, const struct vm_option *o, const struct stmt *s,
			  struct scenario_error *err)
{
	(void)m;
	if (strspn(o->value, "FZPUTAO-,;*_abcdefghijklmnopqrstuvwxyz0123456789") != strlen(o->value))
		return set_error(err, o, s, "%s=%s: expected Linux's letters F, Z, P, U, T, A, O "
				 "or -, optionally followed by ,cache names");
	return 0;
}

static const struct {
	const char *key;
	int (*apply)(struct machine *, const struct vm_option *, const struct stmt *,
		     struct scenario_error *);
} options[] = {
	{ "memory", opt_memory },
	{ "seed", opt_seed },
	{ "zones", opt_zones },
	{ "slab_debug", opt_slab_debug },
};

static int apply_option(struct machine *m, const struct stmt *s, const struct vm_option *o,
			struct scenario_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (!strcmp(o->key, options[i].key))
			return options[i].apply(m, o, s, err);
	scenario_error_at(err, s, o->pos, "unknown vm option '%s' (known: memory, seed, zones, slab_debug)", o->key);
	return -1;
}

/* The options of one vm line, appended to the kernel command line at *used. */
static int configure_vm_line(struct machine *m, const struct stmt *s, size_t *used,
			     struct scenario_error *err)
{
	for (size_t j = 0; j < s->noptions; j++) {
		const struct vm_option *o = &s->options[j];
		size_t room = sizeof(m->bootargs) - *used;
		int n;

		for (size_t k = 0; k < j; k++)
			if (!strcmp(s->options[k].key, o->key)) {
				scenario_error_at(err, s, o->pos, "%s is given twice", o->key);
				return -1;
			}
		if (apply_option(m, s, o, err))
			return -1;
		n = snprintf(m->bootargs + *used, room, "%s%s=%s", *used ? " " : "", o->key,
			     o->value);
		if (n < 0 || (size_t)n >= room) {
			scenario_error_at(err, s, o->pos, "vm line longer than %zu bytes",
					  sizeof(m->bootargs) - 1);
			return -1;
		}
		*used += n;
	}
	return 0;
}

int machine_configure(struct scenario *sc, struct machine *m, struct scenario_error *err)
{
	size_t used = 0;
	long n = scenario_first(sc, SCENARIO_WINDOW, err);

	*m = (struct machine){
		.memory = MACHINE_DEFAULT_MEMORY,
		.zone_dma_end = MACHINE_DMA_END,
		.zone_dma32_end = MACHINE_DMA32_END,
	};
	for (; n > 0; n = scenario_next(sc, SCENARIO_WINDOW, err))
		for (size_t i = 0; i < sc->nstmts; i++)
			if (sc->stmts[i].kind == STMT_VM &&
			    configure_vm_line(m, &sc->stmts[i], &used, err))
				return -1;
	return n < 0 ? -1 : 0;
}
