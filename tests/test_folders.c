/* test_folders.c: one calendar file per folder, their names, nothing to
 * write, and outputs that are not overwritten without --force. */
#include <criterion/criterion.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader.h"
#include "run.h"
#include "testutil.h"

#define CAL	"/Top of Personal Folders/Calendar"

/* The same holiday in the calendar and in a team calendar below it, a
 * real duplicate inside the calendar, and one item in Deleted Items. */
static const char two_folders_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_folders//EN\r\n"
"BEGIN:VEVENT\r\n"
"UID:holiday@example.com\r\n"
"SUMMARY:Independence Day\r\n"
"DTSTART;VALUE=DATE:20240704\r\n"
"DTEND;VALUE=DATE:20240705\r\n"
"X-PST-CREATOR:Alex Example\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:holiday@example.com\r\n"
"SUMMARY:Independence Day\r\n"
"DTSTART;VALUE=DATE:20240704\r\n"
"DTEND;VALUE=DATE:20240705\r\n"
"X-PST-FOLDER:Calendar/Team\r\n"
"X-PST-CREATOR:Team Admin\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:review@example.com\r\n"
"SUMMARY:Design review\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-CREATOR:Alex Example\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:review@example.com\r\n"
"SUMMARY:Design review\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-CREATOR:Calendar Repair Assistant\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:dentist@example.com\r\n"
"SUMMARY:Dentist\r\n"
"DTSTART:20240711T090000Z\r\n"
"DTEND:20240711T100000Z\r\n"
"X-PST-FOLDER:Deleted Items\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

/* Folder names that collide ignoring case and need replacing. */
static const char names_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_folders//EN\r\n"
"BEGIN:VEVENT\r\n"
"UID:a@example.com\r\n"
"SUMMARY:A\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-FOLDER:Calendar/Team\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:b@example.com\r\n"
"SUMMARY:B\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-FOLDER:Calendar/TEAM\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:c@example.com\r\n"
"SUMMARY:C\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-FOLDER:Q&A: why?\r\n"
"X-PST-FOLDER-CLASS:IPF.Appointment\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

static const char no_events_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_folders//EN\r\n"
"END:VCALENDAR\r\n";

static int
exists(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*path;
	int		 r;

	path = tu_path(dir, name);
	r = stat(path, &sb) == 0;
	free(path);
	return r;
}

/* How many VEVENTs have this summary. */
static int
count(icalcomponent *cal, const char *summary)
{
	icalcomponent	*ev;
	int		 n = 0;

	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		n += summary == NULL ||
		    strcmp(icalcomponent_get_summary(ev), summary) == 0;
	return n;
}

static const char *
calname(icalcomponent *cal)
{
	icalproperty	*p;

	for (p = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(cal, ICAL_X_PROPERTY)) {
		if (strcmp(icalproperty_get_x_name(p), "X-WR-CALNAME") == 0)
			return icalproperty_get_x(p);
	}
	return NULL;
}

Test(folders, output_names)
{
	char	*s;

	s = run_output_name("mail-clean.ics", NULL);
	cr_assert_str_eq(s, "mail-clean.ics");
	free(s);
	s = run_output_name("mail-clean.ics",
	    "Calendar/United States holidays");
	cr_assert_str_eq(s, "mail-clean-Calendar-United States holidays.ics");
	free(s);
	s = run_output_name("out/x.ICS", "a<b>c:d\"e\\f|g?h*i\tj\x7fk.");
	cr_assert_str_eq(s, "out/x-a_b_c_d_e_f_g_h_i_j_k_.ics");
	free(s);
	s = run_output_name("cal", "Team ");
	cr_assert_str_eq(s, "cal-Team_.ics");
	free(s);
}

Test(folders, same_holiday_in_two_folders_is_kept_in_both)
{
	struct tu_run	 r;
	icalcomponent	*main_cal, *team;
	char		*dir, *pst;

	pst = tu_mkpst_dir(two_folders_ics, &dir);
	tu_pstdedup_run(&r, dir, "-r", "rm.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);

	/* Each folder its own file, with only its own items. */
	cr_assert_not_null(main_cal = tu_ics_load_if(dir, "in-clean.ics"));
	cr_assert_not_null(team = tu_ics_load_if(dir,
	    "in-clean-Calendar-Team.ics"));
	cr_assert_eq(count(main_cal, "Independence Day"), 1);
	cr_assert_eq(count(main_cal, "Design review"), 1);
	cr_assert_eq(count(main_cal, NULL), 2);
	cr_assert_eq(count(team, "Independence Day"), 1);
	cr_assert_eq(count(team, NULL), 1);
	cr_assert_str_eq(calname(main_cal), "Personal Folders - Calendar");
	cr_assert_str_eq(calname(team), "Personal Folders - Calendar/Team");
	/* The removed copy is the calendar's own duplicate only; the team
	 * folder removed nothing and gets no removed-copies file. */
	icalcomponent_free(main_cal);
	cr_assert_not_null(main_cal = tu_ics_load_if(dir, "rm.ics"));
	cr_assert_eq(count(main_cal, "Design review"), 1);
	cr_assert_eq(count(main_cal, NULL), 1);
	cr_assert_not(exists(dir, "rm-Calendar-Team.ics"));
	cr_assert_not(exists(dir, "in-clean-Deleted Items.ics"),
	    "Deleted Items without -a");

	/* One summary line per folder; the counts add up. */
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: 4 items read, 3 "
	    "kept, 1 removed (1 group); 1 left out"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: Calendar: 3 "
	    "read, 2 kept, 1 removed: in-clean.ics, removed copies in "
	    "rm.ics\n"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: Calendar/Team: 1 "
	    "read, 1 kept, 0 removed: in-clean-Calendar-Team.ics; no "
	    "duplicates: no re-import needed\n"), "%s", r.err);
	icalcomponent_free(main_cal);
	icalcomponent_free(team);
	tu_run_free(&r);

	/* Across folders the team copy goes, and the kept one stays in
	 * the calendar's file. */
	tu_pstdedup_run(&r, dir, "--force", "--across-folders", "-o", "x.ics",
	    "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(main_cal = tu_ics_load_if(dir, "x.ics"));
	cr_assert_eq(count(main_cal, "Independence Day"), 1);
	cr_assert_not(exists(dir, "x-Calendar-Team.ics"), "nothing kept");
	cr_assert_not_null(strstr(r.err, "Calendar/Team: 1 read, 0 kept, 1 "
	    "removed; nothing kept"), "%s", r.err);
	icalcomponent_free(main_cal);
	tu_run_free(&r);

	/* -a: Deleted Items gets its own file too. */
	tu_pstdedup_run(&r, dir, "-q", "-a", "-o", "a.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(main_cal = tu_ics_load_if(dir,
	    "a-Deleted Items.ics"));
	cr_assert_eq(count(main_cal, NULL), 1);
	cr_assert_eq(count(main_cal, "Dentist"), 1);
	icalcomponent_free(main_cal);
	cr_assert(exists(dir, "a.ics") && exists(dir, "a-Calendar-Team.ics"));
	tu_run_done(&r, dir, pst);
}

Test(folders, names_collide_ignoring_case)
{
	struct tu_run	 r;
	icalcomponent	*a, *b, *c;
	char		*dir, *pst;

	pst = tu_mkpst_dir(names_ics, &dir);
	tu_pstdedup_run(&r, dir, "-q", "in.pst", NULL);
	/* The calendar itself is empty: no file for it. */
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not(exists(dir, "in-clean.ics"));
	cr_assert_not_null(a = tu_ics_load_if(dir,
	    "in-clean-Calendar-Team.ics"));
	cr_assert_not_null(b = tu_ics_load_if(dir,
	    "in-clean-Calendar-TEAM-2.ics"));
	cr_assert_not_null(c = tu_ics_load_if(dir, "in-clean-Q&A_ why_.ics"));
	cr_assert_eq(count(a, "A"), 1);
	cr_assert_eq(count(b, "B"), 1);
	cr_assert_eq(count(c, "C"), 1);
	icalcomponent_free(a);
	icalcomponent_free(b);
	icalcomponent_free(c);
	tu_run_free(&r);

	/* Standard output holds one file only. */
	tu_pstdedup_run(&r, dir, "-o", "-", "in.pst", NULL);
	cr_assert_eq(r.status, 64, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: in.pst: -o -: 3 folders to write, "
	    "a file each: name a file, or choose a folder with -F\n");
	cr_assert_str_empty(r.out);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-q", "-o", "-", "-F", "Q&A: why?", "in.pst",
	    NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "SUMMARY:C\r\n"));
	cr_assert_null(strstr(r.out, "SUMMARY:A\r\n"));
	tu_run_done(&r, dir, pst);
}

Test(folders, nothing_to_write_exits_1_without_a_file)
{
	struct tu_run	 r;
	icalcomponent	*c;
	char		*dir, *pst;

	pst = tu_mkpst_dir(no_events_ics, &dir);
	tu_pstdedup_run(&r, dir, "in.pst", NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: nothing to "
	    "write: no calendar item in the folders read (--allow-empty "
	    "writes an empty calendar)\n"), "%s", r.err);
	cr_assert_eq(tu_count_entries(dir), 1, "a file was written");
	tu_run_free(&r);

	/* Said even with -q, as it is why there is no file. */
	tu_pstdedup_run(&r, dir, "-q", "in.pst", NULL);
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, "nothing to write"));
	tu_run_free(&r);

	tu_pstdedup_run(&r, dir, "-q", "--allow-empty", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(c = tu_ics_load_if(dir, "in-clean.ics"));
	cr_assert_eq(count(c, NULL), 0);
	cr_assert_not_null(calname(c));
	icalcomponent_free(c);
	tu_run_done(&r, dir, pst);
}

Test(folders, calendarless_file_exits_1_without_a_file)
{
	struct tu_run	 r;
	char		*dir, *pst;

	dir = tu_tmpdir();
	pst = tu_path(dir, "in.pst");
	tu_mkpst("bad-nocal.ics", pst);
	tu_pstdedup_run(&r, dir, "-r", "rm.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "no calendar folder in this file"),
	    "%s", r.err);
	cr_assert_not_null(strstr(r.err, "nothing to write"), "%s", r.err);
	cr_assert_eq(tu_count_entries(dir), 1, "a file was written");
	tu_run_done(&r, dir, pst);
}

Test(folders, existing_output_refused_without_force)
{
	struct tu_run	 r;
	char		*dir, *pst, *team, *text;

	pst = tu_mkpst_dir(two_folders_ics, &dir);
	/* Only the second folder's file exists: the run writes nothing at
	 * all, not even the default calendar's file. */
	team = tu_path(dir, "in-clean-Calendar-Team.ics");
	tu_spit(team, "keep me\n", 8);
	tu_pstdedup_run(&r, dir, "in.pst", NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: in-clean-Calendar-Team.ics: "
	    "already exists: not replaced without --force\n");
	cr_assert_not(exists(dir, "in-clean.ics"));
	cr_assert_eq(tu_count_entries(dir), 2, "temporaries left behind");
	cr_assert_not_null(text = tu_slurp(team, NULL));
	cr_assert_str_eq(text, "keep me\n");
	free(text);
	tu_run_free(&r);

	/* The default one exists: refused before reading anything. */
	tu_pstdedup_run(&r, dir, "--force", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-n", "-R", "in-clean.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: in-clean.ics: already exists: not "
	    "replaced without --force\n");
	tu_run_free(&r);
	cr_assert_not_null(text = tu_slurp(team, NULL));
	cr_assert(strncmp(text, "BEGIN:VCALENDAR", 15) == 0);
	free(text);
	tu_rmdir(dir);
	free(team);
	free(pst);
	free(dir);
}

Test(folders, list_names_creators_and_avoid_warns)
{
	struct tu_run	 r;
	char		*dir, *pst;

	pst = tu_mkpst_dir(two_folders_ics, &dir);
	tu_pstdedup_run(&r, dir, "-l", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\n" CAL "\n"
	    "   items  created by\n"
	    "       2  Alex Example\n"
	    "       1  Calendar Repair Assistant\n"
	    "   items  last modified by\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\n" CAL "/Team\n"
	    "   items  created by\n"
	    "       1  Team Admin\n"), "%s", r.out);
	tu_run_free(&r);

	tu_pstdedup_run(&r, dir, "-n", "-x", "Calender Repair", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: --avoid Calender "
	    "Repair: matches no item's creator or last modifier (-l lists "
	    "them)\n"), "%s", r.err);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-n", "-x", "calendar repair", "in.pst", NULL);
	cr_assert_null(strstr(r.err, "matches no item"), "%s", r.err);
	tu_run_done(&r, dir, pst);
}

/* -F counts only its folder, and -a does not bring the rest in. */
Test(folders, folder_option_counts_its_folder)
{
	struct tu_run	 r;
	char		*dir, *pst, *json, *p;

	pst = tu_mkpst_dir(two_folders_ics, &dir);
	tu_pstdedup_run(&r, dir, "-a", "-F", "Team", "-n", "-R", "r.json",
	    "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* The calendar's three and Deleted Items' one. */
	cr_assert_not_null(strstr(r.err, "4 left out (outside the -F "
	    "folder)"), "%s", r.err);
	cr_assert_null(strstr(r.err, "-a includes them"), "%s", r.err);
	p = tu_path(dir, "r.json");
	cr_assert_not_null(json = tu_slurp(p, NULL));
	cr_assert_not_null(strstr(json, "\"folders\":1,"), "%s", json);
	free(json);
	free(p);
	tu_run_done(&r, dir, pst);
}

Test(folders, stdin_input_refused)
{
	struct tu_run	 r;

	tu_pstdedup_run(&r, NULL, "-", NULL);
	cr_assert_eq(r.status, 64);
	cr_assert(strncmp(r.err, "pstdedup: -: cannot read standard input: ",
	    41) == 0, "%s", r.err);
	tu_run_free(&r);
}

/* The corpus OST: the default calendar found through its long-term
 * PidTagIpmAppointmentEntryId, the top of the store, two files; the same
 * with either reader. */
static void
corpus_default(enum reader_kind kind)
{
	struct reader_opts	 o;
	struct reader_result	 rr;
	const char		*corpus;
	char			*path, *cause = NULL;
	size_t			 i, ndef = 0;

	path = tu_corpus_file(
	    "pst-extractor__pstextractortest@outlook.com.ost");
	corpus = tu_corpus();
	memset(&o, 0, sizeof o);
	o.reader = kind;
	cr_assert_eq(reader_read(path, &o, &rr, &cause), 0, "%s", cause);
	cr_assert_str_eq(rr.reader, kind == READER_LIBPFF ? "libpff" : "pst");
	cr_assert_str_eq(rr.top, "/Root - Mailbox/IPM_SUBTREE");
	for (i = 0; i < rr.nfolders; i++) {
		if (!rr.folders[i].is_default)
			continue;
		ndef++;
		cr_assert_str_eq(rr.folders[i].path,
		    "/Root - Mailbox/IPM_SUBTREE/Calendar");
		cr_assert_eq(rr.folders[i].count, 9);
	}
	cr_assert_eq(ndef, 1);
	reader_result_free(&rr);
	free(path);

	path = tu_path(corpus, "aspose-email-net__Outlook.pst");
	if (access(path, R_OK) == 0) {
		cr_assert_eq(reader_read(path, &o, &rr, &cause), 0, "%s",
		    cause);
		cr_assert_str_eq(rr.top, "/Top of Personal Folders");
		cr_assert_str_eq(rr.store_name, "Outlook");
		for (i = 0, ndef = 0; i < rr.nfolders; i++)
			ndef += rr.folders[i].is_default;
		cr_assert_eq(ndef, 1);
		reader_result_free(&rr);
	}
	free(path);
}

Test(folders, corpus_ost_default_calendar)
{
	corpus_default(READER_PST);
	corpus_default(READER_LIBPFF);
}

/* All or nothing: when the last output fails, the calendars this run
 * had already put in place are taken back. */
Test(folders, failed_run_takes_its_files_back)
{
	struct tu_run	 r;
	char		*dir, *pst;

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	pst = tu_mkpst_dir(two_folders_ics, &dir);
	tu_pstdedup_run(&r, dir, "-q", "-R", "/dev/full", "in.pst", NULL);
	cr_assert_eq(r.status, 74, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: /dev/full: cannot write: "),
	    "%s", r.err);
	cr_assert_eq(tu_count_entries(dir), 1, "files left behind");
	tu_run_done(&r, dir, pst);
}
