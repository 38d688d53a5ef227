/* test_corpus_cases.c: single corpus files whose duplicates
 * are known case by case. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "corpus_util.h"

#define HOLIDAYS	"/United States holidays"
#define EXTRACTOR	"pst-extractor__pstextractortest@outlook.com.ost"
#define CHUNKS		"aspose-email-net__Chunks_Test_part1.pst"
#define DISTLIST	"java-libpst__dist-list.pst"

Test(corpus, extractor_all_day)
{
	const char *dir = tu_corpus();
	icalcomponent *ev;
	struct result r;
	size_t holidays = 0, dates = 0;

	run(dir, EXTRACTOR, NULL, &r);
	check_file(&r, 0);
	cr_assert_eq(r.t.read, 169);
	cr_assert_eq(r.t.kept, 169);
	cr_assert_eq(r.t.removed, 0);
	for (size_t i = 0; i < r.nrows; i++) {
		cr_assert(r.rows[i].matched, "\"%s\" not written",
		    r.rows[i].subject);
		if (strstr(r.rows[i].folder, HOLIDAYS) != NULL) {
			holidays++;
			cr_assert(r.rows[i].all_day);
		}
	}
	cr_assert_eq(holidays, 160);
	/* The holidays folder is not merged into the calendar: a file of
	 * its own (check_folders checked whose items are where). */
	cr_assert_eq(r.nfiles, 2);
	cr_assert_eq(r.nlines, 2);
	cr_assert_str_eq(r.lines[0].folder, "Calendar");
	cr_assert_str_eq(r.lines[0].ics, "out.ics");
	cr_assert_eq(r.lines[0].kept, 9);
	cr_assert_str_eq(r.lines[1].folder, "Calendar/United States holidays");
	cr_assert_str_eq(r.lines[1].ics,
	    "out-Calendar-United States holidays.ics");
	cr_assert_eq(r.lines[1].kept, 160);
	/* Matching demanded VALUE=DATE for every all-day row; count them
	 * once more from the output side. */
	for (ev = icalcomponent_get_first_component(r.cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(r.cal, ICAL_VEVENT_COMPONENT))
		if (icalcomponent_get_dtstart(ev).is_date)
			dates++;
	cr_assert_eq(dates, 163);
	result_free(&r);
}

Test(corpus, chunks_exact_copies)
{
	const char *dir = tu_corpus();
	struct result r;

	run(dir, CHUNKS, NULL, &r);
	check_file(&r, 0);
	cr_assert_eq(r.t.read, 9);
	cr_assert_eq(r.t.kept, 1);
	cr_assert_eq(r.t.removed, 8);
	cr_assert_eq(r.t.conflicts, 0);
	result_free(&r);
}

Test(corpus, sample_ost_default)
{
	const char *dir = tu_corpus();
	struct result r;

	run(dir, SAMPLEOST, NULL, &r);
	check_file(&r, 0);
	/* One in Calendar, four in Deleted Items. */
	cr_assert_eq(r.t.read, 1);
	cr_assert_eq(r.t.left_out, 4);
	cr_assert_eq(r.nfiles, 1);
	result_free(&r);

	/* -a: Deleted Items in a file of its own. */
	run(dir, SAMPLEOST, "-a", &r);
	check_file(&r, 1);
	cr_assert_eq(r.nfiles, 2);
	cr_assert_eq(r.nlines, 2);
	/* Folders in the file's order: Deleted Items comes first. */
	cr_assert_str_eq(r.lines[0].folder, "Deleted Items");
	cr_assert_str_eq(r.lines[0].ics, "out-Deleted Items.ics");
	cr_assert_eq(r.lines[0].read, 4);
	cr_assert_str_eq(r.lines[1].ics, "out.ics");
	result_free(&r);
}

Test(corpus, sample_ost_conflict)
{
	const char *dir = tu_corpus();
	icalcomponent *ev;
	struct result r;
	int64_t t, a, b;
	int seen_a = 0, seen_b = 0;
	const char *uid = "d9b5d3fd-f05d-4168-9890-d7551341cb84";

	run(dir, SAMPLEOST, "-a", &r);
	check_file(&r, 1);
	cr_assert_eq(r.t.read, 5);
	cr_assert_geq(r.t.conflicts, 1);
	/* The two Deleted Items copies share a GOID but start 25.745 s
	 * apart and carry nothing that says which is newer: both stay,
	 * the second under a derived UID, and the group needs review. */
	cr_assert_geq(r.t.review, 1);
	a = iso_utc("2011-09-19T21:54:25");
	b = iso_utc("2011-09-19T21:54:00");
	for (ev = icalcomponent_get_first_component(r.cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(r.cal,
	    ICAL_VEVENT_COMPONENT)) {
		if (strcmp(icalcomponent_get_uid(ev), uid) != 0 &&
		    !derived_from(icalcomponent_get_uid(ev), uid))
			continue;
		t = prop_utc(r.cal, icalcomponent_get_first_property(ev,
		    ICAL_DTSTART_PROPERTY), icalcomponent_get_dtstart(ev));
		seen_a |= t == a;
		seen_b |= t == b;
	}
	cr_assert(seen_a && seen_b, "both conflicting copies kept");
	result_free(&r);
}

Test(corpus, dist_list_recurrence)
{
	const char *dir = tu_corpus();
	icalcomponent *ev, *master = NULL;
	icalproperty *p;
	struct icalrecurrencetype rr;
	struct result r;
	int64_t rid[2];
	size_t nrid = 0, nex = 0;

	run(dir, DISTLIST, NULL, &r);
	check_file(&r, 0);
	cr_assert_eq(r.t.read, 1);
	for (ev = icalcomponent_get_first_component(r.cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(r.cal,
	    ICAL_VEVENT_COMPONENT)) {
		p = icalcomponent_get_first_property(ev,
		    ICAL_RECURRENCEID_PROPERTY);
		if (p == NULL) {
			cr_assert_null(master, "two masters");
			master = ev;
			continue;
		}
		cr_assert_lt(nrid, 2, "more than two RECURRENCE-IDs");
		rid[nrid++] = prop_utc(r.cal, p,
		    icalproperty_get_recurrenceid(p));
		cr_assert_str_eq(icalcomponent_get_uid(ev), r.rows[0].uid);
	}
	cr_assert_not_null(master);
	p = icalcomponent_get_first_property(master, ICAL_RRULE_PROPERTY);
	cr_assert_not_null(p, "no RRULE");
	rr = icalproperty_get_rrule(p);
	cr_assert_eq(rr.freq, ICAL_WEEKLY_RECURRENCE);
	cr_assert_eq(rr.interval, 1);
	cr_assert_eq(rr.count, 0);
	cr_assert(icaltime_is_null_time(rr.until), "the series never ends");
	cr_assert_eq(rr.by_day[0], ICAL_TUESDAY_WEEKDAY);
	cr_assert_eq(rr.by_day[1], ICAL_RECURRENCE_ARRAY_MAX);
	/* Tuesdays 08:00 Pacific (PDT, -7 h) = 15:00Z. */
	for (p = icalcomponent_get_first_property(master, ICAL_EXDATE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(master, ICAL_EXDATE_PROPERTY)) {
		cr_assert_eq(prop_utc(r.cal, p, icalproperty_get_exdate(p)),
		    iso_utc("2016-08-09T15:00:00"));
		nex++;
	}
	cr_assert_eq(nex, 1);
	cr_assert_eq(nrid, 2);
	if (rid[0] > rid[1]) {
		int64_t x = rid[0];

		rid[0] = rid[1];
		rid[1] = x;
	}
	cr_assert_eq(rid[0], iso_utc("2016-08-23T15:00:00"));
	cr_assert_eq(rid[1], iso_utc("2016-08-30T15:00:00"));
	result_free(&r);
}
