/* batch.c: many inputs, a worker process each, one combined report. */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "compat.h"
#if COMPAT_FORK
#include <sys/wait.h>
#endif
#include "batch.h"
#include "batch_int.h"
#include "cli.h"
#include "combined.h"
#include "outfile.h"
#include "run.h"
#include "xmalloc.h"

/* Running workers, for the signal handler. */
static pid_t			*batch_pids;
static size_t			 batch_npids;
static volatile sig_atomic_t	 batch_stop;

static int	 batch_mkdirs(const char *, char **);
static int	 batch_start(struct batch *, size_t);
static void	 batch_child(struct batch *, struct batch_in *)
		    __attribute__((noreturn));
static void	 batch_reap(struct batch *, pid_t, int);
static void	 batch_collect(struct batch *, struct batch_in *);
static int	 batch_work(struct batch *, struct batch_in *);
static void	 batch_inline(struct batch *, struct batch_in *);
static void	 batch_progress(struct batch *);
static void	 batch_relay(struct batch *, struct batch_in *);
static void	 batch_signals(void (*)(int));
static void	 batch_signal(int);
static void	 batch_worker_signal(int);
static int	 batch_report(const struct cli_opts *, json_t *,
		    struct outfile *);
static int	 batch_open_report(const struct cli_opts *,
		    struct outfile **);
static void	 batch_free(struct batch *);
static void	 batch_counts(const struct batch *);
static void	 batch_rmdirs(struct batch *);
static void	 batch_workers(struct batch *);
static int	 batch_gather(struct batch *, struct outfile *, int);

/* Run the workers, jobs at a time, until every input is done or a
 * signal stops the batch (batch_stop). */
static void
batch_workers(struct batch *b)
{
	size_t	 next, running;
	long	 ncpu;
	pid_t	 pid;
	int	 jobs, st;

	if ((jobs = b->o->jobs) <= 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = ncpu > 0 ? (int)ncpu : 1;
	}
	batch_pids = xreallocarray(NULL, (size_t)jobs, sizeof *batch_pids);
	batch_npids = 0;
	batch_stop = 0;
	batch_signals(batch_signal);
	next = running = 0;
	for (;;) {
		while (!batch_stop && running < (size_t)jobs && next < b->n) {
			if (!b->v[next].done && batch_start(b, next))
				running++;
			next++;
		}
		if (running == 0 && (next == b->n || batch_stop))
			break;
		batch_progress(b);
		if ((pid = waitpid(-1, &st, 0)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		batch_reap(b, pid, st);
		running--;
	}
	if (b->tty)
		fputs("\r\033[K", stderr);
}

/* Each input's JSON report into the combined report, written to rep
 * when there is one, and the count line: the worst status of all. */
static int
batch_gather(struct batch *b, struct outfile *rep, int status)
{
	const struct cli_opts	*o = b->o;
	struct batch_in		*in;
	struct cli_opts		 co;
	json_t			*doc;
	char			*cause = NULL, *opts;
	size_t			 i;

	doc = combined_new();
	/* The options that shaped each input's result, not each worker's
	 * own -o and -R nor the combined report's name. */
	co = *o;
	co.report = NULL;
	opts = cli_options_text(&co);
	for (i = 0; i < b->n; i++) {
		in = &b->v[i];
		if (combined_add(doc, in->path, in->status, in->rep,
		    &cause) == 0)
			json_object_set_new(json_array_get(json_object_get(doc,
			    "inputs"), json_array_size(json_object_get(doc,
			    "inputs")) - 1), "options", json_string(opts));
		else {
			fprintf(stderr, "pstdedup: %s: internal error: report: "
			    "%s\n", in->path, cause);
			free(cause);
			cause = NULL;
			in->status = EX_SOFTWARE;
		}
		status = combined_worse(status, in->status);
	}
	free(opts);
	combined_finish(doc);
	if (rep != NULL)
		status = combined_worse(status, batch_report(o, doc, rep));
	if (!o->quiet) {
		fprintf(stderr, "pstdedup: %zu inputs:", b->n);
		batch_counts(b);
		fputc('\n', stderr);
		if (o->report != NULL && strcmp(o->report, "-") != 0)
			fprintf(stderr, "pstdedup: combined report: %s\n",
			    o->report);
	}
	json_decref(doc);
	return status;
}

int
batch_main(const struct cli_opts *o)
{
	struct batch	 b;
	struct outfile	*rep = NULL;
	char		 tmpl[4096];
	const char	*tmpdir;
	size_t		 i;
	int		 status = 0, k;

	memset(&b, 0, sizeof b);
	b.o = o;
	b.tty = !o->quiet && isatty(STDERR_FILENO);
	if (o->outdir != NULL && stat(o->outdir, &b.outsb) == 0)
		b.have_outsb = 1;
	else if (o->outdir == NULL && stat(".", &b.outsb) == 0)
		b.have_outsb = 1;
	if (o->report != NULL && (status = batch_open_report(o, &rep)) != 0)
		return status;
	for (i = 0; i < (size_t)o->ninputs; i++) {
		k = (int)b.n;
		bt_add(&b, o->inputs[i], "", 1);
		if ((size_t)k == b.n) {
			fprintf(stderr, "pstdedup: %s: no PST, OST or .ics "
			    "file in it\n", o->inputs[i]);
			status = combined_worse(status, EX_NOINPUT);
		}
	}
	if (b.n == 0) {
		outfile_abort(rep);
		batch_free(&b);
		return status;
	}
	bt_plan(&b);

	if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	snprintf(tmpl, sizeof tmpl, "%s/pstdedup.XXXXXX", tmpdir);
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "pstdedup: %s: cannot create: %s\n", tmpl,
		    strerror(errno));
		outfile_abort(rep);
		batch_free(&b);
		return EX_CANTCREAT;
	}
	b.tmp = xstrdup(tmpl);
	for (i = 0; i < b.n; i++) {
		xasprintf(&b.v[i].report, "%s/%zu.json", b.tmp, i);
		xasprintf(&b.v[i].errlog, "%s/%zu.err", b.tmp, i);
	}

	batch_workers(&b);
	if (batch_stop) {
		/* The workers have cleaned up; take back ours and die of
		 * the same signal. */
		outfile_abort(rep);
		k = batch_stop;
		batch_free(&b);
		batch_signals(SIG_DFL);
		raise(k);
		return EX_SOFTWARE;
	}
	batch_signals(SIG_DFL);
	batch_rmdirs(&b);

	status = batch_gather(&b, rep, status);
	batch_free(&b);
	return status;
}

int
batch_combine(const struct cli_opts *o)
{
	struct outfile	*rep = NULL;
	json_t		*doc, *one;
	char		*cause = NULL;
	int		 i, status = 0, fd;

	if ((status = batch_open_report(o, &rep)) != 0)
		return status;
	doc = combined_new();
	for (i = 0; i < o->ninputs; i++) {
		if ((fd = open(o->inputs[i], O_RDONLY | O_CLOEXEC)) == -1) {
			fprintf(stderr, "pstdedup: %s: cannot open: %s\n",
			    o->inputs[i], strerror(errno));
			status = combined_worse(status, EX_NOINPUT);
			continue;
		}
		close(fd);
		if ((one = combined_load(o->inputs[i], &cause)) == NULL ||
		    combined_merge(doc, one, &cause) != 0) {
			fprintf(stderr, "pstdedup: %s: cannot read: %s\n",
			    o->inputs[i], cause);
			free(cause);
			cause = NULL;
			status = combined_worse(status, EX_DATAERR);
		}
		json_decref(one);
	}
	if (status != 0) {
		outfile_abort(rep);
		json_decref(doc);
		return status;
	}
	combined_finish(doc);
	status = batch_report(o, doc, rep);
	json_decref(doc);
	return status;
}

/* 1 when a worker process is running for input i, 0 when it is done
 * (or could not start). */
static int
batch_start(struct batch *b, size_t i)
{
	struct batch_in	*in = &b->v[i];
	pid_t		 pid;

	fflush(stdout);
	fflush(stderr);
	in->started = 1;
	if (!COMPAT_FORK) {
		batch_inline(b, in);
		return 0;
	}
	if ((pid = fork()) == -1) {
		fprintf(stderr, "pstdedup: %s: cannot start a worker: %s\n",
		    in->path, strerror(errno));
		in->status = EX_SOFTWARE;
		in->done = 1;
		return 0;
	}
	if (pid == 0)
		batch_child(b, in);
	in->pid = pid;
	batch_pids[batch_npids++] = pid;
	return 1;
}

/* The worker: one input through run_main(), then _exit. */
static void
batch_child(struct batch *b, struct batch_in *in)
{
	int	fd;

	batch_signals(batch_worker_signal);
	if (batch_stop)
		_exit(EX_SOFTWARE);
	if ((fd = open(in->errlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) != -1) {
		fflush(stderr);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	_exit(batch_work(b, in));
}

/*
 * Without fork (Windows, compat.h): the worker's work in this process,
 * one input after the other, its messages in its errlog all the same.
 * An interrupt stops the run after the input being read.
 */
static void
batch_inline(struct batch *b, struct batch_in *in)
{
	int	fd, saved;

	saved = -1;
	fflush(stderr);
	if ((fd = open(in->errlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) != -1) {
		saved = dup(STDERR_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	in->status = batch_work(b, in);
	fflush(stderr);
	if (saved != -1) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	in->done = 1;
	b->ndone++;
	batch_relay(b, in);
	batch_collect(b, in);
}

/* One input through run_main(): its exit status. */
static int
batch_work(struct batch *b, struct batch_in *in)
{
	struct cli_opts	 co;
	char		*cause = NULL;
	int		 status;

	co = *b->o;
	co.input = in->path;
	co.output = b->o->dry_run ? NULL : in->output;
	co.removed = NULL;
	co.report = in->report;
	co.format = REPORT_JSON;
	co.worker = 1;
	co.batch = 0;
	if (!b->o->dry_run && batch_mkdirs(in->dir, &cause) != 0) {
		fprintf(stderr, "pstdedup: %s: %s\n", in->dir, cause);
		free(cause);
		fflush(stderr);
		return EX_CANTCREAT;
	}
	status = run_main(&co);
	fflush(stdout);
	fflush(stderr);
	return status;
}

/* mkdir -p. */
static int
batch_mkdirs(const char *dir, char **cause)
{
	struct stat	 sb;
	char		*p, *s;
	int		 end;

	s = xstrdup(dir);
	for (p = s + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (*p == '/' && p[-1] == '/')
			continue;
		end = *p == '\0';
		*p = '\0';
		if (mkdir(s, 0777) == -1 && errno != EEXIST) {
			xasprintf(cause, "cannot create: %s", strerror(errno));
			free(s);
			return -1;
		}
		if (stat(s, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			xasprintf(cause, "cannot create: %s",
			    strerror(ENOTDIR));
			free(s);
			return -1;
		}
		if (end)
			break;
		*p = '/';
	}
	free(s);
	return 0;
}

static void
batch_reap(struct batch *b, pid_t pid, int st)
{
	struct batch_in	*in = NULL;
	size_t		 i;

	for (i = 0; i < batch_npids; i++) {
		if (batch_pids[i] == pid) {
			batch_pids[i] = batch_pids[--batch_npids];
			break;
		}
	}
	for (i = 0; i < b->n; i++) {
		if (b->v[i].started && !b->v[i].done && b->v[i].pid == pid) {
			in = &b->v[i];
			break;
		}
	}
	if (in == NULL)
		return;
	in->done = 1;
	b->ndone++;
	batch_relay(b, in);
	if (WIFEXITED(st))
		in->status = WEXITSTATUS(st);
	else {
		if (!batch_stop)
			fprintf(stderr, "pstdedup: %s: internal error: the "
			    "worker died of signal %d\n", in->path,
			    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		in->status = EX_SOFTWARE;
	}
	batch_collect(b, in);
}

/* A worker's report, once it has ended with in->status. */
static void
batch_collect(struct batch *b, struct batch_in *in)
{
	char	*cause = NULL;

	if (access(in->report, F_OK) == 0) {
		if ((in->rep = combined_load(in->report, &cause)) == NULL) {
			fprintf(stderr, "pstdedup: %s: internal error: its "
			    "report: %s\n", in->path, cause);
			free(cause);
			in->status = combined_worse(in->status, EX_SOFTWARE);
		} else
			b->items += (size_t)json_integer_value(json_object_get(
			    json_object_get(in->rep, "totals"), "read"));
	} else if (in->status == 0 || in->status == RUN_PARTIAL) {
		fprintf(stderr, "pstdedup: %s: internal error: no report\n",
		    in->path);
		in->status = EX_SOFTWARE;
	}
}

/* A worker's messages, at once, below no progress line. */
static void
batch_relay(struct batch *b, struct batch_in *in)
{
	char	 buf[8192];
	size_t	 n;
	FILE	*fp;

	if ((fp = fopen(in->errlog, "r")) == NULL)
		return;
	if (b->tty)
		fputs("\r\033[K", stderr);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(fp);
	fflush(stderr);
	unlink(in->errlog);
}

/* files done / total, items read, the files being read. */
static void
batch_progress(struct batch *b)
{
	size_t	i, len;
	char	line[160];

	if (!b->tty)
		return;
	len = (size_t)snprintf(line, sizeof line, "pstdedup: %zu/%zu files, "
	    "%zu items;", b->ndone, b->n, b->items);
	for (i = 0; i < b->n && len < sizeof line - 1; i++) {
		if (b->v[i].started && !b->v[i].done)
			len += (size_t)snprintf(line + len, sizeof line - len,
			    " %s", b->v[i].path);
	}
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
}

static void
batch_signals(void (*fn)(int))
{
	static const int	 sigs[] = { SIGHUP, SIGINT, SIGTERM };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	if (fn == batch_worker_signal)
		sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The parent: stop every worker; the loop then reaps them. */
static void
batch_signal(int sig)
{
	size_t	i;

	batch_stop = sig;
	for (i = 0; i < batch_npids; i++)
		kill(batch_pids[i], SIGTERM);
}

/* A worker: what main.c does, take back the temporaries and die. */
static void
batch_worker_signal(int sig)
{
	outfile_cleanup();
	raise(sig);
}

static int
batch_open_report(const struct cli_opts *o, struct outfile **of)
{
	char	*cause = NULL;
	int	 error;

	if (o->report == NULL)
		return 0;
	if ((error = outfile_create(o->report, o->force, of, &cause)) == 0)
		return 0;
	return run_out_error(o->report, error, cause);
}

/* The combined report; CSV in a file gets a BOM, for Excel. */
static int
batch_report(const struct cli_opts *o, json_t *doc, struct outfile *of)
{
	char	*cause = NULL;
	int	 tofile = strcmp(o->report, "-") != 0, error;

	if (combined_write(outfile_fp(of), doc, o->format, tofile) != 0) {
		fprintf(stderr, "pstdedup: %s: cannot write: %s\n",
		    tofile ? o->report : "standard output", strerror(errno));
		outfile_abort(of);
		return EX_IOERR;
	}
	if ((error = outfile_commit(of, &cause)) != 0)
		return run_out_error(o->report, error, cause);
	return 0;
}

static void
batch_free(struct batch *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].report != NULL)
			unlink(b->v[i].report);
		if (b->v[i].errlog != NULL)
			unlink(b->v[i].errlog);
		free(b->v[i].errlog);
		free(b->v[i].path);
		free(b->v[i].dir);
		free(b->v[i].output);
		free(b->v[i].report);
		json_decref(b->v[i].rep);
	}
	if (b->tmp != NULL)
		rmdir(b->tmp);
	free(b->tmp);
	free(b->v);
	free(batch_pids);
	batch_pids = NULL;
	batch_npids = 0;
}

/* The directories made for inputs that wrote nothing go again (rmdir
 * takes only empty ones), deepest first. */
static void
batch_rmdirs(struct batch *b)
{
	size_t	i, j, best;
	char	*p;

	for (;;) {
		best = b->n;
		for (i = 0; i < b->n; i++) {
			if (b->v[i].newdir && (best == b->n ||
			    strlen(b->v[i].dir) > strlen(b->v[best].dir)))
				best = i;
		}
		if (best == b->n)
			break;
		p = b->v[best].dir;
		for (j = 0; j < b->n; j++)
			if (b->v[j].newdir && strcmp(b->v[j].dir, p) == 0)
				b->v[j].newdir = 0;
		(void)rmdir(p);
	}
}

/* " 3 done (0), 1 bad data (65)": the inputs by status, best first. */
static void
batch_counts(const struct batch *b)
{
	size_t	i, c;
	int	s, sep = 0;

	for (s = combined_next(-1); s != -1; s = combined_next(s)) {
		for (c = 0, i = 0; i < b->n; i++)
			c += b->v[i].status == s;
		if (c == 0)
			continue;
		fprintf(stderr, "%s %zu %s (%d)", sep++ ? "," : "", c,
		    combined_status_name(s), s);
	}
	/* Statuses outside the list (none today) still count. */
	for (i = 0; i < b->n; i++)
		if (combined_next(b->v[i].status) == -2)
			fprintf(stderr, "%s 1 %s (%d)", sep++ ? "," : "",
			    combined_status_name(b->v[i].status),
			    b->v[i].status);
}
