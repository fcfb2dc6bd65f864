// SPDX-License-Identifier: MIT
/* The record of earlier runs: durations for --shard, outcomes for --rerun-failed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record.h"

#define MAX_MS		1000000000u	/* eleven days: more is a corrupt line */

const char *const outcome_names[NR_OUTCOMES] = {
	[OUTCOME_PASS] = "pass", [OUTCOME_SKIP] = "skip", [OUTCOME_FAIL] = "fail",
	[OUTCOME_TIMEOUT] = "timeout", [OUTCOME_CRASH] = "crash",
};

/* Index of name in rec, or where it would go as -index - 1. */
static long record_pos(const struct record *rec, const char *name)
{
	size_t lo = 0, hi = rec->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(rec->e[mid].name, name);

		if (!cmp)
			return mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(long)lo - 1;
}

const struct record_entry *record_find(const struct record *rec, const char *name)
{
	long pos = record_pos(rec, name);

	return pos >= 0 ? &rec->e[pos] : NULL;
}

void record_set(struct record *rec, const char *name, enum outcome outcome, unsigned ms)
{
	long pos = record_pos(rec, name);

	if (pos < 0) {
		pos = -pos - 1;
		if (rec->n == rec->cap) {
			rec->cap = rec->cap ? 2 * rec->cap : 64;
			rec->e = realloc(rec->e, rec->cap * sizeof(*rec->e));
			if (!rec->e)
				abort();
		}
		memmove(&rec->e[pos + 1], &rec->e[pos], (rec->n - pos) * sizeof(*rec->e));
		rec->e[pos].name = strdup(name);
		if (!rec->e[pos].name)
			abort();
		rec->n++;
	}
	rec->e[pos].outcome = outcome;
	rec->e[pos].ms = ms;
}

void record_free(struct record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		free(rec->e[i].name);
	free(rec->e);
	*rec = (struct record){ 0 };
}

/* "OUTCOME MS ACCEL PATH"; -1 if it is not that. */
static int record_line(struct record *rec, char *line)
{
	char *end, *name;
	unsigned long ms;
	int outcome;
	size_t len;

	len = strcspn(line, " ");
	for (outcome = 0; outcome < NR_OUTCOMES; outcome++) {
		const char *word = outcome_names[outcome];

		if (strlen(word) == len && !strncmp(line, word, len))
			break;
	}
	if (outcome == NR_OUTCOMES || line[len] != ' ')
		return -1;
	line += len + 1;
	if (*line < '0' || *line > '9')
		return -1;
	errno = 0;
	ms = strtoul(line, &end, 10);
	if (errno || ms > MAX_MS || *end != ' ')
		return -1;
	name = end + 1;
	/* ACCEL PATH: two words at least, no blank at either end. */
	len = strlen(name);
	if (!len || name[0] == ' ' || name[len - 1] == ' ' || !strchr(name, ' '))
		return -1;
	record_set(rec, name, outcome, ms);
	return 0;
}

int record_read(const char *path, struct record *rec, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	unsigned lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	struct stat st;
	ssize_t len;
	int ret = 0;
	FILE *f;

	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot read the record: %s", path,
			 fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	f = fdopen(fd, "r");
	if (!f)
		abort();
	while (!ret && (len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		if (strlen(line) != (size_t)len || record_line(rec, line)) {
			snprintf(err, errlen, "%s:%u: expected 'OUTCOME MILLISECONDS ACCEL PATH' "
				 "(OUTCOME: pass, skip, fail, timeout or crash)", path, lineno);
			ret = -1;
		}
	}
	free(line);
	fclose(f);
	if (ret)
		record_free(rec);
	return ret;
}

int record_write(const char *path, const struct record *rec, char *err, size_t errlen)
{
	char *tmp;
	FILE *f;
	int ret;

	if (asprintf(&tmp, "%s.%d.tmp", path, (int)getpid()) < 0)
		abort();
	f = fopen(tmp, "we");
	if (!f) {
		snprintf(err, errlen, "%s: cannot write the record: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fputs("# vmm test record: OUTCOME MILLISECONDS ACCEL PATH\n", f);
	for (size_t i = 0; i < rec->n; i++) {
		const struct record_entry *e = &rec->e[i];

		fprintf(f, "%s %u %s\n", outcome_names[e->outcome], e->ms, e->name);
	}
	ret = fflush(f) || ferror(f) ? -1 : 0;
	if (fclose(f))
		ret = -1;
	if (!ret && rename(tmp, path))
		ret = -1;
	if (ret) {
		snprintf(err, errlen, "%s: cannot write the record: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ret;
}
