// SPDX-License-Identifier: MIT
/*
 * The TCG accelerator: the same guest under Debian's qemu-system-x86_64,
 * a child process that vmm owns completely.
 *
 * Guest RAM is a memfd that vmm creates and maps itself and QEMU maps too,
 * so the channel and every check read the very bytes the guest uses.  The
 * guest's doorbell `outb` becomes one byte on a socket (isa-debugcon); the
 * guest then spins on the mailbox until the host acknowledges, so the host
 * reads a consistent mailbox while the guest runs on.  QMP, on a second
 * socket, gives the registers and reports a triple fault (which pauses the
 * guest rather than resetting it).  A halted CPU sends nothing: when the
 * guest has been silent for a while, run() looks at QEMU's HLT flag.
 *
 * QEMU is trusted to be QEMU, but not to stay alive: a QEMU that fails to
 * start or dies ends the guest with its exit status and the end of its
 * stderr, and every read from it is bounded in size and time.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "accel.h"
#include "qemu_argv.h"
#include "qmp.h"

/* microvm puts RAM beyond this above 4 GiB; the guest expects one range at 0. */
#define TCG_MAX_RAM		(3ULL << 30)
#define QMP_LINE_MAX		(64 * 1024)
#define QMP_TIMEOUT_MS		10000	/* QEMU answers in milliseconds; this guards hangs */
#define HALT_CHECK_FIRST_MS	100	/* silence before the first look at HLT */
#define HALT_CHECK_MS		250

struct tcg_vm {
	pid_t pid;
	int ram_fd;
	int doorbell_fd;	/* our ends of the sockets */
	int qmp_fd;
	int stderr_fd;		/* memfd with QEMU's stdout and stderr */
	char *line;		/* QMP bytes read, not yet a whole line */
	size_t line_len;
	bool shutdown;		/* QMP said SHUTDOWN: a triple fault */
	bool dead;		/* QEMU has gone ... */
	char death[512];	/* ... and how, for whoever asks next */
};

static struct tcg_vm *tcg(struct accel *a)
{
	return a->priv;
}

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* VMM_QEMU, or qemu-system-x86_64 found on PATH. */
static const char *qemu_binary(char *buf, size_t size)
{
	const char *env = getenv("VMM_QEMU"), *path = getenv("PATH");

	if (env && *env)
		return env;
	for (const char *p = path ?: "/usr/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, size, "%.*s/%s", (int)n, p, QEMU_DEFAULT_BINARY);
		if (n && access(buf, X_OK) == 0)
			return buf;
		p += n + (p[n] == ':');
	}
	return NULL;
}

static int tcg_probe(char *why, size_t whylen)
{
	char buf[4096];
	const char *bin = qemu_binary(buf, sizeof(buf));

	if (bin && access(bin, X_OK) == 0)
		return 0;
	snprintf(why, whylen, "%s not found%s (Debian package qemu-system-x86)",
		 bin ?: QEMU_DEFAULT_BINARY, bin ? "" : " on PATH");
	return 1;
}

static int tcg_create(struct accel *a, uint64_t size, char *err, size_t errlen)
{
	struct tcg_vm *v = calloc(1, sizeof(*v));

	if (!v)
		return fail(err, errlen, "out of memory");
	*v = (struct tcg_vm){ .ram_fd = -1, .doorbell_fd = -1, .qmp_fd = -1, .stderr_fd = -1 };
	a->priv = v;
	if (size > TCG_MAX_RAM) {
		snprintf(err, errlen, "the TCG accelerator runs guests of at most %llu MiB "
			 "(QEMU's microvm maps more above 4 GiB); use --accel kvm",
			 TCG_MAX_RAM >> 20);
		return -1;
	}
	v->ram_fd = memfd_create("vmm-guest-ram", MFD_CLOEXEC);
	if (v->ram_fd < 0 || ftruncate(v->ram_fd, (size + 8191) & ~8191ULL))
		return fail(err, errlen, "memfd for guest RAM");
	/* A new memfd reads as zeroes: the guest relies on that, as under KVM. */
	a->ram.mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->ram_fd, 0);
	if (a->ram.mem == MAP_FAILED) {
		a->ram.mem = NULL;
		return fail(err, errlen, "mmap guest RAM");
	}
	a->ram.size = size;
	v->line = malloc(QMP_LINE_MAX);
	return v->line ? 0 : fail(err, errlen, "out of memory");
}

/* ---- QEMU's life ------------------------------------------------------------ */

static __attribute__((noreturn)) void exec_qemu(const struct qemu_argv *qa, int out_fd,
						 const int keep[3])
{
	int null = open("/dev/null", O_RDONLY);

	prctl(PR_SET_PDEATHSIG, SIGKILL);	/* QEMU never outlives vmm */
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	for (int i = 0; i < 3; i++)
		fcntl(keep[i], F_SETFD, 0);
	execvp(qa->argv[0], qa->argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", qa->argv[0], strerror(errno));
	_exit(127);
}

/* The last lines QEMU printed, for a diagnosis. */
static void stderr_tail(struct tcg_vm *v, char *out, size_t outlen)
{
	char buf[384];
	off_t end = v->stderr_fd >= 0 ? lseek(v->stderr_fd, 0, SEEK_END) : -1;
	off_t from = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	ssize_t n = end > 0 ? pread(v->stderr_fd, buf, sizeof(buf) - 1, from) : 0;

	if (n <= 0) {
		snprintf(out, outlen, "(QEMU printed nothing)");
		return;
	}
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if ((buf[i] < 0x20 && buf[i] != '\n') || buf[i] == 0x7f)
			buf[i] = '?';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	snprintf(out, outlen, "QEMU said: %s", buf);
}

/*
 * QEMU closed its end: reap it (or kill it) and say how it ended.  Whichever
 * socket shows it first (the watch for a halt may be the one), the answer
 * is kept for every later caller.
 */
static void qemu_gone(struct tcg_vm *v, char *why, size_t whylen)
{
	char tail[400];
	int status = 0;
	pid_t r = 0;

	if (v->dead) {
		snprintf(why, whylen, "%.*s", (int)sizeof(v->death) - 1, v->death);
		return;
	}
	for (int i = 0; i < 100 && (r = waitpid(v->pid, &status, WNOHANG)) == 0; i++)
		usleep(10000);
	if (r == 0) {
		kill(v->pid, SIGKILL);
		r = waitpid(v->pid, &status, 0);
	}
	v->pid = 0;
	v->dead = true;
	stderr_tail(v, tail, sizeof(tail));
	if (r > 0 && WIFEXITED(status))
		snprintf(v->death, sizeof(v->death), "QEMU exited with status %d. %s",
			 WEXITSTATUS(status), tail);
	else if (r > 0 && WIFSIGNALED(status))
		snprintf(v->death, sizeof(v->death), "QEMU was killed by signal %d. %s",
			 WTERMSIG(status), tail);
	else
		snprintf(v->death, sizeof(v->death), "QEMU went away. %s", tail);
	snprintf(why, whylen, "%.*s", (int)sizeof(v->death) - 1, v->death);
}

/* ---- QMP ------------------------------------------------------------------- */

static void note_event(struct tcg_vm *v, const struct qmp_msg *m)
{
	/* reboot=shutdown,shutdown=pause: a triple fault arrives as this. */
	if (m->kind == QMP_EVENT && !strcmp(m->event, "SHUTDOWN"))
		v->shutdown = true;
}

/*
 * The next whole QMP line, waiting until deadline; 1 if none came in time,
 * -1 if QEMU went away or broke the protocol (why says so).
 */
static int qmp_read_line(struct tcg_vm *v, struct qmp_msg *m, uint64_t deadline,
			 char *why, size_t whylen)
{
	for (;;) {
		char *nl = memchr(v->line, '\n', v->line_len);
		struct pollfd p = { .fd = v->qmp_fd, .events = POLLIN };
		uint64_t t = now_ms();
		ssize_t n;
		int r;

		if (nl) {
			size_t len = nl - v->line + 1;

			*nl = '\0';
			qmp_parse(v->line, m);
			memmove(v->line, v->line + len, v->line_len - len);
			v->line_len -= len;
			return 0;
		}
		if (v->line_len == QMP_LINE_MAX) {
			snprintf(why, whylen, "QEMU sent a QMP line longer than %d bytes", QMP_LINE_MAX);
			return -1;
		}
		r = poll(&p, 1, deadline > t ? (int)(deadline - t) : 0);
		if (r < 0 && errno != EINTR)
			return fail(why, whylen, "poll on QMP");
		if (r <= 0) {
			if (now_ms() >= deadline)
				return 1;
			continue;
		}
		n = read(v->qmp_fd, v->line + v->line_len, QMP_LINE_MAX - v->line_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			qemu_gone(v, why, whylen);
			return -1;
		}
		v->line_len += n;
	}
}

/* Send one command and wait for its return (text in m->text, if a string). */
static int qmp_command(struct tcg_vm *v, const char *json, struct qmp_msg *m,
		       char *why, size_t whylen)
{
	uint64_t deadline = now_ms() + QMP_TIMEOUT_MS;
	size_t len = strlen(json);
	int r;

	if (v->dead || send(v->qmp_fd, json, len, MSG_NOSIGNAL) != (ssize_t)len) {
		snprintf(why, whylen, "QEMU's monitor is gone");
		return -1;
	}
	for (;;) {
		r = qmp_read_line(v, m, deadline, why, whylen);
		if (r > 0)
			snprintf(why, whylen, "QEMU's monitor did not answer within %d ms",
				 QMP_TIMEOUT_MS);
		if (r)
			return -1;
		if (m->kind == QMP_RETURN)
			return 0;
		if (m->kind == QMP_ERROR) {
			snprintf(why, whylen, "QEMU refused %s", json);
			qmp_msg_free(m);
			return -1;
		}
		note_event(v, m);
		qmp_msg_free(m);
	}
}

static int qmp_handshake(struct accel *a, char *err, size_t errlen)
{
	struct tcg_vm *v = tcg(a);
	struct qmp_msg m;
	int r = qmp_read_line(v, &m, now_ms() + QMP_TIMEOUT_MS, err, errlen);

	if (r > 0)
		snprintf(err, errlen, "QEMU did not start within %d ms", QMP_TIMEOUT_MS);
	if (r)
		return -1;
	if (m.kind != QMP_GREETING) {
		qmp_msg_free(&m);
		snprintf(err, errlen, "QEMU's monitor did not greet us");
		return -1;
	}
	snprintf(a->description, sizeof(a->description), "tcg (QEMU %d.%d)", m.version[0],
		 m.version[1]);
	qmp_msg_free(&m);
	r = qmp_command(v, "{\"execute\":\"qmp_capabilities\"}\n", &m, err, errlen);
	qmp_msg_free(&m);
	return r;
}

static int tcg_start(struct accel *a, const struct accel_boot *b, char *err, size_t errlen)
{
	struct tcg_vm *v = tcg(a);
	int db[2], qmp[2];
	char bin[4096];
	struct qemu_config c = {
		.binary = qemu_binary(bin, sizeof(bin)) ?: QEMU_DEFAULT_BINARY,
		.kernel = b->kernel, .ram_size = a->ram.size, .fdt = b->fdt, .ram_fd = v->ram_fd,
		.icount = b->icount,
	};
	struct qemu_argv qa;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, db))
		return fail(err, errlen, "socketpair");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, qmp)) {
		close(db[0]);
		close(db[1]);
		return fail(err, errlen, "socketpair");
	}
	v->doorbell_fd = db[0];
	v->qmp_fd = qmp[0];
	c.doorbell_fd = db[1];
	c.qmp_fd = qmp[1];
	v->stderr_fd = memfd_create("qemu-stderr", MFD_CLOEXEC);
	if (v->stderr_fd < 0 || qemu_build_argv(&c, &qa)) {
		close(db[1]);
		close(qmp[1]);
		snprintf(err, errlen, "cannot prepare QEMU's command line (kernel path too long?)");
		return -1;
	}
	v->pid = fork();
	if (v->pid == 0)
		exec_qemu(&qa, v->stderr_fd, (const int[3]){ v->ram_fd, db[1], qmp[1] });
	close(db[1]);
	close(qmp[1]);
	if (v->pid < 0) {
		v->pid = 0;
		return fail(err, errlen, "fork");
	}
	return qmp_handshake(a, err, errlen);
}

/* ---- running ---------------------------------------------------------------- */

/* QEMU's register dump, and whether the CPU sits in a hlt. */
static int query_regs(struct accel *a, struct cpu_regs *r, bool *hlt, char *err, size_t errlen)
{
	static const char cmd[] = "{\"execute\":\"human-monitor-command\","
				  "\"arguments\":{\"command-line\":\"info registers\"}}\n";
	struct qmp_msg m;
	int ret;

	if (qmp_command(tcg(a), cmd, &m, err, errlen))
		return -1;
	ret = m.text ? qmp_parse_registers(m.text, r, hlt) : -1;
	qmp_msg_free(&m);
	if (ret)
		snprintf(err, errlen, "QEMU's register dump could not be read");
	return ret;
}

static int tcg_get_regs(struct accel *a, struct cpu_regs *r, char *err, size_t errlen)
{
	bool hlt;

	return query_regs(a, r, &hlt, err, errlen);
}

/* A dead QEMU shows on the sockets, so a failed query only means "not halted". */
static bool halted(struct accel *a)
{
	struct cpu_regs r;
	char why[256];
	bool hlt = false;

	return !query_regs(a, &r, &hlt, why, sizeof(why)) && hlt;
}

/* Every QMP line already waiting; events only matter for the shutdown flag. */
static int drain_qmp(struct tcg_vm *v, struct vcpu_event *ev)
{
	struct qmp_msg m;
	int r;

	while (!(r = qmp_read_line(v, &m, 0, ev->why, sizeof(ev->why)))) {
		note_event(v, &m);
		qmp_msg_free(&m);
	}
	return r < 0 ? -1 : 0;
}

static bool doorbell(struct tcg_vm *v, struct vcpu_event *ev)
{
	uint8_t byte;
	ssize_t n = read(v->doorbell_fd, &byte, 1);

	if (n == 1) {
		ev->kind = VCPU_DOORBELL;
		ev->value = byte;
		return true;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	ev->kind = VCPU_FAULT;
	qemu_gone(v, ev->why, sizeof(ev->why));
	return true;
}

static void tcg_run(struct accel *a, unsigned timeout_ms, struct vcpu_event *ev)
{
	struct tcg_vm *v = tcg(a);
	uint64_t t = now_ms(), deadline = t + timeout_ms, look = t + HALT_CHECK_FIRST_MS;

	if (v->dead) {
		ev->kind = VCPU_FAULT;
		snprintf(ev->why, sizeof(ev->why), "%.*s", (int)sizeof(v->death) - 1, v->death);
		return;
	}
	for (;;) {
		struct pollfd p[2] = { { .fd = v->doorbell_fd, .events = POLLIN },
				       { .fd = v->qmp_fd, .events = POLLIN } };
		uint64_t until = look < deadline ? look : deadline;

		if (v->shutdown) {
			ev->kind = VCPU_SHUTDOWN;
			return;
		}
		t = now_ms();
		if (poll(p, 2, until > t ? (int)(until - t) : 0) < 0 && errno != EINTR) {
			ev->kind = VCPU_FAULT;
			fail(ev->why, sizeof(ev->why), "poll");
			return;
		}
		if (p[0].revents && doorbell(v, ev))
			return;
		if (p[1].revents && drain_qmp(v, ev)) {
			ev->kind = VCPU_FAULT;
			return;
		}
		t = now_ms();
		if (t >= deadline) {
			ev->kind = VCPU_TIMEOUT;
			return;
		}
		if (t >= look && !v->shutdown) {
			if (halted(a)) {
				ev->kind = VCPU_HALT;
				return;
			}
			look = now_ms() + HALT_CHECK_MS;
		}
	}
}

/* QEMU keeps no count a monitor command can read: under -icount the guest reports it. */
static int64_t tcg_instructions(struct accel *a)
{
	(void)a;
	return -1;
}

static int tcg_single_step(struct accel *a, bool on, char *err, size_t errlen)
{
	(void)a;
	if (!on)
		return 0;
	snprintf(err, errlen, "the TCG accelerator cannot single-step the guest");
	return -1;
}

static void tcg_destroy(struct accel *a)
{
	struct tcg_vm *v = tcg(a);

	if (a->ram.mem)
		munmap(a->ram.mem, a->ram.size);
	a->ram = (struct guest_ram){ 0 };
	if (!v)
		return;
	if (v->pid > 0) {
		kill(v->pid, SIGKILL);
		waitpid(v->pid, NULL, 0);
	}
	for (int *fd = &v->ram_fd; fd <= &v->stderr_fd; fd++)
		if (*fd >= 0)
			close(*fd);
	free(v->line);
	free(v);
	a->priv = NULL;
}

const struct accel_ops tcg_accel_ops = {
	.name = "tcg",
	.icount_tsc = true,
	.probe = tcg_probe,
	.create = tcg_create,
	.start = tcg_start,
	.run = tcg_run,
	.get_regs = tcg_get_regs,
	.instructions = tcg_instructions,
	.single_step = tcg_single_step,
	.destroy = tcg_destroy,
};
