// SPDX-License-Identifier: MIT
/* Scenario header lines, finding the scenarios, and choosing among them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/accel/accel.h"
#include "lib/kernel.h"
#include "select.h"

#define BLANKS		" \t"
#define MAX_LIMIT_S	86400

struct header_ctx {
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3))) bad(struct header_ctx *c, const char *fmt, ...)
{
	int n = snprintf(c->err, c->errlen, "%s:%u: ", c->path, c->line);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int expect_exit(struct header_ctx *c, struct scenario_headers *h, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end || n < 0 || n > 255)
		return bad(c, "expect-exit: '%s' is not an exit status (0 to 255)", v);
	h->expect_exit = n;
	return 0;
}

static int expect_output(struct header_ctx *c, struct scenario_headers *h, const char *v)
{
	if (!*v)
		return bad(c, "expect-output: no text");
	strv_push(&h->outputs, v);
	return 0;
}

static int vmm_args(struct header_ctx *c, struct scenario_headers *h, const char *v)
{
	if (!*v)
		return bad(c, "vmm-args: no options");
	strv_split(&h->args, v, BLANKS);
	return 0;
}

static bool env_name_ok(const char *s, size_t len)
{
	if (!len || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static int vmm_env(struct header_ctx *c, struct scenario_headers *h, const char *v)
{
	size_t first = h->env.n;

	strv_split(&h->env, v, BLANKS);
	if (first == h->env.n)
		return bad(c, "vmm-env: expected NAME=VALUE");
	for (size_t i = first; i < h->env.n; i++) {
		const char *eq = strchr(h->env.v[i], '=');

		if (!eq || !env_name_ok(h->env.v[i], eq - h->env.v[i]))
			return bad(c, "vmm-env: '%s' is not NAME=VALUE", h->env.v[i]);
	}
	return 0;
}

static int accel(struct header_ctx *c, struct scenario_headers *h, const char *v)
{
	size_t first = h->accels.n;

	strv_split(&h->accels, v, BLANKS ",");
	if (first == h->accels.n)
		return bad(c, "accel: no accelerator named");
	for (size_t i = first; i < h->accels.n; i++)
		if (!accel_find(h->accels.v[i]))
			return bad(c, "accel: no accelerator is called '%s'", h->accels.v[i]);
	return 0;
}

static bool group_name_ok(const char *s)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789_.-";

	return *s && strspn(s, allowed) == strlen(s);
}

static int group(struct header_ctx *c, struct scenario_headers *h, const char *v)
{
	size_t first = h->groups.n;

	strv_split(&h->groups, v, BLANKS ",");
	if (first == h->groups.n)
		return bad(c, "group: no group named");
	for (size_t i = first; i < h->groups.n; i++)
		if (!group_name_ok(h->groups.v[i]))
			return bad(c, "group: '%s' is not a group name "
				   "(letters, digits, '_', '.', '-')", h->groups.v[i]);
	return 0;
}

static int time_limit(struct header_ctx *c, struct scenario_headers *h, const char *v)
{
	char *end;
	double s = strtod(v, &end);

	if (end == v || *end || !(s > 0) || s > MAX_LIMIT_S)
		return bad(c, "time-limit: '%s' is not a number of seconds (up to %d)", v,
			   MAX_LIMIT_S);
	h->limit_ms = (unsigned)(s * 1000 + 0.5) ?: 1;
	return 0;
}

static const struct {
	const char *key;
	int (*parse)(struct header_ctx *c, struct scenario_headers *h, const char *value);
	bool once;
} header_keys[] = {
	{ "expect-exit", expect_exit, true },
	{ "expect-output", expect_output, false },
	{ "vmm-args", vmm_args, false },
	{ "vmm-env", vmm_env, false },
	{ "accel", accel, true },
	{ "group", group, false },
	{ "time-limit", time_limit, true },
};

/* One line: a header is "# KEY:" at its start; anything else is not ours. */
static int header_line(struct header_ctx *c, struct scenario_headers *h, char *line, unsigned *seen)
{
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		       line[len - 1] == ' ' || line[len - 1] == '\t'))
		line[--len] = '\0';
	if (strncmp(line, "# ", 2))
		return 0;
	line += 2;
	for (size_t i = 0; i < ARRAY_SIZE(header_keys); i++) {
		size_t klen = strlen(header_keys[i].key);

		if (strncmp(line, header_keys[i].key, klen) || line[klen] != ':')
			continue;
		if (header_keys[i].once && (*seen & (1u << i)))
			return bad(c, "%s: given twice", header_keys[i].key);
		*seen |= 1u << i;
		return header_keys[i].parse(c, h, line + klen + 1 + strspn(line + klen + 1, BLANKS));
	}
	return 0;
}

/* A regular file only: a FIFO given by mistake must not block the suite. */
static FILE *open_regular(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		abort();
	return f;
}

int headers_read(const char *path, struct scenario_headers *h, char *err, size_t errlen)
{
	struct header_ctx c = { .path = path, .err = err, .errlen = errlen };
	FILE *f = open_regular(path, err, errlen);
	unsigned seen = 0;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	*h = (struct scenario_headers){ .path = strdup(path) };
	if (!f || !h->path) {
		headers_free(h);
		return -1;
	}
	while (!ret && getline(&line, &cap, f) > 0) {
		c.line++;
		ret = header_line(&c, h, line, &seen);
	}
	if (!ret && ferror(f))
		ret = bad(&c, "read error: %s", strerror(errno));
	free(line);
	fclose(f);
	if (ret)
		headers_free(h);
	return ret;
}

void headers_free(struct scenario_headers *h)
{
	free(h->path);
	strv_free(&h->outputs);
	strv_free(&h->args);
	strv_free(&h->env);
	strv_free(&h->accels);
	strv_free(&h->groups);
	*h = (struct scenario_headers){ 0 };
}

static bool is_scenario(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 4 && !strcmp(name + len - 4, ".vmm");
}

/* Every *.vmm below dir; hidden entries are skipped. */
static int find_below(const char *dir, struct strv *found, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ret = 0;

	if (!d) {
		snprintf(err, errlen, "%s: cannot read: %s", dir, strerror(errno));
		return -1;
	}
	while (!ret && (e = readdir(d))) {
		struct stat st;
		char *path;

		if (e->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			abort();
		if (stat(path, &st))
			; /* a dangling link is not a scenario */
		else if (S_ISDIR(st.st_mode))
			ret = find_below(path, found, err, errlen);
		else if (S_ISREG(st.st_mode) && is_scenario(e->d_name))
			strv_push(found, path);
		free(path);
	}
	closedir(d);
	return ret;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int scenarios_find(char *const *paths, size_t npaths, struct strv *found, char *err, size_t errlen)
{
	size_t kept = 0;

	for (size_t i = 0; i < npaths; i++) {
		char *path = strdup(paths[i]);
		size_t len = strlen(path);
		struct stat st;
		int ret = 0;

		while (len > 1 && path[len - 1] == '/')
			path[--len] = '\0';
		if (stat(path, &st)) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			ret = -1;
		} else if (S_ISDIR(st.st_mode)) {
			size_t before = found->n;

			ret = find_below(path, found, err, errlen);
			if (!ret && found->n == before) {
				snprintf(err, errlen, "%s: no scenario (*.vmm) in it", path);
				ret = -1;
			}
		} else {
			strv_push(found, path);	/* headers_read() refuses what is not a file */
		}
		free(path);
		if (ret)
			return -1;
	}
	if (!found->n) {
		snprintf(err, errlen, "no scenario given");
		return -1;
	}
	qsort(found->v, found->n, sizeof(*found->v), by_name);
	for (size_t i = 0; i < found->n; i++) {
		if (kept && !strcmp(found->v[kept - 1], found->v[i]))
			free(found->v[i]);
		else
			found->v[kept++] = found->v[i];
	}
	found->n = kept;
	found->v[kept] = NULL;
	return 0;
}

static bool excluded(const char *pattern, const struct scenario_headers *h)
{
	const char *base = strrchr(h->path, '/');

	if (!fnmatch(pattern, h->path, 0) || !fnmatch(pattern, base ? base + 1 : h->path, 0))
		return true;
	for (size_t i = 0; i < h->groups.n; i++)
		if (!fnmatch(pattern, h->groups.v[i], 0))
			return true;
	return false;
}

bool selected(const struct selection *sel, const struct scenario_headers *h)
{
	bool in_group = !sel->groups.n;

	for (size_t i = 0; i < sel->groups.n && !in_group; i++)
		in_group = strv_has(&h->groups, sel->groups.v[i]);
	if (!in_group)
		return false;
	for (size_t i = 0; i < sel->excludes.n; i++)
		if (excluded(sel->excludes.v[i], h))
			return false;
	return true;
}
