// SPDX-License-Identifier: MIT
/* vmm: command line. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "run.h"

#define VMM_VERSION		"0.1"
#define DEFAULT_TIMEOUT_MS	5000

static const char usage_text[] =
"usage: vmm run [OPTIONS] SCENARIO\n"
"       vmm --help | --version\n"
"\n"
"Boot the vmm guest kernel under KVM and run a scenario file against it\n"
"(language: docs/scenario-language.md).\n"
"\n"
"options:\n"
"  --tap              print results as TAP version 13\n"
"  --junit FILE       also write the results as JUnit XML to FILE\n"
"  --timeout SECONDS  watchdog for boot and for each request (default 5)\n"
"  --kernel FILE      the guest kernel (default: guest/vmlinux beside vmm)\n"
"  --check-each       run the page-table `check` after every command\n"
"  --fail-fast        stop at the first failed expectation\n"
"  --profile          note each command's exits and guest instructions\n"
"  --profile-symbols  --profile, and single-step each command to list the 15\n"
"                     guest functions that ran the most instructions; slow:\n"
"                     long commands may need a larger --timeout\n"
"  -q, --quiet        print results only: no guest console, no notes\n"
"  -h, --help         this text\n"
"\n"
"exit status: 0 all passed, 1 an expectation or check failed, 2 usage or\n"
"scenario error, 3 the guest crashed, 4 the guest timed out, 77 no KVM\n";

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

static int parse_timeout(const char *s, unsigned *ms)
{
	char *end;
	double sec = strtod(s, &end);

	if (end == s || *end || !(sec > 0) || sec > 86400)
		return -1;
	*ms = (unsigned)(sec * 1000 + 0.5) ?: 1;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	enum { OPT_TAP = 256, OPT_JUNIT, OPT_TIMEOUT, OPT_KERNEL, OPT_CHECK_EACH, OPT_FAIL_FAST,
	       OPT_PROFILE, OPT_PROFILE_SYMBOLS };
	static const struct option longopts[] = {
		{ "tap", no_argument, NULL, OPT_TAP },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "check-each", no_argument, NULL, OPT_CHECK_EACH },
		{ "fail-fast", no_argument, NULL, OPT_FAIL_FAST },
		{ "profile", no_argument, NULL, OPT_PROFILE },
		{ "profile-symbols", no_argument, NULL, OPT_PROFILE_SYMBOLS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char kernel[PATH_MAX + 32];
	struct report rep = { .fmt = REPORT_HUMAN, .out = stdout };
	struct run_options opt = { .timeout_ms = DEFAULT_TIMEOUT_MS, .report = &rep };
	struct scenario sc;
	struct scenario_error err;
	int c, status;

	opt.kernel = default_kernel(kernel, sizeof(kernel));
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TAP: rep.fmt = REPORT_TAP; break;
		case OPT_JUNIT: rep.junit_path = optarg; break;
		case OPT_TIMEOUT:
			if (parse_timeout(optarg, &opt.timeout_ms))
				return usage_error("--timeout %s: expected seconds, such as 5 or 0.5", optarg);
			break;
		case OPT_KERNEL: opt.kernel = optarg; break;
		case OPT_CHECK_EACH: opt.check_each = true; break;
		case OPT_FAIL_FAST: opt.fail_fast = true; break;
		case OPT_PROFILE: opt.profile = true; break;
		case OPT_PROFILE_SYMBOLS: opt.profile = opt.profile_symbols = true; break;
		case 'q': rep.quiet = true; break;
		case 'h': fputs(usage_text, stdout); return EXIT_PASS;
		default: return usage_error("%s", "bad option");
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", "run takes exactly one scenario file");
	if (scenario_parse_file(argv[optind], &sc, &err)) {
		scenario_error_print(&err, stderr);
		return EXIT_USAGE;
	}
	rep.file = sc.file;
	status = scenario_run(&sc, &opt);
	scenario_free(&sc);
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
	return usage_error("unknown command '%s'", argv[1]);
}
