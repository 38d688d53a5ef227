/*
 * report_html_int.h: what the HTML review page's parts share, private
 * to them (report_html.h is the interface).
 *
 * report_html_page.c is the page's frame: the constant style and
 * script, their CSP hashes, the head and foot, escaping;
 * report_html_fields.c turns an appointment into the rows of a group's
 * table (times in the item's own zone, people, recurrence, body...);
 * report_html_chart.c draws the inline SVG charts of the removed
 * copies; report_html.c renders one input's section (header, totals,
 * folders, groups, skipped and degraded items) and the page of a run
 * in memory; report_html_json.c walks the combined JSON report into
 * the same sections, after the overview of the whole run.
 *
 * What the page shows comes from a run in memory (one input) or from
 * the combined JSON report (many): both are turned into the structures
 * below, and one renderer draws them. Nothing here fails: output errors
 * are found by rh_foot() through ferror(). Ownership: a struct hinput
 * borrows everything; a struct hgroup filled by its group() callback
 * owns its copies and their texts until rh_group_free().
 */
#ifndef REPORT_HTML_INT_H
#define REPORT_HTML_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dedup.h"
#include "model.h"
#include "report.h"

/* The rows of a group's table, in order. */
enum hfield {
	HF_SUBJECT,
	HF_START,
	HF_END,
	HF_TZ,
	HF_LOCATION,
	HF_ORGANIZER,
	HF_ATTENDEES,
	HF_RECUR,
	HF_EXCEPTIONS,
	HF_BODY,
	HF_ATTACH,
	HF_REMINDER,
	HF_CATEGORIES,
	HF_CREATOR,
	HF_MODIFIER,
	HF_CREATED,
	HF_MODIFIED,
	HF_SEQUENCE,
	HF_FOLDER,
	HF_UID,
	HF_ID,
	HF_COUNT
};

/* Each row's data-field key, its label, and whether a difference
 * between copies is marked. */
struct rh_field {
	const char	*key;		/* data-field */
	const char	*label;
	int		 compare;	/* mark differences */
};
extern const struct rh_field rh_fieldinfo[HF_COUNT];

/* What the page shows, whether it comes from a run in memory (one
 * input) or from the combined JSON report (many): one renderer. */

/* One copy of a group: a column. */
struct hcopy {
	int		 kept;
	int		 older;		/* removed as an older revision */
	char		 id[24];	/* "0xNID" */
	char		 of[24];	/* removed: the copy it duplicates */
	char		*v[HF_COUNT];	/* each row's text, owned; NULL:
					   absent */
};

struct hgroup {
	size_t		 num;		/* as in the text and JSON reports */
	enum dedup_kind	 kind;
	enum dedup_rule	 rule;
	int		 review;
	const char	*why, *key;
	const char	*subject;	/* for the index */
	struct hcopy	*c;		/* kept first */
	size_t		 n;
};

/* A skipped item (flag: damaged) or a warning (flag: degraded). */
struct hrow {
	char		 id[24];
	int		 flag;
	const char	*folder, *subject, *why;
};

struct hfolder {
	const char	*path;
	int		 is_default;
	size_t		 read, kept, removed, skipped, groups;
	const char	*calendar, *removed_file;
};

/* One input's section. Everything borrowed. */
struct hinput {
	const char	*file, *store, *options;
	int		 file_type;
	int		 status;	/* exit status; -1: a single run */
	struct report_totals totals;
	struct hfolder	*folders;
	size_t		 nfolders;
	int		 files;		/* show the files written */
	int64_t		*starts;	/* removed copies, for the charts */
	const char	**creators;
	size_t		 nremoved;
	struct hgroup	*groups;	/* num, kind, review, subject */
	size_t		 ngroups;
	/* Group i in full; rh_group_free() it. */
	void		(*group)(const void *, size_t, struct hgroup *);
	const void	*ctx;
	struct hrow	*skips, *warns;
	size_t		 nskips, nwarns;
};

/* report_html_page.c */
/* Text as HTML text; _lines: line breaks as <br>. */
void	rh_esc(FILE *, const char *);
void	rh_esc_lines(FILE *, const char *);
void	rh_num(FILE *, size_t);
/* title: escaped into <title>. rh_foot(): 0, or -1 when a write to
 * the stream failed. */
void	rh_head(FILE *, const char *);
int	rh_foot(FILE *);

/* report_html_fields.c */
extern const char *const rh_mon[12];	/* "Jan", ... */
void	rh_civil(int64_t, int *, int *, int *, int *, int *, int *);
/* v[HF_COUNT]: each row's text, allocated, NULL when absent. */
void	rh_fields(const struct appt *, char **);
void	rh_fields_free(char **);
int	rh_same(const char *, const char *);

/* report_html_chart.c: starts and creators, one of each per removed
 * copy. */
void	rh_charts(FILE *, const int64_t *, const char *const *, size_t);

/* report_html.c */
void	rh_input(FILE *, const struct hinput *, size_t);
void	rh_totals(FILE *, const struct report_totals *, const char *);
void	rh_files(FILE *, const char *, const char *);
void	rh_group_free(struct hgroup *);

#endif
