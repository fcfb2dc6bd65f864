// SPDX-License-Identifier: MIT
/* Where a case's log goes, and reading its end back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "select.h"

int make_dirs(const char *path)
{
	char *p = strdup(path);
	int ret = 0;

	if (!p)
		abort();
	for (char *s = p + 1; ; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST)
			ret = -1;
		*s = c;
		if (ret || !c)
			break;
	}
	free(p);
	return ret;
}

/* path, made to stay below the log folder: no leading '/', no "..", no ".vmm". */
static char *log_name(const char *path)
{
	size_t len = strlen(path);
	char *name = malloc(len + 8), *out = name;

	if (!name)
		abort();
	if (len > 4 && !strcmp(path + len - 4, ".vmm"))
		len -= 4;
	for (size_t i = 0; i < len; ) {
		size_t part = strcspn(path + i, "/");

		if (part > len - i)
			part = len - i;
		if (part == 2 && !strncmp(path + i, "..", 2)) {
			out = stpcpy(out, "__/");
		} else if (part && !(part == 1 && path[i] == '.')) {
			memcpy(out, path + i, part);
			out += part;
			*out++ = '/';
		}
		i += part + 1;
	}
	if (out > name)
		out--;			/* the last '/' */
	else
		out = stpcpy(out, "_");
	*out = '\0';
	return name;
}

char *log_path(const char *dir, const struct suite_case *k, char *err, size_t errlen)
{
	char *name = log_name(k->hdr->path), *path, *slash;

	if (k->repeat > 1 ? asprintf(&path, "%s/%s/%s.%u.log", dir, k->accel, name, k->repeat) < 0 :
			    asprintf(&path, "%s/%s/%s.log", dir, k->accel, name) < 0)
		abort();
	free(name);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (make_dirs(path)) {
		snprintf(err, errlen, "%s: cannot make the log folder: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	*slash = '/';
	return path;
}

void log_tail_read(const char *path, size_t max, struct log_tail *t)
{
	FILE *f = path ? fopen(path, "re") : NULL;
	char *ring[LOG_TAIL_MAX] = { 0 };
	size_t n = 0, cap = 0;
	char *line = NULL;
	ssize_t len;

	*t = (struct log_tail){ 0 };
	if (max > LOG_TAIL_MAX)
		max = LOG_TAIL_MAX;
	if (!f || !max) {
		if (f)
			fclose(f);
		return;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		free(ring[n % max]);
		ring[n % max] = strndup(line, len - (line[len - 1] == '\n'));
		n++;
	}
	free(line);
	fclose(f);
	t->before = n > max ? n - max : 0;
	for (size_t i = t->before; i < n; i++)
		t->lines[t->n++] = ring[i % max];
}

void log_tail_free(struct log_tail *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->lines[i]);
	*t = (struct log_tail){ 0 };
}
