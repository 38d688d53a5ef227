/* run.c: one run of pstdedup: read, group, one calendar per folder, report.
 *
 * Its parts (run_int.h): --merge's many inputs read as one in
 * run_merge.c; the plan of which folder goes to which file in
 * run_plan.c; the output files created, rendered, verified and
 * published in run_out.c. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "compat.h"
#include "cli.h"
#include "dedup.h"
#include "outfile.h"
#include "reader.h"
#include "report.h"
#include "run.h"
#include "run_int.h"
#include "writer.h"
#include "xmalloc.h"

static int	 run_input(const char *);
static int	 run_early(struct run *);
static int	 run_read(struct run *);
static int	 run_list(struct run *);
static int	 run_dedup(struct run *);
static int	 run_dedup_folders(struct run *, char **);
static const char *run_item_file(const struct appt *);
static void	 run_review_first(struct dedup_result *);
static void	 run_unmatched(struct run *, const char *, const char *);
static void	 run_summary(struct run *, const struct report_run *);
static char	*run_calname(const char *);
static void	 run_cleanup(struct run *);
static void	 run_folder_rows(struct run *, struct report_run *);

int
run_main(const struct cli_opts *o)
{
	struct run		 r;
	struct report_run	 run;
	char			*cause = NULL, *options = NULL;
	double			 t[4];
	size_t			 i, kept;
	int			 status;

	memset(&r, 0, sizeof r);
	memset(&run, 0, sizeof run);
	r.o = o;
	if ((status = run_input(o->input)) != EX_OK)
		return status;
	for (i = 1; o->merge && i < (size_t)o->ninputs; i++)
		if ((status = run_input(o->inputs[i])) != EX_OK)
			return status;
	if (o->action == CLI_RUN && (status = run_early(&r)) != EX_OK)
		goto out;
	t[0] = report_clock();
	if ((status = run_read(&r)) != EX_OK)
		goto out;
	t[1] = report_clock();
	if (o->action == CLI_LIST) {
		status = run_list(&r);
		goto out;
	}
	if ((status = run_dedup(&r)) != EX_OK)
		goto out;
	t[2] = report_clock();

	memset(&run, 0, sizeof run);
	run.file = o->input;
	run.rr = &r.rr;
	run.dr = &r.dr;
	run.only_folder = o->folder;
	run.options = options = cli_options_text(o);
	if (report_totals(&r.rr, &r.dr, &run.totals, &cause) != 0) {
		fprintf(stderr, "pstdedup: %s: %s\n", o->input, cause);
		status = EX_SOFTWARE;
		goto out;
	}
	if (!o->quiet)
		report_skips(stderr, &run);
	pl_plan(&r);
	if ((status = pl_outputs(&r)) != EX_OK)
		goto out;
	for (i = 0; i < r.nf; i++) {
		if ((status = pl_render(&r, &r.fv[i], 1)) != EX_OK ||
		    (status = pl_render(&r, &r.fv[i], 0)) != EX_OK)
			goto out;
	}
	run.warnings = r.warns;
	run.nwarnings = r.nwarns;
	if (o->worker)
		run_folder_rows(&r, &run);
	run.totals.degraded = report_count_degraded(r.warns, r.nwarns);
	if (r.report.of != NULL)
		report_write(outfile_fp(r.report.of), &run, o->format);
	if ((status = pl_commit(&r)) != EX_OK)
		goto out;
	t[3] = report_clock();

	if (o->verbose) {
		report_groups(stderr, &run);
		report_reader(stderr, &run);
		report_phases(stderr, o->input, t[1] - t[0], t[2] - t[1],
		    t[3] - t[2]);
	}
	if (!o->quiet)
		run_summary(&r, &run);
	kept = 0;
	for (i = 0; i < r.nf; i++)
		kept += r.fv[i].kept;
	if (kept == 0 && !o->allow_empty) {
		/* Said even with -q: it is why there is no file. */
		fprintf(stderr, "pstdedup: %s: nothing to write: no calendar "
		    "item %s (--allow-empty writes an empty calendar)\n",
		    o->input, run.totals.read == 0 ? "in the folders read" :
		    "kept");
		status = RUN_NOTHING;
	} else
		status = run.totals.damaged != 0 ||
		    run.totals.degraded != 0 ? RUN_PARTIAL : EX_OK;

out:
	free(cause);
	free((void *)run.folders);
	free(options);
	run_cleanup(&r);
	return status;
}

/* A batch worker's report carries a row per folder, with its files. */
static void
run_folder_rows(struct run *r, struct report_run *run)
{
	struct report_folder	*v;
	size_t			 i, n = 0;

	v = xreallocarray(NULL, r->nf + 1, sizeof *v);
	for (i = 0; i < r->nf; i++) {
		if (r->fv[i].rf == NULL)
			continue;
		memset(&v[n], 0, sizeof v[n]);
		v[n].folder = r->fv[i].rel;
		v[n].calendar = r->o->dry_run ? NULL : r->fv[i].cal.path;
		v[n].removed_file = r->fv[i].rm.path;
		v[n].kept = r->fv[i].kept;
		v[n].removed = r->fv[i].removed;
		v[n].skipped = r->fv[i].skipped;
		v[n].read = v[n].kept + v[n].removed + v[n].skipped;
		n++;
	}
	run->folders = v;
	run->nfolders = n;
}

/* The input must exist, be readable and be a regular file. */
static int
run_input(const char *path)
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

/* Before the slow part: refuse outputs that would overwrite the input,
 * each other or (without --force) an existing file, and create the
 * named ones' temporaries. */
static int
run_early(struct run *r)
{
	const struct cli_opts	*o = r->o;
	struct run_out		*outs[3];
	int			 i, j, status;

	r->first_cal.path = o->output != NULL ? xstrdup(o->output) : NULL;
	r->first_rm.path = o->removed != NULL ? xstrdup(o->removed) : NULL;
	r->report.path = o->report != NULL ? xstrdup(o->report) : NULL;
	outs[0] = &r->first_cal;
	outs[1] = &r->first_rm;
	outs[2] = &r->report;
	for (i = 0; i < 3; i++) {
		if (outs[i]->path == NULL)
			continue;
		if (outfile_same(outs[i]->path, o->input)) {
			fprintf(stderr, "pstdedup: %s: cannot create: it is "
			    "the input file\n", outs[i]->path);
			return EX_CANTCREAT;
		}
		for (j = 0; j < i; j++) {
			if (outs[j]->path != NULL &&
			    outfile_same(outs[i]->path, outs[j]->path)) {
				fprintf(stderr, "pstdedup: %s: cannot create: "
				    "named for two outputs\n", outs[i]->path);
				return EX_CANTCREAT;
			}
		}
	}
	for (i = 0; i < 3; i++) {
		if (outs[i]->path != NULL &&
		    (status = pl_open(r, outs[i])) != EX_OK)
			return status;
	}
	return EX_OK;
}

static int
run_read(struct run *r)
{
	const struct cli_opts	*o = r->o;
	struct reader_opts	 ropts;
	const char		*who = o->input;
	char			*cause = NULL, *why;
	int			 error;

	/* Attachment bytes wait on disk, not in memory, until written. */
	if ((r->spool = outfile_scratch(r->first_cal.of, &cause)) == NULL) {
		fprintf(stderr, "pstdedup: %s: %s\n",
		    outfile_scratch_where(r->first_cal.of), cause);
		free(cause);
		return EX_CANTCREAT;
	}
	memset(&ropts, 0, sizeof ropts);
	ropts.spool = r->spool;
	ropts.codepage = o->codepage;
	ropts.reader = o->reader;
	ropts.all_folders = o->all_folders;
	ropts.folder = o->folder;
	report_progress_init(&r->progress, !o->quiet && !o->worker &&
	    isatty(STDERR_FILENO) ? stderr : NULL, o->input);
	ropts.progress = report_progress;
	ropts.progress_arg = &r->progress;
	report_progress_opening(&r->progress);
	if (o->merge && o->ninputs > 1)
		error = pl_read_merged(r, &ropts, &who, &cause);
	else
		error = reader_read(o->input, &ropts, &r->rr, &cause);
	report_progress_done(&r->progress);
	if (error != 0) {
		why = cause;
		if (error == READER_IOERR) {
			fprintf(stderr, "pstdedup: %s: %s\n",
			    outfile_scratch_where(r->first_cal.of), why);
			free(cause);
			return EX_IOERR;
		}
		fprintf(stderr, "pstdedup: %s: %s: %s\n", who,
		    error == READER_NOINPUT ? "cannot open" : "cannot read",
		    why);
		free(cause);
		return error == READER_NOINPUT ? EX_NOINPUT : EX_DATAERR;
	}
	r->have_rr = 1;
	/* The PST password is only a CRC; the data is not encrypted. */
	if (r->rr.password && !o->quiet)
		fprintf(stderr, "pstdedup: %s: password set: ignored, the "
		    "data is not encrypted\n", o->input);
	r->store = r->rr.store_name != NULL ? xstrdup(r->rr.store_name) :
	    run_calname(o->input);
	return EX_OK;
}

/* One name and how many items carry it, for -l. */
struct run_name {
	const char	*name;
	size_t		 n;
};

static void
run_name_add(struct run_name **v, size_t *n, const char *name)
{
	size_t	i;

	if (name == NULL)
		name = "(none)";
	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i].name, name) == 0) {
			(*v)[i].n++;
			return;
		}
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].name = name;
	(*v)[(*n)++].n = 1;
}

static int
run_name_cmp(const void *a, const void *b)
{
	const struct run_name	*x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* -l: the folders, then per folder who created and last modified its
 * items, so the helpdesk knows what to give --avoid or --prefer. */
static int
run_list(struct run *r)
{
	const struct reader_folder	*f;
	const struct appt		*a;
	struct run_name			*cr, *md;
	size_t				 i, j, ncr, nmd;

	report_folders(stdout, &r->rr);
	for (i = 0; i < r->rr.nfolders; i++) {
		f = &r->rr.folders[i];
		if (f->count == 0)
			continue;
		cr = md = NULL;
		ncr = nmd = 0;
		for (j = f->first; j < f->first + f->count; j++) {
			a = r->rr.appts.v[j];
			run_name_add(&cr, &ncr, a->creator);
			run_name_add(&md, &nmd, a->modifier);
		}
		qsort(cr, ncr, sizeof *cr, run_name_cmp);
		qsort(md, nmd, sizeof *md, run_name_cmp);
		printf("\n%s\n%8s  %s\n", f->path, "items", "created by");
		for (j = 0; j < ncr; j++)
			printf("%8zu  %s\n", cr[j].n, cr[j].name);
		printf("%8s  %s\n", "items", "last modified by");
		for (j = 0; j < nmd; j++)
			printf("%8zu  %s\n", md[j].n, md[j].name);
		free(cr);
		free(md);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pstdedup: standard output: cannot write: %s\n",
		    strerror(errno));
		return EX_IOERR;
	}
	return EX_OK;
}

static int
run_dedup(struct run *r)
{
	const struct cli_opts	*o = r->o;
	char			*cause = NULL;
	size_t			 i;
	int			 found, error;

	if (o->folder != NULL) {
		for (found = 0, i = 0; i < r->rr.nfolders; i++)
			found |= r->rr.folders[i].selected;
		if (!found) {
			fprintf(stderr, "pstdedup: %s: -F %s: no such calendar "
			    "folder (-l lists them)\n", o->input, o->folder);
			return EX_USAGE;
		}
	}
	if (!o->quiet) {
		run_unmatched(r, "--avoid", o->dedup.avoid);
		run_unmatched(r, "--prefer", o->dedup.prefer);
	}
	if (o->across_folders)
		error = dedup_run(&r->rr.appts, &o->dedup, &r->dr, &cause);
	else
		error = run_dedup_folders(r, &cause);
	if (error != 0) {
		fprintf(stderr, "pstdedup: %s: %s\n", o->input, cause);
		free(cause);
		return EX_SOFTWARE;
	}
	r->have_dr = 1;
	/* One UID per meeting in every file written (see dedup.h). */
	dedup_uids(&r->rr.appts, &r->dr, writer_uid, run_item_file);
	return EX_OK;
}

/* The file a kept item goes to: its folder's. */
static const char *
run_item_file(const struct appt *a)
{
	return a->folder != NULL ? a->folder : "";
}

/* Group within each folder: dedup each folder's run of items and merge
 * the results, indexes shifted, into one over the whole list. The groups
 * stay sorted: folders hold disjoint, increasing index ranges. */
static int
run_dedup_folders(struct run *r, char **cause)
{
	struct dedup_result		*out = &r->dr;
	struct dedup_result		 dr;
	const struct reader_folder	*f;
	struct appt_list		 sub;
	struct dedup_group		*g;
	size_t				 i, j, k, n = r->rr.appts.n;

	memset(out, 0, sizeof *out);
	out->nitems = n;
	out->dup_of = xreallocarray(NULL, n + 1, sizeof *out->dup_of);
	for (i = 0; i < n; i++)
		out->dup_of[i] = DEDUP_KEPT;
	for (i = 0; i < r->rr.nfolders; i++) {
		f = &r->rr.folders[i];
		if (f->count == 0)
			continue;
		/* A borrowed view: never appt_list_free()d. */
		sub.v = r->rr.appts.v + f->first;
		sub.n = sub.cap = f->count;
		if (dedup_run(&sub, &r->o->dedup, &dr, cause) != 0) {
			dedup_result_free(out);
			return -1;
		}
		for (j = 0; j < dr.nitems; j++) {
			if (dr.dup_of[j] != DEDUP_KEPT)
				out->dup_of[f->first + j] = f->first +
				    dr.dup_of[j];
		}
		out->groups = xreallocarray(out->groups, out->ngroups +
		    dr.ngroups + 1, sizeof *out->groups);
		for (j = 0; j < dr.ngroups; j++) {
			g = &out->groups[out->ngroups++];
			*g = dr.groups[j];	/* takes what it owns */
			for (k = 0; k < g->n; k++)
				g->members[k] += f->first;
		}
		out->kept += dr.kept;
		out->removed += dr.removed;
		out->conflicts += dr.conflicts;
		out->review += dr.review;
		dr.ngroups = 0;
		dedup_result_free(&dr);
	}
	/* Every taken item is in its folder's range; should one not be,
	 * it is kept, and report_totals() checks the sums. */
	for (i = 0, j = 0; i < r->rr.nfolders; i++)
		j += r->rr.folders[i].count;
	out->kept += n - j;
	run_review_first(out);
	return 0;
}

/* As dedup_run() does: groups flagged for review first, across all the
 * folders, each part in its order. */
static void
run_review_first(struct dedup_result *dr)
{
	struct dedup_group	*v;
	size_t			 i, n = 0;

	if (dr->review == 0 || dr->ngroups == 0)
		return;
	v = xreallocarray(NULL, dr->ngroups, sizeof *v);
	for (i = 0; i < dr->ngroups; i++)
		if (dr->groups[i].review)
			v[n++] = dr->groups[i];
	for (i = 0; i < dr->ngroups; i++)
		if (!dr->groups[i].review)
			v[n++] = dr->groups[i];
	memcpy(dr->groups, v, dr->ngroups * sizeof *v);
	free(v);
}

/* --avoid or --prefer that no item's creator or last modifier contains
 * (as dedup compares them) is most likely misspelt. */
static void
run_unmatched(struct run *r, const char *opt, const char *want)
{
	const struct appt	*a;
	char			*needle, *hay;
	size_t			 i;
	int			 found = 0;

	if (want == NULL)
		return;
	needle = dedup_norm_subject(want);
	for (i = 0; i < r->rr.appts.n && !found; i++) {
		a = r->rr.appts.v[i];
		if (a->creator != NULL) {
			hay = dedup_norm_subject(a->creator);
			found = strstr(hay, needle) != NULL;
			free(hay);
		}
		if (!found && a->modifier != NULL) {
			hay = dedup_norm_subject(a->modifier);
			found = strstr(hay, needle) != NULL;
			free(hay);
		}
	}
	free(needle);
	if (!found)
		fprintf(stderr, "pstdedup: %s: %s %s: matches no item's "
		    "creator or last modifier (-l lists them)\n",
		    r->o->input, opt, want);
}

/* The totals, then one line per folder: what it held, what was kept
 * and removed, its file, and whether it needs re-importing at all. */
static void
run_summary(struct run *r, const struct report_run *run)
{
	const struct cli_opts	*o = r->o;
	const struct run_folder	*fv;
	const char		*cal = NULL, *rm = NULL, *sep;
	size_t			 i, ncal = 0, nrm = 0;
	/* A batch worker's report is the parent's business. */
	const char		*report = o->worker ? NULL : o->report;

	for (i = 0; i < r->nf; i++) {
		if (r->fv[i].cal.path != NULL) {
			cal = r->fv[i].cal.path;
			ncal++;
		}
		if (r->fv[i].rm.path != NULL) {
			rm = r->fv[i].rm.path;
			nrm++;
		}
	}
	if (ncal <= 1 && nrm <= 1 && (cal != NULL || rm != NULL ||
	    report != NULL || o->dry_run))
		report_summary(stderr, run, cal, rm, report);
	else {
		report_summary_totals(stderr, run);
		if (ncal > 1 || nrm > 1 || report != NULL) {
			fprintf(stderr, "pstdedup: %s: wrote ", o->input);
			sep = "";
			if (ncal != 0) {
				fprintf(stderr, "%zu calendar %s", ncal,
				    ncal == 1 ? "file" : "files");
				sep = ", ";
			}
			if (nrm != 0) {
				fprintf(stderr, "%s%zu removed-copies %s", sep,
				    nrm, nrm == 1 ? "file" : "files");
				sep = ", ";
			}
			if (report != NULL)
				fprintf(stderr, "%sreport to %s", sep,
				    strcmp(report, "-") == 0 ?
				    "standard output" : report);
			fputc('\n', stderr);
		}
	}
	for (i = 0; i < r->nf; i++) {
		fv = &r->fv[i];
		if (fv->rf == NULL)
			continue;
		fprintf(stderr, "pstdedup: %s: %s: %zu read, %zu kept, %zu "
		    "removed", o->input, fv->rel, fv->kept + fv->removed +
		    fv->skipped, fv->kept, fv->removed);
		if (fv->skipped != 0)
			fprintf(stderr, ", %zu skipped", fv->skipped);
		if (fv->cal.path != NULL)
			fprintf(stderr, ": %s", strcmp(fv->cal.path, "-") == 0 ?
			    "standard output" : fv->cal.path);
		if (fv->rm.path != NULL)
			fprintf(stderr, ", removed copies in %s",
			    strcmp(fv->rm.path, "-") == 0 ? "standard output" :
			    fv->rm.path);
		if (fv->removed == 0)
			fprintf(stderr, "; no duplicates: no re-import "
			    "needed");
		else if (fv->kept == 0)
			fprintf(stderr, "; nothing kept: empty the folder, "
			    "nothing to import");
		fputc('\n', stderr);
	}
}

/* The calendar's name when the store has none: the input's base name
 * without .pst/.ost. */
static char *
run_calname(const char *input)
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
run_cleanup(struct run *r)
{
	size_t	i;

	for (i = 0; i < r->nf; i++) {
		pl_out_abort(&r->fv[i].cal);
		pl_out_abort(&r->fv[i].rm);
		free(r->fv[i].cal.path);
		free(r->fv[i].rm.path);
		free(r->fv[i].rel);
		free(r->fv[i].part);
	}
	free(r->fv);
	pl_out_abort(&r->first_cal);
	pl_out_abort(&r->first_rm);
	pl_out_abort(&r->report);
	free(r->first_cal.path);
	free(r->first_rm.path);
	free(r->report.path);
	free(r->store);
	if (r->spool != NULL)
		fclose(r->spool);
	for (i = 0; i < r->nwarns; i++)
		free(r->warns[i].msg);
	free(r->warns);
	if (r->have_dr)
		dedup_result_free(&r->dr);
	if (r->have_rr)
		reader_result_free(&r->rr);
}
