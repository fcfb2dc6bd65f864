// SPDX-License-Identifier: MIT
/* vmm: command line. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm/accel/accel.h"
#include "report/report.h"
#include "engine/inject_plan.h"
#include "engine/run.h"
#include "lib/kernel.h"
#include "suite/suite.h"
#include "lib/seconds.h"
#include "sweep/sweep.h"
#include "corrupt/corrupt.h"

#define VMM_VERSION		"0.1"
#define DEFAULT_TIMEOUT_MS	5000

static const char usage_text[] =
"usage: vmm run [OPTIONS] SCENARIO\n"
"       vmm sweep [OPTIONS] SCENARIO   (vmm sweep --help)\n"
"       vmm corrupt [OPTIONS] SCENARIO   (vmm corrupt --help)\n"
"       vmm test [OPTIONS] PATH...   (vmm test --help)\n"
"       vmm info\n"
"       vmm --help | --version\n"
"\n"
"Boot the vmm guest kernel under KVM (or QEMU's TCG where there is no KVM)\n"
"and run a scenario file against it (language: docs/scenario-language.md).\n"
"`vmm test` runs a suite of scenarios in parallel (docs/testing.md, docs/ci.md).\n"
"`vmm info` says which accelerators this machine offers.\n"
"\n"
"options:\n"
"  --accel NAME       kvm, tcg or auto (default: $VMM_ACCEL, else auto: KVM\n"
"                     where /dev/kvm opens, TCG otherwise)\n"
"  --tap              print results as TAP version 13\n"
"  --junit FILE       also write the results as JUnit XML to FILE\n"
"  --timeout SECONDS  watchdog for boot and for each request (default 5)\n"
"  --run-timeout SECONDS  limit for the whole run, boot included (default 600)\n"
"  --kernel FILE      the guest kernel (default: guest/vmlinux beside vmm)\n"
"  --check-each       run the page-table `check` after every command\n"
"  --inject 'ATTR KNOB=VALUE ...'  arm a fault-injection attribute before the\n"
"                     first statement, e.g. 'failslab nth=3' (repeatable;\n"
"                     docs/fault-injection.md)\n"
"  --fail-fast        stop at the first failed expectation\n"
"  --profile          note each command's exits and guest instructions\n"
"  --profile-symbols  --profile, and single-step each command to list the 15\n"
"                     guest functions that ran the most instructions; slow:\n"
"                     long commands may need a larger --timeout\n"
"  -q, --quiet        print results only: no guest console, no notes\n"
"  -h, --help         this text\n"
"\n"
"exit status: 0 all passed, 1 an expectation or check failed, 2 usage or\n"
"scenario error, 3 the guest crashed, 4 the guest timed out, 77 the\n"
"accelerator asked for (or, for auto, every one) cannot run a guest here\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmm: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'vmm --help'.\n");
	return EXIT_USAGE;
}

/* guest/vmlinux next to the vmm binary, wherever it is run from. */
static const char *default_kernel(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return "guest/vmlinux";
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	snprintf(buf, size, "%s/guest/vmlinux", exe);
	return buf;
}

/* --accel's choice, or exit 77 with the reason, on stderr and in why. */
static int choose_accel(const char *name, struct run_options *opt, char *why, size_t whylen)
{
	char reason[1024];

	opt->accel = accel_choose(name, reason, sizeof(reason));
	if (opt->accel)
		return EXIT_PASS;
	if (!strcmp(name, "auto"))
		snprintf(why, whylen, "no accelerator can run a guest here: %s", reason);
	else
		snprintf(why, whylen, "the %s accelerator cannot run a guest here: %s", name, reason);
	fprintf(stderr, "vmm: %s\n", why);
	return EXIT_NO_ACCEL;
}

/* A mistake in the scenario: printed, and kept in why for the report. */
static int scenario_refused(const struct scenario_error *err, char *why, size_t whylen)
{
	FILE *f;

	scenario_error_print(err, stderr);
	f = fmemopen(why, whylen, "w");
	if (f) {
		scenario_error_print(err, f);
		fclose(f);
	}
	return EXIT_USAGE;
}

/* Open the scenario: scenario_run() reads it a window of statements at a time. */
static int load_scenario(const char *path, struct scenario *sc, char *why, size_t whylen)
{
	struct scenario_error err;

	if (!scenario_open_file(path, sc, &err))
		return EXIT_PASS;
	return scenario_refused(&err, why, whylen);
}

/*
 * What the report says when the run stopped before report_end(): run.c has
 * already printed the details on stderr.
 */
static const char *early_end(const struct report *rep, int status)
{
	if (status == EXIT_NO_ACCEL)
		return "no accelerator can run a guest here (the reason is on standard error)";
	if (rep->begun)
		return "the guest could not be set up (the reason is on standard error)";
	return "the scenario was refused before boot (the reason is on standard error)";
}

/* `vmm info`: each accelerator, and why it is missing where it is. */
static int cmd_info(void)
{
	int usable = 0;

	for (const struct accel_ops *const *a = accel_all; *a; a++) {
		char why[512];

		if ((*a)->probe(why, sizeof(why))) {
			printf("%-4s unavailable: %s\n", (*a)->name, why);
			continue;
		}
		printf("%-4s available\n", (*a)->name);
		usable++;
	}
	printf("auto would use: %s\n", usable ? accel_choose("auto", (char[8]){ 0 }, 8)->name :
		"nothing (exit 77)");
	return usable ? EXIT_PASS : EXIT_NO_ACCEL;
}

static int cmd_run(int argc, char **argv)
{
	enum { OPT_TAP = 256, OPT_JUNIT, OPT_TIMEOUT, OPT_KERNEL, OPT_CHECK_EACH, OPT_FAIL_FAST,
	       OPT_PROFILE, OPT_PROFILE_SYMBOLS, OPT_ACCEL, OPT_RUN_TIMEOUT, OPT_INJECT };
	static const struct option longopts[] = {
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "tap", no_argument, NULL, OPT_TAP },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "run-timeout", required_argument, NULL, OPT_RUN_TIMEOUT },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "check-each", no_argument, NULL, OPT_CHECK_EACH },
		{ "fail-fast", no_argument, NULL, OPT_FAIL_FAST },
		{ "profile", no_argument, NULL, OPT_PROFILE },
		{ "profile-symbols", no_argument, NULL, OPT_PROFILE_SYMBOLS },
		{ "inject", required_argument, NULL, OPT_INJECT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char kernel[PATH_MAX + 32];
	struct report rep = { .fmt = REPORT_HUMAN, .out = stdout };
	struct run_options opt = { .timeout_ms = DEFAULT_TIMEOUT_MS, .report = &rep };
	struct scenario_error err = { 0 };
	struct scenario sc = { 0 };
	struct machine m;
	struct inject_plan plans[VMM_FAULT_ATTR_NR * 2];
	const char *accel = getenv("VMM_ACCEL");
	char why[2048];
	int c, status;

	opt.kernel = default_kernel(kernel, sizeof(kernel));
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ACCEL: accel = optarg; break;
		case OPT_TAP: rep.fmt = REPORT_TAP; break;
		case OPT_JUNIT: rep.junit_path = optarg; break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, &opt.timeout_ms))
				return usage_error("--timeout %s: expected seconds, such as 5 or 0.5", optarg);
			break;
		case OPT_RUN_TIMEOUT:
			if (parse_seconds(optarg, &opt.run_timeout_ms))
				return usage_error("--run-timeout %s: expected seconds, such as 600", optarg);
			break;
		case OPT_KERNEL: opt.kernel = optarg; break;
		case OPT_CHECK_EACH: opt.check_each = true; break;
		case OPT_FAIL_FAST: opt.fail_fast = true; break;
		case OPT_PROFILE: opt.profile = true; break;
		case OPT_PROFILE_SYMBOLS: opt.profile = opt.profile_symbols = true; break;
		case OPT_INJECT:
			if (opt.ninject == ARRAY_SIZE(plans))
				return usage_error("%s", "--inject: too many plans");
			if (inject_plan_parse(optarg, &plans[opt.ninject], why, sizeof(why)))
				return usage_error("--inject: %s", why);
			opt.inject = plans;
			opt.ninject++;
			break;
		case 'q': rep.quiet = true; break;
		case 'h': fputs(usage_text, stdout); return EXIT_PASS;
		default: return usage_error("%s", "bad option");
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", "run takes exactly one scenario file");
	if (!accel || !*accel)
		accel = "auto";
	if (strcmp(accel, "auto") && !accel_find(accel))
		return usage_error("--accel %s: expected kvm, tcg or auto", accel);
	rep.file = argv[optind];
	if (rep.junit_path && report_open_junit(&rep, why, sizeof(why))) {
		fprintf(stderr, "vmm: --junit %s: cannot write: %s\n", rep.junit_path, why);
		return EXIT_USAGE;
	}
	why[0] = '\0';
	status = load_scenario(argv[optind], &sc, why, sizeof(why));
	if (!status && scenario_resolve(&sc, &m, &err))
		status = scenario_refused(&err, why, sizeof(why));
	/* A bad kernel is a usage error (2) even where no accelerator could run it. */
	if (!status && guest_check_kernel(opt.kernel, why, sizeof(why))) {
		fprintf(stderr, "vmm: %s\n", why);
		status = EXIT_USAGE;
	}
	if (!status)
		status = choose_accel(accel, &opt, why, sizeof(why)) ?:
			 scenario_run(&sc, &m, &opt);
	scenario_free(&sc);
	if (report_finish(&rep, status, why[0] ? why : early_end(&rep, status)) && !status)
		status = EXIT_USAGE;
	return status;
}

int main(int argc, char **argv)
{
	/* Results and guest console interleave in order even through a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage_error("%s", "missing command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return EXIT_PASS;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vmm %s\n", VMM_VERSION);
		return EXIT_PASS;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "test"))
		return suite_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "info"))
		return cmd_info();
	if (!strcmp(argv[1], "sweep")) {
		char kernel[PATH_MAX + 32];

		return sweep_main(argc - 1, argv + 1, default_kernel(kernel, sizeof(kernel)));
	}
	if (!strcmp(argv[1], "corrupt")) {
		char kernel[PATH_MAX + 32];

		return corrupt_main(argc - 1, argv + 1, default_kernel(kernel, sizeof(kernel)));
	}
	return usage_error("unknown command '%s'", argv[1]);
}
