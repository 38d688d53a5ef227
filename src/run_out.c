/* run_out.c: a run's output files (run_int.h).
 *
 * Every planned output is checked and its temporary created before any
 * is written (pl_outputs()); each folder's kept items and removed
 * copies are rendered into theirs (pl_render()) and read back against
 * the items (verify.h) before anything may be published; pl_commit()
 * publishes all or, on a failure, takes back the files this run
 * created. The writer's warnings are collected in the struct run for
 * the report. Messages go to standard error as
 * "pstdedup: FILE: what: why"; the functions return the exit status. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "dedup.h"
#include "err.h"
#include "outfile.h"
#include "report.h"
#include "run.h"
#include "run_int.h"
#include "verify.h"
#include "writer.h"
#include "xmalloc.h"

static int	 run_commit_one(struct run *, struct run_out *);
static void	 run_warn(void *, const struct appt *, const char *);
static int	 run_verify(struct run_out *, struct appt *const *, size_t,
		    struct verify_async *);

/* Check every planned output and create its temporary before writing
 * any: nothing is published unless all can be. */
int
pl_outputs(struct run *r)
{
	const struct cli_opts	*o = r->o;
	struct run_out		**v, *out, *first;
	size_t			 i, j, n, ncal, nrm;
	int			 status = EX_OK;

	v = xreallocarray(NULL, 2 * r->nf + 1, sizeof *v);
	n = ncal = nrm = 0;
	for (i = 0; i < r->nf; i++) {
		if (r->fv[i].cal.path != NULL) {
			v[n++] = &r->fv[i].cal;
			ncal++;
		}
		if (r->fv[i].rm.path != NULL) {
			v[n++] = &r->fv[i].rm;
			nrm++;
		}
	}
	if ((o->output != NULL && strcmp(o->output, "-") == 0 && ncal > 1) ||
	    (o->removed != NULL && strcmp(o->removed, "-") == 0 && nrm > 1)) {
		i = o->output != NULL && strcmp(o->output, "-") == 0 &&
		    ncal > 1;
		fprintf(stderr, "pstdedup: %s: %s -: %zu folders to write, "
		    "a file each: name a file, or choose a folder with -F\n",
		    o->input, i ? "-o" : "-r", i ? ncal : nrm);
		free(v);
		return EX_USAGE;
	}
	for (i = 0; i < n && status == EX_OK; i++) {
		out = v[i];
		/* The default calendar's (or the one to standard output)
		 * was opened before reading. */
		first = NULL;
		for (j = 0; j < r->nf; j++) {
			if (out == &r->fv[j].cal && (r->fv[j].part == NULL ||
			    strcmp(out->path, "-") == 0))
				first = &r->first_cal;
			if (out == &r->fv[j].rm && (r->fv[j].part == NULL ||
			    strcmp(out->path, "-") == 0))
				first = &r->first_rm;
		}
		if (first != NULL && first->of != NULL) {
			out->of = first->of;
			out->existed = first->existed;
			first->of = NULL;
			continue;
		}
		for (j = 0; j < n; j++) {
			if (j != i && outfile_same(out->path, v[j]->path))
				break;
		}
		if (j < n || outfile_same(out->path, o->input) ||
		    (r->report.path != NULL &&
		    outfile_same(out->path, r->report.path))) {
			fprintf(stderr, "pstdedup: %s: cannot create: %s\n",
			    out->path, outfile_same(out->path, o->input) ?
			    "it is the input file" : "named for two outputs");
			status = EX_CANTCREAT;
			break;
		}
		status = pl_open(r, out);
	}
	free(v);
	/* The names given that no folder took: nothing goes there. */
	pl_out_abort(&r->first_cal);
	pl_out_abort(&r->first_rm);
	return status;
}

/* Open one output, noting whether a file was there (a failed run takes
 * back only what it created). The exit status. */
int
pl_open(struct run *r, struct run_out *out)
{
	struct stat	 sb;
	char		*cause = NULL;
	int		 error;

	out->existed = strcmp(out->path, "-") == 0 ||
	    lstat(out->path, &sb) == 0;
	error = outfile_create(out->path, r->o->force, &out->of, &cause);
	if (error == 0)
		return EX_OK;
	return run_out_error(out->path, error, cause);
}

int
run_out_error(const char *path, int error, char *cause)
{
	fprintf(stderr, "pstdedup: %s: %s%s\n",
	    strcmp(path, "-") == 0 ? "standard output" : path, cause,
	    error == ERR_EXISTS ? ": not replaced without --force" : "");
	free(cause);
	return err_status(error);
}

/* Render a folder's kept items (cal) or removed copies into its file;
 * a dry run still renders the calendar, to report what the writer
 * could not express. */
int
pl_render(struct run *r, struct run_folder *fv, int cal)
{
	struct writer_opts	 wopts;
	struct verify_opts	 vopts;
	struct verify_async	*va = NULL;
	struct run_out		*out = cal ? &fv->cal : &fv->rm;
	struct appt		**v;
	const char		*where;
	char			*cause = NULL, *vcause = NULL, *name;
	size_t			 i, n, first, count;
	int			 error;

	if (out->of == NULL && !(r->o->dry_run && cal && fv->rf != NULL))
		return EX_OK;
	first = fv->rf != NULL ? fv->rf->first : 0;
	count = fv->rf != NULL ? fv->rf->count : 0;
	v = xreallocarray(NULL, count + 1, sizeof *v);
	for (n = 0, i = first; i < first + count; i++) {
		if ((r->dr.dup_of[i] == DEDUP_KEPT) == cal)
			v[n++] = r->rr.appts.v[i];
	}
	if (fv->rel == NULL)
		xasprintf(&name, "%s%s", r->store, cal ? "" :
		    " (removed duplicates)");
	else
		xasprintf(&name, "%s - %s%s", r->store, fv->rel, cal ? "" :
		    " (removed duplicates)");
	memset(&wopts, 0, sizeof wopts);
	wopts.calname = name;
	wopts.warn = run_warn;
	wopts.warn_arg = r;
	r->rendering_cal = cal;
	wopts.content = r->spool;
	wopts.progress = report_progress_write;
	wopts.progress_arg = &r->progress;
	where = outfile_scratch_where(out->of);
	if (out->of != NULL &&
	    (wopts.spool = outfile_scratch(out->of, &cause)) == NULL) {
		fprintf(stderr, "pstdedup: %s: %s\n", where, cause);
		free(cause);
		free(name);
		free(v);
		return EX_CANTCREAT;
	}
	/* The check runs on other threads while the text is written. */
	_Static_assert(WRITER_EMIT_ZONE == VERIFY_ZONE &&
	    WRITER_EMIT_EVENT == VERIFY_EVENT &&
	    WRITER_EMIT_HEAD == VERIFY_HEAD, "writer and verify kinds");
	memset(&vopts, 0, sizeof vopts);
	if (out->of != NULL &&
	    (va = verify_async_start(v, n, &vopts)) != NULL) {
		wopts.emit = verify_async_put;
		wopts.emit_arg = va;
	}
	error = writer_render(v, n, &wopts, out->of != NULL ?
	    outfile_fp(out->of) : NULL, &cause);
	report_progress_done(&r->progress);
	if (wopts.spool != NULL)
		fclose(wopts.spool);
	if (error != 0 && va != NULL)
		(void)verify_async_end(va, NULL, &vcause);
	/* Read back before success: a mismatch leaves no output. */
	if (error == 0 && out->of != NULL &&
	    (error = run_verify(out, v, n, va)) != EX_OK) {
		free(name);
		free(v);
		return error;
	}
	free(name);
	free(v);
	if (error != 0) {
		if (error == WRITER_IOERR)
			fprintf(stderr, "pstdedup: %s: %s\n", where, cause);
		else
			fprintf(stderr, "pstdedup: %s: cannot write the "
			    "calendar: %s\n", r->o->input, cause);
		free(cause);
		return err_status(error);
	}
	return EX_OK;
}

/* Publish every output; on a failure, take back the files this run
 * created (a file replaced under --force cannot be given back). */
int
pl_commit(struct run *r)
{
	size_t	i;
	int	status = EX_OK;

	for (i = 0; i < r->nf && status == EX_OK; i++) {
		if ((status = run_commit_one(r, &r->fv[i].cal)) == EX_OK)
			status = run_commit_one(r, &r->fv[i].rm);
	}
	if (status == EX_OK)
		status = run_commit_one(r, &r->report);
	if (status == EX_OK)
		return EX_OK;
	for (i = 0; i < r->nf; i++) {
		if (r->fv[i].cal.published && !r->fv[i].cal.existed)
			unlink(r->fv[i].cal.path);
		if (r->fv[i].rm.published && !r->fv[i].rm.existed)
			unlink(r->fv[i].rm.path);
	}
	return status;
}

static int
run_commit_one(struct run *r, struct run_out *out)
{
	char	*cause = NULL;
	int	 error;

	if (out->of == NULL)
		return EX_OK;
	error = outfile_commit(out->of, &cause);
	out->of = NULL;
	if (error == 0) {
		out->published = 1;
		return EX_OK;
	}
	(void)r;
	return run_out_error(out->path, error, cause);
}

/* Check a rendered output against its items (verify.h) before it may
 * be committed. */
static int
run_verify(struct run_out *out, struct appt *const *v, size_t n,
    struct verify_async *va)
{
	struct verify_opts	 vopts;
	const char		*path = out->path;
	char			*cause = NULL, *vcause = NULL;
	FILE			*fp;
	int			 error;

	if (strcmp(path, "-") == 0)
		path = "standard output";
	if ((fp = outfile_reread(out->of, &cause)) == NULL) {
		if (va != NULL)
			(void)verify_async_end(va, NULL, &vcause);
		fprintf(stderr, "pstdedup: %s: %s\n", path, cause);
		free(cause);
		return EX_IOERR;
	}
	if (va != NULL)
		error = verify_async_end(va, fp, &cause);
	else {
		memset(&vopts, 0, sizeof vopts);
		error = verify_ics(fp, v, n, &vopts, &cause);
	}
	fclose(fp);
	if (error != 0) {
		fprintf(stderr, "pstdedup: %s: internal error: verify: %s\n",
		    path, cause);
		free(cause);
		return EX_SOFTWARE;
	}
	return EX_OK;
}

static void
run_warn(void *arg, const struct appt *a, const char *msg)
{
	struct run	*r = arg;

	r->warns = xreallocarray(r->warns, r->nwarns + 1, sizeof *r->warns);
	r->warns[r->nwarns].item = a;
	r->warns[r->nwarns].degraded = r->rendering_cal;
	r->warns[r->nwarns++].msg = xstrdup(msg);
	/* A kept item written with less is listed even with -q. */
	if (r->rendering_cal)
		report_item_degraded(stderr, r->o->input, a, msg);
	else if (!r->o->quiet)
		report_item_warning(stderr, r->o->input, a, msg);
}

void
pl_out_abort(struct run_out *out)
{
	outfile_abort(out->of);
	out->of = NULL;
}
