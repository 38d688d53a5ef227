/*
 * run_int.h: what the parts of a run (run.h) share, private to them.
 *
 * run.c is the pipeline: the input checked, outputs named on the
 * command line refused early, reading, -l, grouping per folder or
 * across folders, the report and the summary, the exit status;
 * run_merge.c reads --merge's inputs into one result; run_plan.c
 * decides which folder goes to which file and names the files;
 * run_out.c creates, renders, verifies and publishes them.
 *
 * A struct run is one run_main(): it owns the reader and dedup results
 * (have_rr, have_dr), the folders' plan and their outputs, the
 * writer's warnings and the content spool until run_cleanup(). A
 * struct run_out owns its path and its open outfile until published
 * or aborted. run_out.c's pl_ functions print their messages
 * ("pstdedup: FILE: what: why") and return an exit status (sysexits);
 * the others print nothing.
 *
 * Functions shared between the parts carry pl_ (the pipeline's); the
 * types keep the module's run_; everything else is static to its part.
 */
#ifndef RUN_INT_H
#define RUN_INT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "dedup.h"
#include "outfile.h"
#include "reader.h"
#include "report.h"

/* One output file. */
struct run_out {
	char		*path;		/* NULL: none */
	struct outfile	*of;
	int		 existed;	/* a file had the name (--force) */
	int		 published;
};

/* A folder that had items, and its outputs. */
struct run_folder {
	const struct reader_folder *rf;	/* NULL: --allow-empty's calendar
					   of a file without items */
	char		*rel;		/* path below the top of the store */
	char		*part;		/* file-name part; NULL: default */
	size_t		 skipped, kept, removed;
	struct run_out	 cal, rm;
};

struct run {
	const struct cli_opts	*o;
	struct reader_result	 rr;
	struct dedup_result	 dr;
	int			 have_rr, have_dr;
	struct run_folder	*fv;
	size_t			 nf;
	struct run_out		 first_cal, first_rm; /* opened early */
	struct run_out		 report;
	char			*store;		/* for X-WR-CALNAME */
	struct report_warning	*warns;		/* from the writer */
	size_t			 nwarns;
	int			 rendering_cal;	/* whose warnings: kept items */
	FILE			*spool;		/* attachment bytes */
	struct report_progress	 progress;
};

/* run_merge.c */
/* --merge: every input read, then one result of them all in r->rr. A
 * folder is the same folder in every file by its path below the top of
 * the store; each file's default calendar is the first file's. 0, or
 * the READER_* code with *cause and in *who the input that failed. */
int	 pl_read_merged(struct run *, const struct reader_opts *,
	    const char **, char **);

/* run_plan.c */
/* Which folders get which files: r->fv from the results. */
void	 pl_plan(struct run *);
/* The default calendar's index in rr->folders, or -1. */
ssize_t	 pl_default(const struct reader_result *);
/* A folder's path below the top of the store (allocated). */
char	*pl_rel(const struct reader_result *, const char *);

/* run_out.c */
/* Check every planned output and create its temporary before writing
 * any. */
int	 pl_outputs(struct run *);
/* Create one output's temporary, noting whether a file was there. */
int	 pl_open(struct run *, struct run_out *);
/* Render a folder's kept items (cal) or removed copies into its file
 * and check it. */
int	 pl_render(struct run *, struct run_folder *, int);
/* Publish every output, or take back what this run created. */
int	 pl_commit(struct run *);
/* Drop an output's temporary, if any. */
void	 pl_out_abort(struct run_out *);

#endif
