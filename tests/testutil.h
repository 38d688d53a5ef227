/* testutil.h: helpers shared by the Criterion tests: processes, files,
 * fixtures, the corpus, JSON reports (jansson), written calendars
 * (libical) and dates.
 *
 * Everything returned is owned by the caller: strings and buffers are
 * free()d, json_t values json_decref()ed, icalcomponent values
 * icalcomponent_free()d; what a lookup returns (tu_json_get(),
 * tu_json_str(), tu_corpus()) is borrowed from its container or the
 * environment. The helpers abort the test through Criterion assertions
 * on failure, or skip it when what it needs is not there, so callers
 * need no error paths.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libical/ical.h>

#include "pstwrite.h"

struct tu_run {
	int	 status;	/* exit status, or 128 + signal */
	char	*out;		/* captured stdout, NUL-terminated */
	char	*err;		/* captured stderr */
};

/* Environment variable or NULL when unset or empty. */
const char	*tu_env(const char *);
/* Run argv (argv[0] is a path) in dir (NULL = current), stdin from
 * /dev/null, capturing both streams. */
void		 tu_run(struct tu_run *, const char *dir, char *const argv[]);
void		 tu_run_free(struct tu_run *);
/* The end of a test that ran in dir: frees r, removes dir, frees dir
 * and file (a path in it, or NULL). */
void		 tu_run_done(struct tu_run *, char *dir, char *file);
/* A fresh temporary directory; tu_rmdir() removes it recursively. */
char		*tu_tmpdir(void);
void		 tu_rmdir(const char *);
/* Whole file, NUL-terminated; *len may be NULL. NULL if unreadable. */
char		*tu_slurp(const char *, size_t *len);
void		 tu_spit(const char *, const void *, size_t);
/* The file to: the first len bytes of the file from, which must be
 * longer (a truncated copy of a good input). */
void		 tu_spit_head(const char *to, const char *from, size_t len);
/* Path join; owned by caller. */
char		*tu_path(const char *, const char *);
/* Occurrences of needle in hay, not overlapping. */
int		 tu_count(const char *hay, const char *needle);
/* The n strings of v sorted (strcmp) and joined, each followed by a
 * newline; the strings and v are freed. */
char		*tu_joined(char **v, size_t n);
/* Number of entries in a directory, "." and ".." excluded. */
int		 tu_count_entries(const char *);
/* Build PST out from fixture tests/data/NAME with $MKPST; skips the
 * test when MKPST is not set. */
void		 tu_mkpst(const char *name, const char *out);

/* $PSTDEDUP, the program under test, or skip the test. */
const char	*tu_pstdedup(void);
/* Build dir/in.pst from iCalendar text with $MKPST (the text goes to a
 * sibling directory, so dir holds nothing but the PST); its path, owned
 * by the caller. Skips without $MKPST, fails when mkpst does. */
char		*tu_mkpst_text(const char *dir, const char *text, size_t len);
/* tu_mkpst_text() of a NUL-terminated text into a fresh temporary
 * directory, whose path goes to *dir. */
char		*tu_mkpst_dir(const char *text, char **dir);

/* Run $PSTDEDUP (or skip the test) in dir with the NULL-terminated
 * arguments: under timeout(1) when there is one, so that a hang fails
 * the test, and with "--reader $PSTDEDUP_TEST_READER" first when that is
 * set (the *-libpff.sh scripts run a test binary again with libpff).
 * Fails the test when the program times out or dies of a signal. */
void		 tu_pstdedup_run(struct tu_run *, const char *dir, ...);
/* The same with the arguments in a NULL-terminated array. */
void		 tu_pstdedup_runv(struct tu_run *, const char *dir,
		    char *const args[]);

/* PSTs written with tools/mkpst's pstw_*, failing the test on an
 * error: tu_pstw_open() makes path, a store named name with a folder
 * Calendar (IPF.Appointment) in the IPM subtree, whose id goes to
 * *calendar; tu_pstw_write() writes (and frees) m into folder;
 * tu_pstw_close() finishes the file. */
struct pstw	*tu_pstw_open(const char *path, const char *name,
		    uint32_t *calendar);
void		 tu_pstw_write(struct pstw *, uint32_t folder,
		    struct pstw_msg *m);
void		 tu_pstw_close(struct pstw *);

/* $PSTDEDUP_CORPUS, when it is a directory; else skips the test. */
const char	*tu_corpus(void);
/* The path of a corpus file; skips the test without the corpus or when
 * the file is not in it. */
char		*tu_corpus_file(const char *name);

/* Strict RFC 4648 base64 (padding only at the end); NULL on malformed
 * input. The bytes are followed by a NUL not counted in *len. */
uint8_t		*tu_unbase64(const char *, size_t *len);

/* iCalendar text parsed by libical; fails the test when it does not
 * parse or libical finds errors in it (what names it in the message). */
icalcomponent	*tu_ics_parse(const char *text, const char *what);
/* The calendar file dir/name (name alone when dir is NULL), parsed as
 * tu_ics_parse() does; fails the test when it cannot be read. */
icalcomponent	*tu_ics_load(const char *dir, const char *name);
/* As tu_ics_load(), but NULL when the file does not exist. */
icalcomponent	*tu_ics_load_if(const char *dir, const char *name);
/* The first VEVENT of cal whose SUMMARY is summary: with a
 * RECURRENCE-ID when rid is 1, without one when 0, either when -1;
 * tu_ics_event() fails the test when there is none, tu_ics_event_if()
 * returns NULL. */
icalcomponent	*tu_ics_event(icalcomponent *cal, const char *summary,
		    int rid);
icalcomponent	*tu_ics_event_if(icalcomponent *cal, const char *summary,
		    int rid);
/* The bytes of ev's ATTACH with X-FILENAME file, *len of them; fails
 * the test unless there is one and it is inline (VALUE=BINARY,
 * ENCODING=BASE64, valid base64) with FMTTYPE fmttype. */
uint8_t		*tu_ics_attach(icalcomponent *ev, const char *file,
		    const char *fmttype, size_t *len);

/* JSON through jansson, duplicate keys rejected: a report with a key
 * twice is not a valid report. */
int		 tu_json_valid(const char *text);
/* One JSON document; fails the test when text is not one. */
json_t		*tu_json_parse(const char *text);
/* The JSON file at path, or NULL when it does not exist; fails the test
 * when it is not one JSON document. */
json_t		*tu_json_load(const char *path);
/* The member key of object o; fails the test when o is not an object or
 * has no such member, or when the member is not of the type asked. */
json_t		*tu_json_get(const json_t *o, const char *key);
const char	*tu_json_str(const json_t *o, const char *key);
long		 tu_json_num(const json_t *o, const char *key);
int		 tu_json_bool(const json_t *o, const char *key);
json_t		*tu_json_arr(const json_t *o, const char *key);
/* A report's "totals" member key; -1 when it or "totals" is absent. */
long		 tu_json_total(const json_t *report, const char *key);

/* FILETIME of a civil date and time (UTC, or local as the caller means
 * it), from the product's own date arithmetic. */
int64_t		 tu_ft(int y, int mo, int d, int h, int mi);
/* Unix seconds of a parsed DATE or DATE-TIME: a DATE-TIME with its
 * time zone resolved (UTC when floating), a DATE at midnight UTC. */
int64_t		 tu_utc_of(struct icaltimetype);

#endif
