// SPDX-License-Identifier: MIT
/*
 * `vmm test` without a guest: header lines and their errors, finding and
 * selecting scenarios, shards (every case in exactly one, whatever the
 * record), the record file, the process pool (time limits that kill a
 * whole process group, at most -j at a time) and whole suites judged and
 * added up, against tests/unit/fake-vmm.sh, a shell script that does what
 * each scenario's "# fake-...:" lines say.  The JUnit files are checked
 * with xmllint, and a merge of four shards' files against the file of the
 * whole suite.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_fast.h"
#include "check_main.h"
#include "host/lib/kernel.h"
#include "host/suite/jobs.h"
#include "host/suite/judge.h"
#include "host/suite/log.h"
#include "host/suite/record.h"
#include "host/suite/select.h"
#include "host/suite/shard.h"
#include "host/suite/suite.h"

#define FAKE_VMM	"tests/unit/fake-vmm.sh"

static char dir[64];

static void make_tmpdir(void)
{
	unsetenv("FAKE_ACCELS");
	strcpy(dir, "/tmp/test_suite.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* dir/name, made with the text given (and its folders). */
static char *put(const char *name, const char *text)
{
	static char paths[8][256];
	static unsigned next;
	char *path = paths[next++ % ARRAY_SIZE(paths)];
	FILE *f;

	snprintf(path, sizeof(paths[0]), "%s/%s", dir, name);
	*strrchr(path, '/') = '\0';
	ck_assert_int_eq(make_dirs(path), 0);
	path[strlen(path)] = '/';
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static char *slurp(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ---- header lines ----------------------------------------------------------- */

START_TEST(headers_all_keys)
{
	struct scenario_headers h;
	char err[512];
	char *path;

	make_tmpdir();
	path = put("a.vmm", "# A comment: not a header.\n"
			    "# expect-exit: 3\n"
			    "# expect-output: one thing\n"
			    "# expect-output: another  \n"
			    "# vmm-args: --timeout 1 --tap\n"
			    "# vmm-env: A=1 B=x=y\n"
			    "# accel: kvm, tcg\n"
			    "# group: slab quick\n"
			    "# time-limit: 2.5\n"
			    "vm\n");
	ck_assert_int_eq(headers_read(path, &h, err, sizeof(err)), 0);
	ck_assert_str_eq(h.path, path);
	ck_assert_int_eq(h.expect_exit, 3);
	ck_assert_uint_eq(h.outputs.n, 2);
	ck_assert_str_eq(h.outputs.v[1], "another");
	ck_assert_uint_eq(h.args.n, 3);
	ck_assert_str_eq(h.args.v[1], "1");
	ck_assert_uint_eq(h.env.n, 2);
	ck_assert_str_eq(h.env.v[1], "B=x=y");
	ck_assert(strv_has(&h.accels, "kvm") && strv_has(&h.accels, "tcg"));
	ck_assert(strv_has(&h.groups, "slab") && strv_has(&h.groups, "quick"));
	ck_assert_uint_eq(h.limit_ms, 2500);
	headers_free(&h);

	path = put("b.vmm", "vm\n");
	ck_assert_int_eq(headers_read(path, &h, err, sizeof(err)), 0);
	ck_assert_int_eq(h.expect_exit, 0);
	ck_assert_uint_eq(h.limit_ms, 0);
	ck_assert_uint_eq(h.outputs.n + h.args.n + h.env.n + h.accels.n + h.groups.n, 0);
	headers_free(&h);
	remove_tmpdir();
}
END_TEST

START_TEST(headers_refused_with_file_and_line)
{
	static const struct {
		const char *line, *says;
	} bad[] = {
		{ "# expect-exit: two", "expect-exit: 'two' is not an exit status" },
		{ "# expect-exit: 256", "not an exit status" },
		{ "# expect-exit: -1", "not an exit status" },
		{ "# expect-output:", "expect-output: no text" },
		{ "# vmm-args:   ", "vmm-args: no options" },
		{ "# vmm-env: 1A=b", "'1A=b' is not NAME=VALUE" },
		{ "# vmm-env: NOEQUALS", "is not NAME=VALUE" },
		{ "# accel: hvf", "no accelerator is called 'hvf'" },
		{ "# group: a/b", "'a/b' is not a group name" },
		{ "# time-limit: 0", "time-limit: '0' is not a number of seconds" },
		{ "# time-limit: 1e9", "is not a number of seconds" },
		{ "# time-limit: soon", "is not a number of seconds" },
	};
	struct scenario_headers h;
	char err[512], text[256], want[512];

	make_tmpdir();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *path;

		snprintf(text, sizeof(text), "vm\n%s\n", bad[i].line);
		path = put("bad.vmm", text);
		ck_assert_int_eq(headers_read(path, &h, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s:2: ", path);
		ck_assert_msg(!strncmp(err, want, strlen(want)) && strstr(err, bad[i].says),
			      "'%s' gave '%s'", bad[i].line, err);
	}
	put("twice.vmm", "# expect-exit: 1\n# expect-exit: 1\n");
	ck_assert_int_eq(headers_read(put("twice.vmm", "# expect-exit: 1\n# expect-exit: 1\n"),
				      &h, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "twice.vmm:2: expect-exit: given twice"));
	remove_tmpdir();
}
END_TEST

START_TEST(headers_of_a_fifo_refused_without_blocking)
{
	struct scenario_headers h;
	char err[512], path[128];

	make_tmpdir();
	/* by the shell: <sys/stat.h> clashes with the guest headers on the include path */
	snprintf(path, sizeof(path), "mkfifo %s/fifo.vmm", dir);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/fifo.vmm", dir);
	ck_assert_int_eq(headers_read(path, &h, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	snprintf(path, sizeof(path), "%s/missing.vmm", dir);
	ck_assert_int_eq(headers_read(path, &h, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot read"));
	remove_tmpdir();
}
END_TEST

/* ---- finding and selecting --------------------------------------------------- */

START_TEST(find_sorted_recursive_once)
{
	struct strv found = { 0 };
	char err[512], a[128], sub[128], missing[128];
	char *paths[3] = { sub, a, a };

	make_tmpdir();
	put("b.vmm", "vm\n");
	put("sub/a.vmm", "vm\n");
	put("sub/deeper/c.vmm", "vm\n");
	put("sub/notes.txt", "not a scenario\n");
	put("sub/.hidden/d.vmm", "vm\n");
	snprintf(a, sizeof(a), "%s/b.vmm", dir);
	snprintf(sub, sizeof(sub), "%s/sub/", dir);
	ck_assert_int_eq(scenarios_find(paths, 3, &found, err, sizeof(err)), 0);
	ck_assert_uint_eq(found.n, 3);
	ck_assert_str_eq(found.v[0], a);
	ck_assert_ptr_nonnull(strstr(found.v[1], "/sub/a.vmm"));
	ck_assert_ptr_nonnull(strstr(found.v[2], "/sub/deeper/c.vmm"));
	strv_free(&found);

	snprintf(missing, sizeof(missing), "%s/nothing-here", dir);
	paths[0] = missing;
	ck_assert_int_eq(scenarios_find(paths, 1, &found, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "nothing-here: No such file"));
	strv_free(&found);
	remove_tmpdir();
}
END_TEST

START_TEST(selection_by_group_and_exclude)
{
	struct scenario_headers slab = { .path = "t/slab-a.vmm" }, proc = { .path = "t/proc-b.vmm" };
	struct selection sel = { 0 };

	strv_push(&slab.groups, "slab");
	strv_push(&slab.groups, "quick");
	strv_push(&proc.groups, "proc");
	ck_assert(selected(&sel, &slab) && selected(&sel, &proc));
	strv_split(&sel.groups, "quick,proc", ",");
	ck_assert(selected(&sel, &slab) && selected(&sel, &proc));
	strv_push(&sel.excludes, "proc-*");
	ck_assert(selected(&sel, &slab) && !selected(&sel, &proc));
	strv_free(&sel.excludes);
	strv_push(&sel.excludes, "qu?ck");
	ck_assert(!selected(&sel, &slab) && selected(&sel, &proc));
	strv_free(&sel.excludes);
	strv_push(&sel.excludes, "t/*");
	ck_assert(!selected(&sel, &slab) && !selected(&sel, &proc));
	strv_free(&sel.excludes);
	strv_free(&sel.groups);
	strv_push(&sel.groups, "vmalloc");
	ck_assert(!selected(&sel, &slab) && !selected(&sel, &proc));
	strv_free(&sel.groups);
	strv_free(&slab.groups);
	strv_free(&proc.groups);
}
END_TEST

/* ---- shards ---------------------------------------------------------------------- */

START_TEST(shard_parse_k_of_n)
{
	static const char *const bad[] = { "", "0/4", "5/4", "1/0", "1", "1/", "/4", "a/b",
					   "1/4x", "-1/4", "1/10001", " 1/4" };
	unsigned k, n;

	ck_assert_int_eq(shard_parse("3/4", &k, &n), 0);
	ck_assert_uint_eq(k, 3);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(shard_parse("1/1", &k, &n), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(shard_parse(bad[i], &k, &n), "'%s' accepted", bad[i]);
}
END_TEST

/*
 * Every way a record can be: none, some cases known, all known, all of
 * length zero; every case lands in exactly one shard, the same one on
 * every call, and no shard ends more than the longest case above another.
 */
START_TEST(shard_every_case_once_and_balanced)
{
	enum { MAX_CASES = 200 };
	static const size_t counts[] = { 0, 1, 5, 58, 200 };
	char *names[MAX_CASES];
	unsigned shard_of[MAX_CASES], again[MAX_CASES];

	for (size_t i = 0; i < MAX_CASES; i++)
		ck_assert_int_ge(asprintf(&names[i], "tcg t/%03zu.vmm", i), 0);
	for (int kind = 0; kind < 4; kind++) {
		struct record rec = { 0 };

		for (size_t i = 0; kind && i < MAX_CASES; i++)
			if (kind != 1 || i % 3)
				record_set(&rec, names[i], OUTCOME_PASS, kind == 3 ? 0 : (i * 7919) % 5000);
		for (size_t c = 0; c < ARRAY_SIZE(counts); c++) {
			for (unsigned n = 1; n <= 9; n++) {
				unsigned long load[9] = { 0 }, most = 0, heaviest = 1;
				size_t per[9] = { 0 };

				shard_split((const char *const *)names, counts[c], &rec, n, shard_of);
				shard_split((const char *const *)names, counts[c], &rec, n, again);
				for (size_t i = 0; i < counts[c]; i++) {
					const struct record_entry *e = record_find(&rec, names[i]);
					unsigned long w = e && e->ms ? e->ms : 1;

					ck_assert_uint_lt(shard_of[i], n);
					ck_assert_uint_eq(shard_of[i], again[i]);
					per[shard_of[i]]++;
					if (kind == 2 || kind == 3) {
						load[shard_of[i]] += w;
						heaviest = w > heaviest ? w : heaviest;
					}
				}
				for (unsigned s = 0; s < n; s++)
					most = load[s] > most ? load[s] : most;
				for (unsigned s = 0; s < n; s++) {
					ck_assert_uint_le(most - load[s], heaviest);
					/* No durations, or all the same: dealt out evenly. */
					if (kind == 0 || kind == 3)
						ck_assert_uint_le(per[s], counts[c] / n + 1);
				}
			}
		}
		record_free(&rec);
	}
	for (size_t i = 0; i < MAX_CASES; i++)
		free(names[i]);
}
END_TEST

/* ---- the record ------------------------------------------------------------------ */

START_TEST(record_round_trip_and_later_lines_win)
{
	struct record rec = { 0 }, back = { 0 };
	const struct record_entry *e;
	char err[512], *path;

	make_tmpdir();
	record_set(&rec, "tcg b.vmm", OUTCOME_FAIL, 1200);
	record_set(&rec, "kvm a b.vmm", OUTCOME_PASS, 5);
	record_set(&rec, "tcg b.vmm", OUTCOME_TIMEOUT, 300000);
	path = put("record", "");
	ck_assert_int_eq(record_write(path, &rec, err, sizeof(err)), 0);
	ck_assert_int_eq(record_read(path, &back, err, sizeof(err)), 0);
	ck_assert_uint_eq(back.n, 2);
	e = record_find(&back, "kvm a b.vmm");
	ck_assert(e && e->outcome == OUTCOME_PASS && e->ms == 5);
	e = record_find(&back, "tcg b.vmm");
	ck_assert(e && e->outcome == OUTCOME_TIMEOUT && e->ms == 300000);
	record_free(&back);
	record_free(&rec);

	/* Two shards' records, one after the other. */
	path = put("record", "# shard 1\npass 10 tcg a.vmm\ncrash 20 tcg b.vmm\n\n"
			     "# shard 2\npass 30 tcg b.vmm\n");
	ck_assert_int_eq(record_read(path, &back, err, sizeof(err)), 0);
	ck_assert_uint_eq(back.n, 2);
	e = record_find(&back, "tcg b.vmm");
	ck_assert(e && e->outcome == OUTCOME_PASS && e->ms == 30);
	record_free(&back);

	ck_assert_int_eq(record_read("/nonexistent/record", &back, err, sizeof(err)), 1);
	ck_assert_uint_eq(back.n, 0);
	remove_tmpdir();
}
END_TEST

START_TEST(record_malformed_lines_named)
{
	static const char *const bad[] = {
		"passed 10 tcg a.vmm", "pass ten tcg a.vmm", "pass 10", "pass 10 tcg",
		"pass -1 tcg a.vmm", "pass 10 tcg a.vmm ", "pass 99999999999 tcg a.vmm",
		"pass 10  tcg a.vmm", "pass\t10 tcg a.vmm",
	};
	struct record rec = { 0 };
	char err[512], text[128], want[256];

	make_tmpdir();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *path;

		snprintf(text, sizeof(text), "pass 1 tcg ok.vmm\n\n%s\n", bad[i]);
		path = put("record", text);
		ck_assert_int_eq(record_read(path, &rec, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s:3: expected 'OUTCOME MILLISECONDS ACCEL PATH'", path);
		ck_assert_msg(!strncmp(err, want, strlen(want)), "'%s' gave '%s'", bad[i], err);
		ck_assert_uint_eq(rec.n, 0);
	}
	remove_tmpdir();
}
END_TEST

/* ---- the process pool ------------------------------------------------------------ */

struct pool_watch {
	unsigned running, most, done;
};

static void watch_started(struct job *j, void *arg)
{
	struct pool_watch *w = arg;

	(void)j;
	if (++w->running > w->most)
		w->most = w->running;
}

static void watch_done(struct job *j, void *arg)
{
	struct pool_watch *w = arg;

	(void)j;
	w->running--;
	w->done++;
}

static const struct job_ops watch_ops = { .started = watch_started, .done = watch_done };

/* A process is gone once it is no more, or a zombie nobody of ours waits for. */
static bool gone(pid_t pid)
{
	char path[64], stat[256], *close_paren;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	stat[0] = '\0';
	if (!fgets(stat, sizeof(stat), f))
		stat[0] = '\0';
	fclose(f);
	close_paren = strrchr(stat, ')');
	return close_paren && (close_paren[2] == 'Z' || close_paren[2] == 'X');
}

/*
 * The fake starts a sleeper in its group and writes its PID down; a limit
 * that ends the fake before that proves nothing, so the limit doubles until
 * the sleeper was there to be killed: no machine is too slow for this test.
 */
START_TEST(jobs_time_limit_kills_the_group)
{
	char *argv[] = { FAKE_VMM, "run", "--accel", "tcg", NULL, NULL };
	struct job j = { .argv = argv };
	struct job *jobs[] = { &j };
	struct pool_watch w = { 0 };
	char err[512], log[128], pidfile[160];
	long pid = 0;

	make_tmpdir();
	argv[4] = put("hang.vmm", "# fake-sleep: 600\n");
	snprintf(log, sizeof(log), "%s/hang.log", dir);
	snprintf(pidfile, sizeof(pidfile), "%s.sleeper", argv[4]);
	j.log = log;
	for (unsigned limit = 200; !pid && limit < 600000; limit *= 2) {
		j.limit_ms = limit;
		ck_assert_int_eq(jobs_run(jobs, 1, 4, &watch_ops, &w, err, sizeof(err)), 0);
		ck_assert(j.timed_out);
		if (access(pidfile, F_OK) == 0)
			pid = strtol(slurp(pidfile), NULL, 10);
	}
	ck_assert_int_gt(pid, 1);
	/* SIGKILL is sent before the wait: the sleeper dies; init reaps it in its own time. */
	for (int i = 0; i < 1000 && !gone(pid); i++)
		usleep(10000);
	ck_assert_msg(gone(pid), "the sleeper %ld outlived its job", pid);
	remove_tmpdir();
}
END_TEST

START_TEST(jobs_at_most_parallel_and_statuses_kept)
{
	enum { N = 7 };
	char *argv[N][6];
	struct job j[N] = { 0 }, *jobs[N];
	struct pool_watch w = { 0 };
	char err[512], logs[N][128], text[64], name[32];

	make_tmpdir();
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "s%d.vmm", i);
		snprintf(text, sizeof(text), i == 3 ? "# fake-signal: SEGV\n" : "# fake-exit: %d\n", i);
		argv[i][0] = FAKE_VMM;
		argv[i][1] = "run";
		argv[i][2] = "--accel";
		argv[i][3] = "tcg";
		argv[i][4] = put(name, text);
		argv[i][5] = NULL;
		snprintf(logs[i], sizeof(logs[i]), "%s/s%d.log", dir, i);
		j[i] = (struct job){ .argv = argv[i], .log = logs[i], .limit_ms = 600000 };
		jobs[i] = &j[i];
	}
	ck_assert_int_eq(jobs_run(jobs, N, 2, &watch_ops, &w, err, sizeof(err)), 0);
	ck_assert_uint_eq(w.done, N);
	ck_assert_uint_le(w.most, 2);
	for (int i = 0; i < N; i++) {
		ck_assert(!j[i].timed_out);
		if (i == 3) {
			ck_assert(WIFSIGNALED(j[i].status) && WTERMSIG(j[i].status) == SIGSEGV);
		} else {
			ck_assert(WIFEXITED(j[i].status));
			ck_assert_int_eq(WEXITSTATUS(j[i].status), i);
		}
		ck_assert_ptr_nonnull(strstr(slurp(logs[i]), "fake-vmm: run --accel tcg "));
	}
	remove_tmpdir();
}
END_TEST

START_TEST(jobs_unwritable_log_is_an_error)
{
	char *argv[] = { "true", NULL };
	struct job j = { .argv = argv, .log = "/nonexistent/dir/x.log", .limit_ms = 1000 };
	struct job *jobs[] = { &j };
	struct pool_watch w = { 0 };
	char err[512];

	ck_assert_int_eq(jobs_run(jobs, 1, 1, &watch_ops, &w, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/dir/x.log: cannot write the log"));
	ck_assert_uint_eq(w.done, 0);
}
END_TEST

/* ---- exit status ------------------------------------------------------------------ */

START_TEST(status_is_the_most_serious)
{
	static const struct {
		size_t n;
		int statuses[4];	/* -1: a skip for no accelerator */
		int want;
	} table[] = {
		{ 0, { 0 }, 0 },
		{ 3, { 0, 0, 0 }, 0 },
		{ 2, { 1, 0 }, 1 },
		{ 2, { 1, 4 }, 4 },
		{ 3, { 4, 3, 1 }, 3 },
		{ 4, { 3, 2, 4, 1 }, 2 },
		{ 2, { -1, -1 }, 77 },
		{ 2, { -1, 0 }, 0 },
		{ 2, { -1, 1 }, 1 },
	};

	for (size_t t = 0; t < ARRAY_SIZE(table); t++) {
		struct suite_case k[4] = { 0 };
		const struct suite_case *all[4];
		size_t n = table[t].n;

		for (size_t i = 0; i < n; i++) {
			int st = table[t].statuses[i];

			k[i].outcome = st < 0 ? OUTCOME_SKIP : st ? OUTCOME_FAIL : OUTCOME_PASS;
			k[i].status = st < 0 ? EXIT_NO_ACCEL : st;
			all[i] = &k[i];
		}
		ck_assert_msg(suite_status(all, n) == table[t].want, "row %zu: %d", t,
			      suite_status(all, n));
	}
}
END_TEST

/* ---- whole suites against the fake vmm -------------------------------------------- */

static char out_text[1 << 16];

/* `vmm test --vmm fake-vmm.sh --log-dir DIR/logs ARGS... DIR/s`; its output in out_text. */
static int __attribute__((sentinel)) vmm_test(const char *arg, ...)
{
	char *argv[32] = { "test", "--vmm", FAKE_VMM, "--log-dir" }, logs[128], scen[128];
	int argc = 4, status;
	FILE *out = tmpfile();
	va_list ap;
	size_t n;

	snprintf(logs, sizeof(logs), "%s/logs", dir);
	snprintf(scen, sizeof(scen), "%s/s", dir);
	argv[argc++] = logs;
	va_start(ap, arg);
	for (; arg; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	argv[argc++] = scen;
	ck_assert_ptr_nonnull(out);
	status = suite_command(argc, argv, out);
	rewind(out);
	n = fread(out_text, 1, sizeof(out_text) - 1, out);
	out_text[n] = '\0';
	fclose(out);
	return status;
}

/*
 * One scenario of each kind of outcome.  Where a hang is killed in its
 * output depends on the machine's speed, so a test that compares outputs
 * goes without it.
 */
static void put_mixed_suite(bool with_hang)
{
	if (with_hang)
		put("s/hang.vmm", "# time-limit: 0.3\n# fake-sleep: 600\n");
	put("s/pass.vmm", "# fake-output: all is well\n# expect-output: all is well\n");
	put("s/expected-failure.vmm", "# expect-exit: 1\n# fake-exit: 1\n");
	put("s/wrong-status.vmm", "# fake-exit: 1\n");
	put("s/missing-text.vmm", "# expect-output: never printed\n");
	put("s/crash.vmm", "# fake-signal: SEGV\n");
	put("s/kvm-only.vmm", "# accel: kvm\n");
	put("s/no-accel.vmm", "# fake-output: vmm: the tcg accelerator cannot run a guest here\n"
			      "# fake-exit: 77\n");
	put("s/env-and-args.vmm", "# vmm-env: FAKE_X=1\n# vmm-args: --tap\n"
				  "# expect-output: fake-vmm: run --accel tcg --tap \n");
}

static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, len) && (p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

START_TEST(suite_judges_and_adds_up)
{
	char line[512], log[256];

	make_tmpdir();
	put_mixed_suite(true);
	ck_assert_int_eq(vmm_test("-j", "3", NULL), EXIT_CRASH);
	ck_assert_msg(has_line(out_text, "3 passed, 4 failed, 2 skipped"), "%.3000s", out_text);
	snprintf(line, sizeof(line), "PASS    tcg %s/s/pass.vmm", dir);
	ck_assert_msg(strstr(out_text, line), "%.3000s", out_text);
	snprintf(line, sizeof(line), "FAIL    tcg %s/s/wrong-status.vmm: exit status 1, expected 0",
		 dir);
	ck_assert_msg(has_line(out_text, line), "%.3000s", out_text);
	snprintf(line, sizeof(line), "FAIL    tcg %s/s/missing-text.vmm: no output line contains "
		 "'never printed'", dir);
	ck_assert_msg(has_line(out_text, line), "%.3000s", out_text);
	snprintf(line, sizeof(line), "CRASH   tcg %s/s/crash.vmm: vmm was killed by signal 11", dir);
	ck_assert_msg(strstr(out_text, line), "%.3000s", out_text);
	snprintf(line, sizeof(line), "TIMEOUT tcg %s/s/hang.vmm: no result within its time limit "
		 "of 0.3 s: killed", dir);
	ck_assert_msg(has_line(out_text, line), "%.3000s", out_text);
	snprintf(line, sizeof(line), "SKIP    tcg %s/s/kvm-only.vmm: needs the kvm accelerator", dir);
	ck_assert_msg(has_line(out_text, line), "%.3000s", out_text);
	snprintf(line, sizeof(line), "SKIP    tcg %s/s/no-accel.vmm: the tcg accelerator cannot run "
		 "a guest here", dir);
	ck_assert_msg(has_line(out_text, line), "%.3000s", out_text);
	/* The log, and the end of it shown under a failure. */
	snprintf(log, sizeof(log), "%s/logs/tcg%s/s/wrong-status.log", dir, dir);
	ck_assert_ptr_nonnull(strstr(slurp(log), "fake-vmm: run --accel tcg "));
	snprintf(line, sizeof(line), "        log: %s", log);
	ck_assert_msg(has_line(out_text, line), "%.3000s", out_text);

	/* Only what did not pass, and the most serious of it decides. */
	ck_assert_int_eq(vmm_test("--rerun-failed", "--list", NULL), 0);
	ck_assert_msg(strstr(out_text, "/s/crash.vmm\n") && strstr(out_text, "/s/hang.vmm\n") &&
		      strstr(out_text, "/s/wrong-status.vmm\n") &&
		      strstr(out_text, "/s/missing-text.vmm\n") && !strstr(out_text, "/s/pass.vmm"),
		      "%.3000s", out_text);
	ck_assert_int_eq(vmm_test("--rerun-failed", "--exclude", "crash.vmm", NULL), EXIT_TIMEOUT);
	ck_assert_msg(has_line(out_text, "0 passed, 3 failed, 0 skipped"), "%.3000s", out_text);
	remove_tmpdir();
}
END_TEST

START_TEST(suite_exit_status_and_no_accelerator)
{
	make_tmpdir();
	put("s/a.vmm", "# group: quick\n");
	put("s/b.vmm", "# group: slow\n# fake-exit: 4\n");
	ck_assert_int_eq(vmm_test("--group", "quick", NULL), 0);
	ck_assert(has_line(out_text, "1 passed, 0 failed, 0 skipped"));
	ck_assert_int_eq(vmm_test(NULL, NULL), EXIT_TIMEOUT);
	ck_assert_int_eq(vmm_test("--accel", "kvm", NULL), EXIT_NO_ACCEL);
	ck_assert_msg(has_line(out_text, "0 passed, 0 failed, 2 skipped"), "%.3000s", out_text);
	ck_assert_int_eq(vmm_test("--accel", "hvf", NULL), EXIT_USAGE);
	ck_assert_int_eq(vmm_test("--accel", "tcg,tcg", NULL), EXIT_USAGE);
	ck_assert_int_eq(vmm_test("--group", "quikc", NULL), EXIT_USAGE);
	setenv("FAKE_ACCELS", "", 1);
	ck_assert_int_eq(vmm_test(NULL, NULL), EXIT_NO_ACCEL);
	setenv("FAKE_ACCELS", "kvm tcg", 1);
	ck_assert_int_eq(vmm_test("--list", NULL), 0);
	ck_assert_msg(strstr(out_text, "kvm ") && strstr(out_text, "tcg "), "%.3000s", out_text);
	unsetenv("FAKE_ACCELS");
	ck_assert_int_eq(vmm_test("--shard", "5/4", NULL), EXIT_USAGE);
	ck_assert_int_eq(vmm_test("--rerun-failed", "--record", "/nonexistent/record", NULL),
			 EXIT_USAGE);
	put("s/bad.vmm", "# expect-exit: maybe\n");
	ck_assert_int_eq(vmm_test(NULL, NULL), EXIT_USAGE);
	remove_tmpdir();
}
END_TEST

START_TEST(suite_repeat_runs_each_case_n_times)
{
	make_tmpdir();
	put("s/a.vmm", "");
	put("s/b.vmm", "# fake-exit: 1\n");
	ck_assert_int_eq(vmm_test("--repeat", "3", "-v", NULL), EXIT_FAILED);
	ck_assert_msg(has_line(out_text, "3 passed, 3 failed, 0 skipped"), "%.3000s", out_text);
	ck_assert_msg(strstr(out_text, "/s/a.vmm #3"), "%.3000s", out_text);
	remove_tmpdir();
}
END_TEST

/* The JUnit file without its time="..." attributes, which no two runs share. */
static char *timeless(const char *path)
{
	char *text = strdup(slurp(path)), *t;

	while ((t = strstr(text, " time=\""))) {
		char *end = strchr(t + 7, '"');

		memmove(t, end + 1, strlen(end + 1) + 1);
	}
	return text;
}

static void xmllint(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
	ck_assert_msg(system(cmd) == 0, "xmllint refused %s", path);
}

START_TEST(four_shards_run_each_case_once_and_merge_to_the_whole)
{
	char whole[128], part[4][128], merged[128], k[8], list[4][1 << 12], rec[4][128], cmd[512];
	char *whole_text, *merged_text;

	make_tmpdir();
	put_mixed_suite(false);
	for (int i = 0; i < 6; i++) {
		char name[32];

		snprintf(name, sizeof(name), "s/more-%d.vmm", i);
		put(name, i % 2 ? "# fake-exit: 1\n" : "");
	}
	setenv("FAKE_ACCELS", "kvm tcg", 1);
	snprintf(whole, sizeof(whole), "%s/whole.xml", dir);
	vmm_test("--junit", whole, NULL);
	xmllint(whole);
	/* Shards balance by the durations the whole run recorded. */
	for (int i = 0; i < 4; i++) {
		snprintf(k, sizeof(k), "%d/4", i + 1);
		snprintf(part[i], sizeof(part[i]), "%s/shard-%d.xml", dir, i + 1);
		vmm_test("--shard", k, "--list", NULL);
		strcpy(list[i], out_text);
		/* Each shard a copy of the record, as each CI job has. */
		snprintf(rec[i], sizeof(rec[i]), "%s/record-%d", dir, i + 1);
		snprintf(cmd, sizeof(cmd), "cp '%s/logs/record' '%s'", dir, rec[i]);
		ck_assert_int_eq(system(cmd), 0);
		vmm_test("--shard", k, "--junit", part[i], "--record", rec[i], NULL);
		xmllint(part[i]);
	}
	vmm_test("--list", NULL);
	/* Each listed case in exactly one shard's list. */
	for (char *line = out_text; *line; line = strchr(line, '\n') + 1) {
		char want[256];
		int found = 0;

		snprintf(want, sizeof(want), "%.*s", (int)strcspn(line, "\n"), line);
		for (int i = 0; i < 4; i++)
			found += has_line(list[i], want);
		ck_assert_msg(found == 1, "%s is in %d shards", want, found);
	}
	snprintf(merged, sizeof(merged), "%s/merged.xml", dir);
	{
		char *argv[] = { "test", "--junit", merged, "--merge", part[0], part[1], part[2], part[3] };

		ck_assert_int_eq(suite_command(ARRAY_SIZE(argv), argv, stdout), 0);
	}
	xmllint(merged);
	whole_text = timeless(whole);
	merged_text = timeless(merged);
	{
		size_t at = first_diff(merged_text, whole_text, strlen(whole_text) + 1);

		ck_assert_msg(at > strlen(whole_text), "merged and whole differ at byte %zu: '%.80s' and '%.80s'",
			      at, merged_text + at, whole_text + at);
	}
	free(whole_text);
	free(merged_text);

	/* A case twice is refused, naming both files. */
	{
		char *argv[] = { "test", "--junit", merged, "--merge", part[0], whole };

		ck_assert_int_eq(suite_command(ARRAY_SIZE(argv), argv, stdout), EXIT_USAGE);
	}
	unsetenv("FAKE_ACCELS");
	remove_tmpdir();
}
END_TEST

START_TEST(merge_refuses_what_it_did_not_write)
{
	static const char *const bad[] = {
		"<testsuites/>\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"x\">\n"
		"  <testsuite name=\"tcg\">\n    <testcase classname=\"kvm\" name=\"a\" time=\"1.000\"/>\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"x\">\n"
		"  <testsuite name=\"tcg\">\n    <testcase classname=\"tcg\" name=\"a\" time=\"1\"/>\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"x\">\n"
		"  <testsuite name=\"tcg\">\n    <testcase classname=\"tcg\" name=\"a\" time=\"1.000\">\n"
		"      <failure message=\"m\">text\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"x\">\n"
		"  <testsuite name=\"tcg\">\n  </testsuite>\n</testsuites>\ntrailing\n",
	};

	make_tmpdir();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char out[128], *in = put("in.xml", bad[i]);
		char *argv[] = { "test", "--junit", out, "--merge", in };

		snprintf(out, sizeof(out), "%s/out.xml", dir);
		ck_assert_msg(suite_command(ARRAY_SIZE(argv), argv, stdout) == EXIT_USAGE,
			      "file %zu accepted", i);
	}
	remove_tmpdir();
}
END_TEST

START_TEST(tap_output_parses)
{
	char cmd[512], path[128];
	FILE *f;

	make_tmpdir();
	put_mixed_suite(true);
	vmm_test("--tap", NULL);
	snprintf(path, sizeof(path), "%s/out.tap", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(out_text, f);
	fclose(f);
	/* 9 test points, 4 of them failed, 2 skipped; nothing TAP::Parser cannot read. */
	snprintf(cmd, sizeof(cmd), "perl -MTAP::Parser -e '$p = TAP::Parser->new({ source => shift });"
		 " $p->run; exit !($p->tests_run == 9 && $p->failed == 4 && $p->skipped == 2 &&"
		 " $p->is_good_plan && !$p->parse_errors)' '%s'", path);
	ck_assert_msg(system(cmd) == 0, "TAP::Parser: %.3000s", out_text);
	remove_tmpdir();
}
END_TEST

static Suite *suite_suite(void)
{
	Suite *s = suite_create("suite");
	TCase *tc = tcase_create("suite");

	tcase_add_test(tc, headers_all_keys);
	tcase_add_test(tc, headers_refused_with_file_and_line);
	tcase_add_test(tc, headers_of_a_fifo_refused_without_blocking);
	tcase_add_test(tc, find_sorted_recursive_once);
	tcase_add_test(tc, selection_by_group_and_exclude);
	tcase_add_test(tc, shard_parse_k_of_n);
	tcase_add_test(tc, shard_every_case_once_and_balanced);
	tcase_add_test(tc, record_round_trip_and_later_lines_win);
	tcase_add_test(tc, record_malformed_lines_named);
	tcase_add_test(tc, jobs_time_limit_kills_the_group);
	tcase_add_test(tc, jobs_at_most_parallel_and_statuses_kept);
	tcase_add_test(tc, jobs_unwritable_log_is_an_error);
	tcase_add_test(tc, status_is_the_most_serious);
	tcase_add_test(tc, suite_judges_and_adds_up);
	tcase_add_test(tc, suite_exit_status_and_no_accelerator);
	tcase_add_test(tc, suite_repeat_runs_each_case_n_times);
	tcase_add_test(tc, four_shards_run_each_case_once_and_merge_to_the_whole);
	tcase_add_test(tc, merge_refuses_what_it_did_not_write);
	tcase_add_test(tc, tap_output_parses);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(suite_suite)
