// SPDX-License-Identifier: MIT
/* `vmm test`: the command line, and a suite from selection to exit status. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "lib/escape.h"
#include "info.h"
#include "jobs.h"
#include "judge.h"
#include "junit.h"
#include "log.h"
#include "record.h"
#include "select.h"
#include "shard.h"
#include "lib/seconds.h"

#define DEFAULT_LIMIT_S		300
#define DEFAULT_LOG_DIR		"vmm-logs"
#define MAX_REPEAT		100000

static const char usage_text[] =
"usage: vmm test [OPTIONS] PATH...\n"
"       vmm test --junit FILE --merge JUNIT-FILE...\n"
"\n"
"Run every scenario in the files and folders given (folders: every *.vmm\n"
"below them), each by a `vmm run` of its own, on every accelerator this\n"
"machine has, and check what each one's header lines promise\n"
"(docs/testing.md).  A line per case, then \"N passed, N failed, N skipped\".\n"
"\n"
"options:\n"
"  -j, --jobs N         runs at a time (default: the cores)\n"
"  --accel LIST         accelerators to run on (default: every one available)\n"
"  --group LIST         only scenarios in one of these groups (# group:)\n"
"  --exclude GLOB       leave out scenarios whose path, file name or group\n"
"                       matches (repeatable)\n"
"  --time-limit SECONDS for each run, where its # time-limit: does not say\n"
"                       (default 300)\n"
"  --shard K/N          only the K-th of N slices of about equal duration\n"
"  --rerun-failed       only the cases that did not pass last time\n"
"  --repeat N           run each case N times\n"
"  --list               print the cases that would run, run nothing\n"
"  --log-dir DIR        logs, ACCEL/PATH.log (default vmm-logs)\n"
"  --record FILE        durations and outcomes (default: DIR/record)\n"
"  --junit FILE         write the results as JUnit XML\n"
"  --merge              with --junit: merge the JUnit files given into FILE\n"
"  --tap                print the results as TAP version 13\n"
"  --vmm PATH           the vmm that runs the scenarios (default: this one)\n"
"  --vmm-args ARGS      options for every `vmm run`, split at blanks\n"
"  -v, --verbose        list passing cases on a terminal too\n"
"  -q, --quiet          list only the cases that did not pass\n"
"  -h, --help           this text\n"
"\n"
"exit status: the most serious case: 2 usage or scenario error, 3 a crash,\n"
"4 a timeout, 1 a failure, else 0; 77 when no accelerator could run one\n";

struct suite {
	FILE *out;
	const char *vmm, *log_dir, *record_path, *junit_path;
	struct strv vmm_args, accels, inputs;
	struct selection sel;
	unsigned jobs, repeat, shard_k, shard_n, limit_ms;
	bool list, rerun_failed, merge;
	struct console con;
	/* Built from the above. */
	struct scenario_headers *scen;
	size_t nscen;
	struct suite_case *cases;
	size_t ncases;
	struct record rec;
	char err[PATH_MAX + 1024];
};

static int usage(const char *fmt, const char *arg)
{
	fputs("vmm test: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'vmm test --help'.\n", stderr);
	return EXIT_USAGE;
}

static int fail(struct suite *s, int status)
{
	fprintf(stderr, "vmm test: %s\n", s->err);
	return status;
}

static int number(const char *arg, unsigned max, unsigned *val)
{
	char *end;
	unsigned long n;

	if (*arg < '0' || *arg > '9')
		return -1;
	n = strtoul(arg, &end, 10);
	if (*end || !n || n > max)
		return -1;
	*val = n;
	return 0;
}

/* The running binary, for the scenarios to be run with. */
static const char *self_exe(void)
{
	static char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return "vmm";
	exe[n] = '\0';
	return exe;
}

static int parse_options(struct suite *s, int argc, char **argv)
{
	enum { OPT_ACCEL = 256, OPT_GROUP, OPT_EXCLUDE, OPT_TIME_LIMIT, OPT_SHARD, OPT_RERUN,
	       OPT_REPEAT, OPT_LIST, OPT_LOG_DIR, OPT_RECORD, OPT_JUNIT, OPT_MERGE, OPT_TAP,
	       OPT_VMM, OPT_VMM_ARGS };
	static const struct option longopts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "time-limit", required_argument, NULL, OPT_TIME_LIMIT },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "rerun-failed", no_argument, NULL, OPT_RERUN },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "log-dir", required_argument, NULL, OPT_LOG_DIR },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "tap", no_argument, NULL, OPT_TAP },
		{ "vmm", required_argument, NULL, OPT_VMM },
		{ "vmm-args", required_argument, NULL, OPT_VMM_ARGS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	optind = 0;	/* getopt afresh, also for a second suite in one process */
	while ((c = getopt_long(argc, argv, "j:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (number(optarg, 4096, &s->jobs))
				return usage("-j %s: expected a number of runs, 1 to 4096", optarg);
			break;
		case OPT_ACCEL: strv_split(&s->accels, optarg, ", "); break;
		case OPT_GROUP: strv_split(&s->sel.groups, optarg, ", "); break;
		case OPT_EXCLUDE: strv_push(&s->sel.excludes, optarg); break;
		case OPT_TIME_LIMIT:
			if (parse_seconds(optarg, &s->limit_ms))
				return usage("--time-limit %s: expected seconds, such as 300", optarg);
			break;
		case OPT_SHARD:
			if (shard_parse(optarg, &s->shard_k, &s->shard_n))
				return usage("--shard %s: expected K/N, 1 <= K <= N", optarg);
			break;
		case OPT_RERUN: s->rerun_failed = true; break;
		case OPT_REPEAT:
			if (number(optarg, MAX_REPEAT, &s->repeat))
				return usage("--repeat %s: expected a number of times, 1 or more", optarg);
			break;
		case OPT_LIST: s->list = true; break;
		case OPT_LOG_DIR: s->log_dir = optarg; break;
		case OPT_RECORD: s->record_path = optarg; break;
		case OPT_JUNIT: s->junit_path = optarg; break;
		case OPT_MERGE: s->merge = true; break;
		case OPT_TAP: s->con.tap = true; break;
		case OPT_VMM: s->vmm = optarg; break;
		case OPT_VMM_ARGS: strv_split(&s->vmm_args, optarg, " \t"); break;
		case 'v': s->con.passes = PASSES_SHOW; break;
		case 'q': s->con.passes = PASSES_HIDE; break;
		case 'h': fputs(usage_text, s->out); return -1;
		default: return usage("%s", "bad option");
		}
	}
	for (int i = optind; i < argc; i++)
		strv_push(&s->inputs, argv[i]);
	if (!s->inputs.n)
		return usage("%s", s->merge ? "--merge needs the JUnit files to merge" :
						 "no scenario or folder given");
	if (s->merge && !s->junit_path)
		return usage("%s", "--merge needs --junit FILE for what it writes");
	return 0;
}

/* Every scenario given, its headers read, those selected kept. */
static int load_scenarios(struct suite *s)
{
	struct strv paths = { 0 };
	int ret = scenarios_find(s->inputs.v, s->inputs.n, &paths, s->err, sizeof(s->err));

	s->scen = calloc(paths.n ?: 1, sizeof(*s->scen));
	if (!s->scen)
		abort();
	for (size_t i = 0; !ret && i < paths.n; i++) {
		ret = headers_read(paths.v[i], &s->scen[s->nscen], s->err, sizeof(s->err));
		if (!ret && selected(&s->sel, &s->scen[s->nscen]))
			s->nscen++;
		else if (!ret)
			headers_free(&s->scen[s->nscen]);
	}
	strv_free(&paths);
	/* A --group with a typo must not pass by running nothing. */
	if (!ret && !s->nscen) {
		snprintf(s->err, sizeof(s->err), "no scenario given is in --group and --exclude's "
			 "selection");
		ret = -1;
	}
	return ret;
}

/* The accelerators to run on: those asked for, or every available one. */
static int choose_accels(struct suite *s, struct accel_info *ai)
{
	if (accel_info_read(s->vmm, ai, s->err, sizeof(s->err)))
		return fail(s, EXIT_USAGE);
	for (size_t i = 0; i < s->accels.n; i++) {
		if (!accel_info_reason(ai, s->accels.v[i]))
			return usage("--accel %s: this vmm has no such accelerator", s->accels.v[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->accels.v[i], s->accels.v[j]))
				return usage("--accel %s: named twice", s->accels.v[i]);
	}
	if (s->accels.n)
		return 0;
	for (size_t i = 0; i < ai->names.n; i++)
		if (!ai->reasons.v[i][0])
			strv_push(&s->accels, ai->names.v[i]);
	if (s->accels.n)
		return 0;
	fputs("vmm test: no accelerator can run a guest here:\n", stderr);
	for (size_t i = 0; i < ai->names.n; i++)
		fprintf(stderr, "  %s: %s\n", ai->names.v[i], ai->reasons.v[i]);
	return EXIT_NO_ACCEL;
}

static int by_case_name(const void *a, const void *b)
{
	const struct suite_case *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static bool failed_last_time(const struct suite *s, const struct suite_case *k)
{
	const struct record_entry *e = record_find(&s->rec, k->name);

	return e && e->outcome != OUTCOME_PASS && e->outcome != OUTCOME_SKIP;
}

/* Keep the cases keep[i] says, in order. */
static void keep_cases(struct suite *s, const bool *keep)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->ncases; i++) {
		if (keep[i])
			s->cases[kept++] = s->cases[i];
		else
			free(s->cases[i].name);
	}
	s->ncases = kept;
}

/* Shard K's cases of those there are. */
static void shard_cases(struct suite *s)
{
	const char **names = calloc(s->ncases ?: 1, sizeof(*names));
	unsigned *shard_of = calloc(s->ncases ?: 1, sizeof(*shard_of));
	bool *keep = calloc(s->ncases ?: 1, sizeof(*keep));

	if (!names || !shard_of || !keep)
		abort();
	for (size_t i = 0; i < s->ncases; i++)
		names[i] = s->cases[i].name;
	shard_split(names, s->ncases, &s->rec, s->shard_n, shard_of);
	for (size_t i = 0; i < s->ncases; i++)
		keep[i] = shard_of[i] == s->shard_k - 1;
	keep_cases(s, keep);
	free(names);
	free(shard_of);
	free(keep);
}

/* A case per scenario and accelerator, in name order; then --rerun-failed and --shard. */
static void make_cases(struct suite *s)
{
	bool *keep;

	s->cases = calloc(s->nscen * s->accels.n ?: 1, sizeof(*s->cases));
	if (!s->cases)
		abort();
	for (size_t a = 0; a < s->accels.n; a++) {
		for (size_t i = 0; i < s->nscen; i++) {
			struct suite_case *k = &s->cases[s->ncases++];

			k->hdr = &s->scen[i];
			k->accel = s->accels.v[a];
			k->repeat = 1;
			if (asprintf(&k->name, "%s %s", k->accel, k->hdr->path) < 0)
				abort();
		}
	}
	qsort(s->cases, s->ncases, sizeof(*s->cases), by_case_name);
	if (s->rerun_failed) {
		keep = calloc(s->ncases ?: 1, sizeof(*keep));
		if (!keep)
			abort();
		for (size_t i = 0; i < s->ncases; i++)
			keep[i] = failed_last_time(s, &s->cases[i]);
		keep_cases(s, keep);
		free(keep);
	}
	if (s->shard_n)
		shard_cases(s);
}

static void list_cases(struct suite *s, const struct accel_info *ai)
{
	for (size_t i = 0; i < s->ncases; i++) {
		const char *why = accel_info_reason(ai, s->cases[i].accel);

		escape_puts(s->out, ESC_TEXT, s->cases[i].name);
		if (s->cases[i].hdr->accels.n && !strv_has(&s->cases[i].hdr->accels, s->cases[i].accel))
			fputs(" (skipped: needs another accelerator)", s->out);
		else if (why && why[0])
			fputs(" (skipped: accelerator unavailable)", s->out);
		fputc('\n', s->out);
	}
}

/* --repeat N: after the first round, rounds 2 to N of the same cases. */
static void repeat_cases(struct suite *s)
{
	size_t n = s->ncases;

	if (s->repeat < 2 || !n)
		return;
	s->cases = realloc(s->cases, n * s->repeat * sizeof(*s->cases));
	if (!s->cases)
		abort();
	for (unsigned r = 2; r <= s->repeat; r++) {
		for (size_t i = 0; i < n; i++) {
			struct suite_case *k = &s->cases[s->ncases++];

			*k = s->cases[i];
			k->repeat = r;
			k->name = strdup(k->name);
			if (!k->name)
				abort();
		}
	}
}

static void on_started(struct job *j, void *arg)
{
	struct suite *s = arg;

	console_started(&s->con, j->data);
}

static void on_done(struct job *j, void *arg)
{
	struct suite *s = arg;
	struct suite_case *k = j->data;

	judge(k, j);
	console_result(&s->con, k);
}

/* A case that cannot run here; true if so, and it is then judged. */
static bool skip_here(struct suite *s, struct suite_case *k, const struct accel_info *ai)
{
	const struct strv *need = &k->hdr->accels;
	const char *why = accel_info_reason(ai, k->accel);

	if (need->n && !strv_has(need, k->accel)) {
		judge_skip(k, 0, "needs the %s accelerator%s", need->v[0],
			   need->n > 1 ? " (or another its # accel: names)" : "");
	} else if (why && why[0]) {
		judge_skip(k, EXIT_NO_ACCEL, "the %s accelerator cannot run a guest here: %s",
			   k->accel, why);
	} else {
		return false;
	}
	console_result(&s->con, k);
	return true;
}

static unsigned recorded_ms(const struct suite *s, const struct job *j)
{
	const struct record_entry *e = record_find(&s->rec, ((struct suite_case *)j->data)->name);

	return e ? e->ms : UINT_MAX;	/* the unknown first: they may be long */
}

static const struct suite *sort_suite;

/* Within a round, the longest runs first, so that no long one starts last. */
static int longest_first(const void *a, const void *b)
{
	const struct job *x = *(struct job *const *)a, *y = *(struct job *const *)b;
	const struct suite_case *kx = x->data, *ky = y->data;
	unsigned mx = recorded_ms(sort_suite, x), my = recorded_ms(sort_suite, y);

	if (kx->repeat != ky->repeat)
		return kx->repeat < ky->repeat ? -1 : 1;
	if (mx != my)
		return mx > my ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int run_cases(struct suite *s, const struct accel_info *ai)
{
	struct job *jobs = calloc(s->ncases ?: 1, sizeof(*jobs));
	struct job **order = calloc(s->ncases ?: 1, sizeof(*order));
	struct strv *argv = calloc(s->ncases ?: 1, sizeof(*argv));
	static const struct job_ops ops = { .started = on_started, .done = on_done };
	size_t n = 0;
	int ret = 0;

	if (!jobs || !order || !argv)
		abort();
	console_begin(&s->con, s->ncases);
	for (size_t i = 0; i < s->ncases && !ret; i++) {
		struct suite_case *k = &s->cases[i];
		const struct scenario_headers *h = k->hdr;

		if (skip_here(s, k, ai))
			continue;
		k->log = log_path(s->log_dir, k, s->err, sizeof(s->err));
		if (!k->log) {
			ret = -1;
			break;
		}
		strv_push(&argv[n], s->vmm);
		strv_push(&argv[n], "run");
		strv_push(&argv[n], "--accel");
		strv_push(&argv[n], k->accel);
		for (size_t a = 0; a < s->vmm_args.n; a++)
			strv_push(&argv[n], s->vmm_args.v[a]);
		for (size_t a = 0; a < h->args.n; a++)
			strv_push(&argv[n], h->args.v[a]);
		strv_push(&argv[n], h->path);
		jobs[n] = (struct job){ .argv = argv[n].v, .env = h->env.v, .log = k->log,
					.limit_ms = h->limit_ms ?: s->limit_ms, .data = k };
		order[n] = &jobs[n];
		n++;
	}
	sort_suite = s;
	qsort(order, n, sizeof(*order), longest_first);
	if (!ret)
		ret = jobs_run(order, n, s->jobs, &ops, s, s->err, sizeof(s->err));
	console_end(&s->con);
	for (size_t i = 0; i < n; i++)
		strv_free(&argv[i]);
	free(argv);
	free(order);
	free(jobs);
	return ret;
}

/* What this run adds to the record: a case's worst outcome over its repetitions. */
static void update_record(struct suite *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		const struct suite_case *k = &s->cases[i];
		const struct record_entry *e = record_find(&s->rec, k->name);

		if (k->repeat == 1 || !e || k->outcome > e->outcome)
			record_set(&s->rec, k->name, k->outcome, (unsigned)(k->secs * 1000 + 0.5));
	}
	if (record_write(s->record_path, &s->rec, s->err, sizeof(s->err)))
		fprintf(stderr, "vmm test: %s\n", s->err);
}

static int write_junit(struct suite *s)
{
	struct junit doc = { 0 };
	int ret;

	for (size_t i = 0; i < s->ncases; i++)
		junit_add(&doc, &s->cases[i]);
	ret = junit_write(&doc, s->junit_path, s->err, sizeof(s->err));
	junit_free(&doc);
	return ret;
}

/* --merge: the JUnit files given, as one. */
static int merge_junit(struct suite *s)
{
	struct junit doc = { 0 };
	int ret = 0;

	for (size_t i = 0; i < s->inputs.n && !ret; i++)
		ret = junit_read(&doc, s->inputs.v[i], s->err, sizeof(s->err));
	if (!ret)
		ret = junit_write(&doc, s->junit_path, s->err, sizeof(s->err));
	junit_free(&doc);
	return ret ? fail(s, EXIT_USAGE) : 0;
}

static const unsigned status_rank[256] = {
	[EXIT_FAILED] = 1, [EXIT_TIMEOUT] = 2, [EXIT_CRASH] = 3,
	[EXIT_USAGE] = 4,
};

int suite_status(const struct suite_case *const *cases, size_t n)
{
	bool ran = false, no_accel = false;
	int status = 0;

	for (size_t i = 0; i < n; i++) {
		const struct suite_case *k = cases[i];

		if (k->outcome == OUTCOME_SKIP) {
			no_accel |= k->status == EXIT_NO_ACCEL;
			continue;
		}
		ran = true;
		if (status_rank[k->status & 0xff] > status_rank[status])
			status = k->status;
	}
	return !ran && no_accel ? EXIT_NO_ACCEL : status;
}

static int run_suite(struct suite *s)
{
	const struct suite_case **all;
	struct accel_info ai = { 0 };
	int status;

	if (!s->vmm)
		s->vmm = self_exe();
	status = record_read(s->record_path, &s->rec, s->err, sizeof(s->err));
	if (status < 0 || (status > 0 && s->rerun_failed)) {
		if (status > 0)
			snprintf(s->err, sizeof(s->err), "--rerun-failed: no record of an earlier run "
				 "at %s", s->record_path);
		return fail(s, EXIT_USAGE);
	}
	if (load_scenarios(s))
		return fail(s, EXIT_USAGE);
	status = choose_accels(s, &ai);
	if (status)
		goto out;
	make_cases(s);
	if (s->list) {
		list_cases(s, &ai);
		goto out;
	}
	if (s->rerun_failed && !s->ncases)
		fprintf(s->out, "nothing failed in the last run (%s)\n", s->record_path);
	if (make_dirs(s->log_dir)) {
		snprintf(s->err, sizeof(s->err), "%s: cannot make the log folder: %m", s->log_dir);
		status = fail(s, EXIT_USAGE);
		goto out;
	}
	repeat_cases(s);
	if (run_cases(s, &ai)) {
		status = fail(s, EXIT_USAGE);
		goto out;
	}
	update_record(s);
	all = calloc(s->ncases ?: 1, sizeof(*all));
	if (!all)
		abort();
	for (size_t i = 0; i < s->ncases; i++)
		all[i] = &s->cases[i];
	status = suite_status(all, s->ncases);
	free(all);
	if (s->junit_path && write_junit(s))
		status = fail(s, EXIT_USAGE);
out:
	accel_info_free(&ai);
	return status;
}

static void suite_free(struct suite *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		free(s->cases[i].name);
		free(s->cases[i].reason);
		free(s->cases[i].log);
	}
	free(s->cases);
	for (size_t i = 0; i < s->nscen; i++)
		headers_free(&s->scen[i]);
	free(s->scen);
	strv_free(&s->vmm_args);
	strv_free(&s->accels);
	strv_free(&s->inputs);
	strv_free(&s->sel.groups);
	strv_free(&s->sel.excludes);
	record_free(&s->rec);
}

int suite_command(int argc, char **argv, FILE *out)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct suite s = {
		.out = out, .log_dir = DEFAULT_LOG_DIR, .jobs = cpus > 0 ? cpus : 1, .repeat = 1,
		.limit_ms = DEFAULT_LIMIT_S * 1000, .con = { .out = out },
	};
	char *record = NULL;
	int status = parse_options(&s, argc, argv);

	if (status) {
		suite_free(&s);
		return status < 0 ? 0 : status;
	}
	if (s.merge) {
		status = merge_junit(&s);
	} else {
		if (!s.record_path) {
			if (asprintf(&record, "%s/record", s.log_dir) < 0)
				abort();
			s.record_path = record;
		}
		status = run_suite(&s);
	}
	free(record);
	suite_free(&s);
	return status;
}

int suite_main(int argc, char **argv)
{
	return suite_command(argc, argv, stdout);
}
