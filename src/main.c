/* main.c: pstdedup: read a PST/OST, drop duplicate appointments, write .ics. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "dedup.h"
#include "outfile.h"
#include "reader.h"
#include "report.h"
#include "writer.h"
#include "xmalloc.h"

/* Success, but damaged items were skipped: the run is partial. */
#define EXIT_PARTIAL	3

enum { OUT_CALENDAR, OUT_REMOVED, OUT_REPORT, NOUT };

struct main_out {
	const char	*path;		/* NULL: not wanted */
	struct outfile	*of;
};

struct main_ctx {
	const struct cli_opts	*o;
	struct main_out		 out[NOUT];
	struct reader_result	 rr;
	struct dedup_result	 dr;
	int			 have_rr, have_dr;
	struct report_warning	*warns;		/* from the writer */
	size_t			 nwarns;
	FILE			*spool;		/* attachment bytes */
	struct report_progress	 progress;
};

static int	 main_run(const struct cli_opts *);
static int	 main_input(const char *);
static int	 main_outputs(struct main_ctx *);
static int	 main_commit(struct main_ctx *);
static int	 main_render(struct main_ctx *, int, const char *);
static char	*main_calname(const char *);
static int	 main_folder_found(const struct reader_result *);
static void	 main_warn(void *, const struct appt *, const char *);
static void	 main_cleanup(struct main_ctx *);
static void	 main_signals(void);
static void	 main_signal(int);

int
main(int argc, char **argv)
{
	static char	 errbuf[BUFSIZ];
	struct cli_opts	 o;
	char		*cause = NULL;
	int		 status;

	/* Whole lines: an unbuffered stderr costs a system call per
	 * character of the -v listing. */
	setvbuf(stderr, errbuf, _IOLBF, sizeof errbuf);
	if (cli_parse(argc, argv, &o, &cause) != 0) {
		cli_usage_error(stderr, cause);
		free(cause);
		return EX_USAGE;
	}
	main_signals();
	switch (o.action) {
	case CLI_HELP:
	case CLI_VERSION:
		status = EX_OK;
		if ((o.action == CLI_HELP ? cli_help(stdout) :
		    cli_version(stdout)) != 0) {
			fprintf(stderr, "pstdedup: standard output: cannot "
			    "write: %s\n", strerror(errno));
			status = EX_IOERR;
		}
		break;
	case CLI_RUN:
	case CLI_LIST:
	default:
		status = main_run(&o);
		break;
	}
	cli_opts_free(&o);
	return status;
}

static int
main_run(const struct cli_opts *o)
{
	struct main_ctx		 c;
	struct reader_opts	 ropts;
	struct report_run	 run;
	char			*cause = NULL, *why;
	double			 t[4];
	size_t			 skip;
	int			 status, error;

	memset(&c, 0, sizeof c);
	c.o = o;
	if ((status = main_input(o->input)) != EX_OK)
		return status;
	if (o->action == CLI_RUN) {
		c.out[OUT_CALENDAR].path = o->output;
		c.out[OUT_REMOVED].path = o->removed;
		c.out[OUT_REPORT].path = o->report;
		/* Fail on unwritable outputs before the slow part. */
		if ((status = main_outputs(&c)) != EX_OK)
			goto out;
	}

	/* Attachment bytes wait on disk, not in memory, until written. */
	if ((c.spool = outfile_scratch(c.out[OUT_CALENDAR].of,
	    &cause)) == NULL) {
		fprintf(stderr, "pstdedup: %s: %s\n",
		    outfile_scratch_where(c.out[OUT_CALENDAR].of), cause);
		status = EX_CANTCREAT;
		goto out;
	}
	memset(&ropts, 0, sizeof ropts);
	ropts.spool = c.spool;
	ropts.codepage = o->codepage;
	ropts.reader = o->reader;
	ropts.all_folders = o->all_folders;
	ropts.folder = o->folder;
	report_progress_init(&c.progress, !o->quiet && isatty(STDERR_FILENO) ?
	    stderr : NULL, o->input);
	ropts.progress = report_progress;
	ropts.progress_arg = &c.progress;
	t[0] = report_clock();
	report_progress_opening(&c.progress);
	error = reader_read(o->input, &ropts, &c.rr, &cause);
	t[1] = report_clock();
	report_progress_done(&c.progress);
	if (error != 0) {
		/* The reader names the file itself; say it once. */
		skip = strlen(o->input);
		why = cause;
		if (strncmp(why, o->input, skip) == 0 &&
		    strncmp(why + skip, ": ", 2) == 0)
			why += skip + 2;
		if (error == READER_IOERR) {
			fprintf(stderr, "pstdedup: %s: %s\n",
			    outfile_scratch_where(c.out[OUT_CALENDAR].of), why);
			status = EX_IOERR;
			goto out;
		}
		fprintf(stderr, "pstdedup: %s: %s: %s\n", o->input,
		    error == READER_NOINPUT ? "cannot open" : "cannot read",
		    why);
		status = error == READER_NOINPUT ? EX_NOINPUT : EX_DATAERR;
		goto out;
	}
	c.have_rr = 1;
	/* The PST password is only a CRC; the data is not encrypted. */
	if (c.rr.password && !o->quiet)
		fprintf(stderr, "pstdedup: %s: password set: ignored, the "
		    "data is not encrypted\n", o->input);

	if (o->action == CLI_LIST) {
		if (report_folders(stdout, &c.rr) != 0 ||
		    fflush(stdout) != 0) {
			fprintf(stderr, "pstdedup: standard output: cannot "
			    "write: %s\n", strerror(errno));
			status = EX_IOERR;
		}
		goto out;
	}

	if (o->folder != NULL && !main_folder_found(&c.rr)) {
		fprintf(stderr, "pstdedup: %s: -F %s: no such calendar folder "
		    "(-l lists them)\n", o->input, o->folder);
		status = EX_USAGE;
		goto out;
	}
	if (dedup_run(&c.rr.appts, &o->dedup, &c.dr, &cause) != 0) {
		fprintf(stderr, "pstdedup: %s: %s\n", o->input, cause);
		status = EX_SOFTWARE;
		goto out;
	}
	c.have_dr = 1;
	t[2] = report_clock();
	memset(&run, 0, sizeof run);
	run.file = o->input;
	run.rr = &c.rr;
	run.dr = &c.dr;
	if (report_totals(&c.rr, &c.dr, &run.totals, &cause) != 0) {
		fprintf(stderr, "pstdedup: %s: %s\n", o->input, cause);
		status = EX_SOFTWARE;
		goto out;
	}
	if (!o->quiet)
		report_skips(stderr, &run);

	if ((status = main_render(&c, OUT_CALENDAR, "")) != EX_OK ||
	    (status = main_render(&c, OUT_REMOVED, " removed duplicates")) !=
	    EX_OK)
		goto out;
	run.warnings = c.warns;
	run.nwarnings = c.nwarns;
	if (c.out[OUT_REPORT].of != NULL)
		report_write(outfile_fp(c.out[OUT_REPORT].of), &run, o->format);
	if ((status = main_commit(&c)) != EX_OK)
		goto out;
	t[3] = report_clock();

	if (o->verbose) {
		report_groups(stderr, &run);
		report_reader(stderr, &run);
		report_phases(stderr, o->input, t[1] - t[0], t[2] - t[1],
		    t[3] - t[2]);
	}
	if (!o->quiet)
		report_summary(stderr, &run, o->output, o->removed, o->report);
	status = run.totals.damaged != 0 ? EXIT_PARTIAL : EX_OK;

out:
	free(cause);
	main_cleanup(&c);
	return status;
}

/* The input must exist, be readable and be a regular file. */
static int
main_input(const char *path)
{
	struct stat	sb;
	int		fd;

	/* O_NONBLOCK: a FIFO must not hang the open. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		fprintf(stderr, "pstdedup: %s: cannot open: %s\n", path,
		    strerror(errno));
		return EX_NOINPUT;
	}
	if (fstat(fd, &sb) != 0) {
		fprintf(stderr, "pstdedup: %s: cannot open: %s\n", path,
		    strerror(errno));
		close(fd);
		return EX_NOINPUT;
	}
	close(fd);
	if (S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "pstdedup: %s: cannot open: %s\n", path,
		    strerror(EISDIR));
		return EX_NOINPUT;
	}
	if (!S_ISREG(sb.st_mode)) {
		fprintf(stderr, "pstdedup: %s: cannot open: not a regular "
		    "file\n", path);
		return EX_NOINPUT;
	}
	return EX_OK;
}

/* Refuse outputs that would overwrite the input or each other, then
 * create their temporaries. */
static int
main_outputs(struct main_ctx *c)
{
	const char	*path;
	char		*cause = NULL;
	int		 i, j, error;

	for (i = 0; i < NOUT; i++) {
		if ((path = c->out[i].path) == NULL)
			continue;
		if (outfile_same(path, c->o->input)) {
			fprintf(stderr, "pstdedup: %s: cannot create: it is "
			    "the input file\n", path);
			return EX_CANTCREAT;
		}
		for (j = 0; j < i; j++) {
			if (c->out[j].path != NULL &&
			    outfile_same(path, c->out[j].path)) {
				fprintf(stderr, "pstdedup: %s: cannot create: "
				    "named for two outputs\n", path);
				return EX_CANTCREAT;
			}
		}
	}
	for (i = 0; i < NOUT; i++) {
		if ((path = c->out[i].path) == NULL)
			continue;
		error = outfile_open(path, &c->out[i].of, &cause);
		if (error != 0) {
			fprintf(stderr, "pstdedup: %s: %s\n", path, cause);
			free(cause);
			return error == OUTFILE_IOERR ? EX_IOERR :
			    EX_CANTCREAT;
		}
	}
	return EX_OK;
}

/* Publish every output; stop at the first failure. */
static int
main_commit(struct main_ctx *c)
{
	char	*cause = NULL;
	int	 i, error;

	for (i = 0; i < NOUT; i++) {
		if (c->out[i].of == NULL)
			continue;
		error = outfile_commit(c->out[i].of, &cause);
		c->out[i].of = NULL;
		if (error != 0) {
			fprintf(stderr, "pstdedup: %s: %s\n",
			    strcmp(c->out[i].path, "-") == 0 ?
			    "standard output" : c->out[i].path, cause);
			free(cause);
			return error == OUTFILE_CANTCREAT ? EX_CANTCREAT :
			    EX_IOERR;
		}
	}
	return EX_OK;
}

/* Render the kept items (OUT_CALENDAR) or the removed copies
 * (OUT_REMOVED) into their output. */
static int
main_render(struct main_ctx *c, int which, const char *suffix)
{
	struct writer_opts	 wopts;
	struct appt		**v;
	char			*cause = NULL, *base, *name;
	size_t			 i, n;
	int			 kept, error;

	/* A dry run still renders the calendar, to report what the
	 * writer could not express. */
	if (c->out[which].of == NULL &&
	    !(c->o->dry_run && which == OUT_CALENDAR))
		return EX_OK;
	kept = which == OUT_CALENDAR;
	v = xreallocarray(NULL, c->rr.appts.n + 1, sizeof *v);
	n = 0;
	for (i = 0; i < c->rr.appts.n; i++) {
		if ((c->dr.dup_of[i] == DEDUP_KEPT) == kept)
			v[n++] = c->rr.appts.v[i];
	}
	base = main_calname(c->o->input);
	xasprintf(&name, "%s%s", base, suffix);
	free(base);
	memset(&wopts, 0, sizeof wopts);
	wopts.calname = name;
	wopts.warn = main_warn;
	wopts.warn_arg = c;
	wopts.content = c->spool;
	wopts.progress = report_progress_write;
	wopts.progress_arg = &c->progress;
	if (c->out[which].of != NULL &&
	    (wopts.spool = outfile_scratch(c->out[which].of, &cause)) == NULL) {
		fprintf(stderr, "pstdedup: %s: %s\n",
		    outfile_scratch_where(c->out[which].of), cause);
		free(cause);
		free(name);
		free(v);
		return EX_CANTCREAT;
	}
	error = writer_render(v, n, &wopts, c->out[which].of != NULL ?
	    outfile_fp(c->out[which].of) : NULL, &cause);
	report_progress_done(&c->progress);
	if (wopts.spool != NULL)
		fclose(wopts.spool);
	free(name);
	free(v);
	if (error != 0) {
		if (error == WRITER_IOERR)
			fprintf(stderr, "pstdedup: %s: %s\n",
			    outfile_scratch_where(c->out[OUT_CALENDAR].of), cause);
		else
			fprintf(stderr, "pstdedup: %s: cannot write the "
			    "calendar: %s\n", c->o->input, cause);
		free(cause);
		return error == WRITER_IOERR ? EX_IOERR : EX_SOFTWARE;
	}
	return EX_OK;
}

/* Whether -F selected any folder. */
static int
main_folder_found(const struct reader_result *rr)
{
	size_t	i;

	for (i = 0; i < rr->nfolders; i++) {
		if (rr->folders[i].selected)
			return 1;
	}
	return 0;
}

/* The calendar's name: the input's base name without .pst/.ost. */
static char *
main_calname(const char *input)
{
	char	*out, *name;
	size_t	 len;

	/* cli_default_output() already strips; drop its suffix. */
	out = cli_default_output(input);
	len = strlen(out) - strlen("-clean.ics");
	name = xstrndup(out, len);
	free(out);
	return name;
}

static void
main_warn(void *arg, const struct appt *a, const char *msg)
{
	struct main_ctx	*c = arg;

	c->warns = xreallocarray(c->warns, c->nwarns + 1, sizeof *c->warns);
	c->warns[c->nwarns].item = a;
	c->warns[c->nwarns++].msg = xstrdup(msg);
	if (!c->o->quiet)
		report_item_warning(stderr, c->o->input, a, msg);
}

static void
main_cleanup(struct main_ctx *c)
{
	size_t	j;
	int	i;

	for (i = 0; i < NOUT; i++) {
		outfile_abort(c->out[i].of);
		c->out[i].of = NULL;
	}
	if (c->spool != NULL)
		fclose(c->spool);
	for (j = 0; j < c->nwarns; j++)
		free(c->warns[j].msg);
	free(c->warns);
	if (c->have_dr)
		dedup_result_free(&c->dr);
	if (c->have_rr)
		reader_result_free(&c->rr);
}

/* An interrupted run must not leave temporaries behind. */
static void
main_signals(void)
{
	static const int	 sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
main_signal(int sig)
{
	outfile_cleanup();
	raise(sig);
}
