/* corpus_util.h: helpers shared by the corpus test programs
 * (test_corpus*.c), moved out of test_corpus.c. */
#ifndef CORPUS_UTIL_H
#define CORPUS_UTIL_H

#include <ctype.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"


#define SAMPLEOST	"aspose-email-net__SampleOstFile.ost"

/* One row of expected/<file>.appointments.tsv. */
struct row {
	char		*folder;
	char		*subject;
	int64_t		 start, end;	/* Unix seconds, floored */
	int		 all_day;
	char		*uid;		/* the UID the GOID implies, or NULL */
	int		 matched;
};

/* The report totals pstdedup wrote. */
struct totals {
	long		 folders, read, kept, removed, conflicts, skipped;
	long		 review;
	long		 left_out;
};

/* One folder's line of the summary:
 * "pstdedup: IN: FOLDER: R read, K kept, D removed[, S skipped][: FILE]". */
struct fline {
	char		*folder;	/* below the top of the store */
	char		*ics;		/* base name of its file, or NULL */
	long		 read, kept, removed, skipped;
};

/* One pstdedup run on one corpus file, parsed. */
struct result {
	char		*file;		/* corpus file name */
	json_t		*json;		/* the report */
	struct totals	 t;
	int		 status;
	icalcomponent	*cal;		/* every file's events together */
	icalcomponent	**files;	/* each file parsed alone */
	char		**names;	/* ...and its base name */
	size_t		 nfiles;
	struct fline	*lines;
	size_t		 nlines;
	struct row	*rows;
	size_t		 nrows;
	long		 manifest;	/* MANIFEST.md's count, or -1 */
	long		 calfolders;	/* its calendar folders, or -1 */
};

int64_t
iso_utc(const char *s);

int
hexval(int c);

char *
goid_uid(const char *hex);

size_t
split_tabs(char *line, char **f, size_t max);

void
load_rows(const char *dir, const char *file, struct result *r);

int
manifest_row(const char *dir, const char *file, long *folders, long *count);

void
parse_report(struct result *r);

const char *
first_error(icalcomponent *c);

void
parse_lines(struct result *r, const char *in, const char *err);

void
load_files(struct result *r, const char *tmp);

icalcomponent *
merge_files(struct result *r);

void
run(const char *dir, const char *file, const char *extra, struct result *r);

void
result_free(struct result *r);

int
has_prop(icalcomponent *c, icalproperty_kind k);

void
check_errors(icalcomponent *c, int meeting, int organizer, const char *uid);

void
check_restrictions(icalcomponent *ev);

int64_t
prop_utc(icalcomponent *cal, icalproperty *p, struct icaltimetype t);

long
ymd(int64_t t);

long
date_ymd(struct icaltimetype t);

/* What a master VEVENT says, in the oracle's terms. */
struct event {
	const char	*uid, *summary;
	int		 all_day;
	int64_t		 start, end;	/* all-day: yyyymmdd */
};

void
event_read(icalcomponent *cal, icalcomponent *ev, struct event *e);

int
derived_from(const char *uid, const char *orig);

int
row_matches(const struct row *w, const struct event *e);

void
check_tzids(icalcomponent *cal, icalcomponent *c);

void
check_master_uids(const struct result *r);

void
check_file_uids(const struct result *r, icalcomponent *cal);

int
folder_is(const char *row, const char *rel);

void
check_folders(struct result *r);

void
check_file(struct result *r, int all);

#endif
