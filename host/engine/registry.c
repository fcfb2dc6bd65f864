// SPDX-License-Identifier: MIT
/* The registered tables of commands and subjects (registry.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

/* One per subsystem file; a new file that overflows this is caught at start. */
#define MAX_TABLES	16

struct table {
	const void *rows;
	size_t n;
};

static struct table command_tables[MAX_TABLES], subject_tables[MAX_TABLES];
static size_t ncommand_tables, nsubject_tables;
static const struct process_subject *the_process_subject;

static void table_add(struct table *tables, size_t *n, const void *rows, size_t nrows)
{
	if (*n == MAX_TABLES) {
		fprintf(stderr, "vmm: more than %d command or subject tables\n", MAX_TABLES);
		abort();
	}
	tables[(*n)++] = (struct table){ rows, nrows };
}

void commands_register(const struct command *table, size_t n)
{
	table_add(command_tables, &ncommand_tables, table, n);
}

void subjects_register(const struct subject *table, size_t n)
{
	table_add(subject_tables, &nsubject_tables, table, n);
}

void process_subject_register(const struct process_subject *ps)
{
	the_process_subject = ps;
}

const struct process_subject *process_subject(void)
{
	return the_process_subject;
}

const struct command *command_find(const char *name)
{
	for (size_t t = 0; t < ncommand_tables; t++) {
		const struct command *c = command_tables[t].rows;

		for (size_t i = 0; i < command_tables[t].n; i++)
			if (!strcmp(c[i].name, name))
				return &c[i];
	}
	return NULL;
}

const struct subject *subject_find(const char *name)
{
	for (size_t t = 0; t < nsubject_tables; t++) {
		const struct subject *s = subject_tables[t].rows;

		for (size_t i = 0; i < subject_tables[t].n; i++)
			if (!strcmp(s[i].name, name))
				return &s[i];
	}
	return NULL;
}

static size_t name_add(char *buf, size_t size, size_t used, const char *name)
{
	if (used >= size)
		return used;
	return used + snprintf(buf + used, size - used, "%s%s", used ? ", " : "", name);
}

void command_names(char *buf, size_t size, bool in_process_only)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t t = 0; t < ncommand_tables; t++) {
		const struct command *c = command_tables[t].rows;

		for (size_t i = 0; i < command_tables[t].n; i++)
			if (!in_process_only || c[i].in_process)
				used = name_add(buf, size, used, c[i].name);
	}
}

void subject_names(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t t = 0; t < nsubject_tables; t++) {
		const struct subject *s = subject_tables[t].rows;

		for (size_t i = 0; i < subject_tables[t].n; i++)
			used = name_add(buf, size, used, s[i].name);
	}
}
