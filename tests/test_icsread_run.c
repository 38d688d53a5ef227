/* test_icsread_run.c: .ics input through pstdedup: names,
 * duplicates, attachments, bad input, fixed point, the corpus. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goid.h"
#include "icsread.h"
#include "model.h"
#include "reader.h"
#include "recur.h"
#include "testutil.h"
#include "icsread_util.h"
#include "tz.h"
#include "writer.h"

Test(icsread_run, bad_input)
{
	static const char	 trunc[] = CAL(
	    "BEGIN:VEVENT\r\nUID:t1\r\nSUMMARY:kept\r\n"
	    "DTSTART:20240301T100000Z\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:t2\r\nSUMMARY:cut\r\nDTST");
	struct tu_run		 r;
	char			*dir, *in, *big, *p;
	size_t			 n = 8u << 20, i, len;

	dir = tu_tmpdir();
	in = tu_path(dir, "t.ics");
	/* Truncated: what came before still comes out, status 3. */
	len = strstr(strstr(trunc, "UID:t2"), "DTST") - trunc + 4;
	tu_spit(in, trunc, len);
	tu_pstdedup_run(&r, dir, "--force", "t.ics", NULL);
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.err, "file ends before END:VCALENDAR") != NULL,
	    "%s", r.err);
	tu_run_free(&r);

	/* Binary junk after BEGIN:VCALENDAR: not an iCalendar file. */
	big = malloc(n + 8192);
	p = big + sprintf(big, "BEGIN:VCALENDAR\r\n");
	for (i = 0; i < 4096; i++)
		*p++ = (char)(i * 7 + 3);
	tu_spit(in, big, (size_t)(p - big));
	tu_pstdedup_run(&r, dir, "--force", "t.ics", NULL);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "pstdedup: t.ics: ") != NULL, "%s", r.err);
	tu_run_free(&r);

	/* A huge line: read, not a crash. */
	p = big + sprintf(big, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:h\r\n"
	    "DTSTART:20240301T100000Z\r\nDESCRIPTION:");
	memset(p, 'x', n);
	p += n;
	p += sprintf(p, "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
	tu_spit(in, big, (size_t)(p - big));
	tu_pstdedup_run(&r, dir, "--force", "t.ics", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	free(big);
	free(in);
	tu_rmdir(dir);
	free(dir);
}

/* pstdedup's own output, read back and written again: the same bytes. */
Test(icsread_run, own_output_is_a_fixed_point)
{
	const char	*src = tu_env("TEST_SRCDIR");
	struct tu_run	 r;
	struct dirent	*de;
	DIR		*d;
	char		*dir, *data, *pst, *a, *b, *ta, *tb;
	size_t		 la, lb, n = 0, len;

	cr_assert_not_null(src, "TEST_SRCDIR not set");
	data = tu_path(src, "data");
	cr_assert_not_null(d = opendir(data));
	dir = tu_tmpdir();
	pst = tu_path(dir, "x.pst");
	a = tu_path(dir, "a.ics");
	b = tu_path(dir, "b.ics");
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".ics") != 0)
			continue;
		tu_mkpst(de->d_name, pst);
		remove(a);
		remove(b);
		tu_pstdedup_run(&r, dir, "-q", "--force", "-o", "a.ics",
		    "x.pst", NULL);
		tu_run_free(&r);
		if ((ta = tu_slurp(a, &la)) == NULL)
			continue;	/* nothing to write */
		tu_pstdedup_run(&r, dir, "-q", "--force", "-o", "b.ics",
		    "a.ics", NULL);
		cr_assert(r.status == 0, "%s: a.ics -> b.ics: status %d: %s",
		    de->d_name, r.status, r.err);
		tu_run_free(&r);
		tb = tu_slurp(b, &lb);
		cr_assert_not_null(tb, "%s: no b.ics", de->d_name);
		cr_assert(la == lb && memcmp(ta, tb, la) == 0,
		    "%s: our output read back is written differently",
		    de->d_name);
		free(ta);
		free(tb);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 15, "only %zu fixtures compared", n);
	free(a);
	free(b);
	free(pst);
	free(data);
	tu_rmdir(dir);
	free(dir);
}

/* ---- Outlook's and others' files, checked by a second parse ---- */

struct sev {
	char	*key;		/* UID + RECURRENCE-ID, or summary + start */
	char	*alt;		/* summary + start */
	int	 has_uid;
	char	*summary;
	time_t	 start, end;	/* UTC; dates as their midnight UTC */
	int	 is_date;
	time_t	 occ[30];	/* RRULE expansion, UTC */
	int	 nocc;
	int	 loose;		/* a date series with a UTC UNTIL */
	int	 is_override;
	int	 seen;
};

/* Every VEVENT with a start of a whole-file libical parse. */
static struct sev *
events_of(const char *path, size_t *np)
{
	icalcomponent		*cal, *ev;
	icalproperty		*p;
	struct icaltimetype	 s, e, rid, o;
	struct icalrecurrencetype rr;
	icalrecur_iterator	*it;
	struct sev		*v = NULL, *x;
	const char		*uid, *sum;
	char			*text;
	size_t			 n = 0;

	text = tu_slurp(path, NULL);
	cr_assert_not_null(text, "%s unreadable", path);
	cal = icalparser_parse_string(text);
	free(text);
	cr_assert_not_null(cal, "%s: libical cannot parse it", path);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		if (icalcomponent_get_first_property(ev,
		    ICAL_DTSTART_PROPERTY) == NULL)
			continue;
		s = icalcomponent_get_dtstart(ev);
		if (icaltime_is_null_time(s))
			continue;
		v = realloc(v, (n + 1) * sizeof *v);
		x = &v[n++];
		memset(x, 0, sizeof *x);
		uid = icalcomponent_get_uid(ev);
		sum = icalcomponent_get_summary(ev);
		x->summary = strdup(sum != NULL ? sum : "");
		x->is_date = s.is_date;
		x->start = tu_utc_of(s);
		e = icalcomponent_get_dtend(ev);
		x->end = icaltime_is_null_time(e) ? x->start +
		    (s.is_date ? 86400 : 0) : tu_utc_of(e);
		if (asprintf(&x->alt, "%s@%lld", x->summary,
		    (long long)x->start) == -1)
			abort();
		x->has_uid = uid != NULL && *uid != '\0';
		if (icalcomponent_get_first_property(ev,
		    ICAL_RECURRENCEID_PROPERTY) != NULL) {
			rid = icalproperty_get_datetime_with_component(
			    icalcomponent_get_first_property(ev,
			    ICAL_RECURRENCEID_PROPERTY), ev);
			x->is_override = 1;
			/* The occurrence's date where it is: an all-day
			 * series' may be a local midnight or a DATE. */
			if (asprintf(&x->key, "%s|%04d%02d%02d", uid != NULL ?
			    uid : "", rid.year, rid.month, rid.day) == -1)
				abort();
		} else if (uid != NULL && *uid != '\0') {
			x->key = strdup(uid);
		} else if (asprintf(&x->key, "%s@%lld", x->summary,
		    (long long)x->start) == -1)
			abort();
		if ((p = icalcomponent_get_first_property(ev,
		    ICAL_RRULE_PROPERTY)) == NULL)
			continue;
		rr = icalproperty_get_rrule(p);
		x->loose = s.is_date && !icaltime_is_null_time(rr.until) &&
		    !rr.until.is_date;
		if ((it = icalrecur_iterator_new(rr, s)) == NULL)
			continue;
		while (x->nocc < 30) {
			o = icalrecur_iterator_next(it);
			if (icaltime_is_null_time(o))
				break;
			o.zone = s.zone;
			x->occ[x->nocc++] = tu_utc_of(o);
		}
		icalrecur_iterator_free(it);
	}
	icalcomponent_free(cal);
	*np = n;
	return v;
}

static void
events_free(struct sev *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].alt);
		free(v[i].summary);
	}
	free(v);
}

/* The number after "read, K kept, R removed ..., S skipped" or 0. */
static long
count_after(const char *err, const char *what)
{
	const char	*p;

	if ((p = strstr(err, what)) == NULL)
		return 0;
	while (p > err && p[-1] == ' ')
		p--;
	while (p > err && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return strtol(p, NULL, 10);
}

Test(icsread_run, corpus_events_survive)
{
	const char	*corp = tu_corpus();
	struct tu_run	 r;
	struct dirent	*de;
	struct sev	*in, *out;
	DIR		*d;
	char		*dir, *ics, *src, *dst, *clean;
	size_t		 nin, nout, i, j, k, nfiles = 0, missing;
	long		 skipped;

	ics = tu_path(corp, "ics");
	if ((d = opendir(ics)) == NULL) {
		free(ics);
		cr_skip_test("no ics/ in the corpus");
	}
	dir = tu_tmpdir();
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		src = tu_path(ics, de->d_name);
		dst = tu_path(dir, "in.ics");
		clean = tu_path(dir, "in-clean.ics");
		{
			size_t	 len;
			char	*t = tu_slurp(src, &len);

			tu_spit(dst, t, len);
			free(t);
		}
		remove(clean);
		tu_pstdedup_run(&r, dir, "--force", "in.ics", NULL);
		cr_assert(r.status == 0 || r.status == 3, "%s: status %d: %s",
		    de->d_name, r.status, r.err);
		cr_assert(r.status == 0 || strstr(r.err, "skipped: ") != NULL,
		    "%s: status 3 without a reason: %s", de->d_name, r.err);
		skipped = count_after(r.err, "skipped (");
		in = events_of(dst, &nin);
		out = events_of(clean, &nout);
		missing = 0;
		for (i = 0; i < nin; i++) {
			/* Without a UID, the output's is made up. */
			for (j = 0; j < nout; j++)
				if (strcmp(in[i].has_uid ? in[i].key :
				    in[i].alt, in[i].has_uid ? out[j].key :
				    out[j].alt) == 0)
					break;
			if (j == nout) {
				missing++;
				continue;
			}
			out[j].seen = 1;
			/* An override without SUMMARY has its series' in
			 * Outlook, and gets it written. */
			if (!in[i].is_override || *in[i].summary != '\0')
				cr_assert_str_eq(in[i].summary, out[j].summary,
				    "%s: %s", de->d_name, in[i].key);
			cr_assert_eq(in[i].start, out[j].start, "%s: %s: start",
			    de->d_name, in[i].key);
			cr_assert_eq(in[i].end, out[j].end, "%s: %s: end",
			    de->d_name, in[i].key);
			cr_assert_eq(in[i].is_date, out[j].is_date, "%s: %s",
			    de->d_name, in[i].key);
			/* RFC 5545 wants a DATE UNTIL on an all-day series;
			 * Outlook's UTC one is its last day's local midnight,
			 * which libical reads as the day before. */
			if (in[i].loose)
				cr_assert(out[j].nocc == in[i].nocc ||
				    out[j].nocc == in[i].nocc + 1,
				    "%s: %s: RRULE "
				    "occurrences", de->d_name, in[i].key);
			else
				cr_assert_eq(in[i].nocc, out[j].nocc, "%s: %s: "
				    "RRULE occurrences", de->d_name, in[i].key);
			for (k = 0; k < (size_t)in[i].nocc; k++)
				cr_assert_eq(in[i].occ[k], out[j].occ[k],
				    "%s: %s: occurrence %zu", de->d_name,
				    in[i].key, k);
		}
		/* Only reported skips may be missing; no event is made up. */
		cr_assert_leq((long)missing, skipped, "%s: %zu events missing, "
		    "%ld skipped: %s", de->d_name, missing, skipped, r.err);
		for (j = 0; j < nout; j++)
			cr_assert(out[j].seen, "%s: %s: not in the input",
			    de->d_name, out[j].key);
		events_free(in, nin);
		events_free(out, nout);
		tu_run_free(&r);
		free(src);
		free(dst);
		free(clean);
		nfiles++;
	}
	closedir(d);
	cr_assert_gt(nfiles, 0);
	free(ics);
	tu_rmdir(dir);
	free(dir);
}
