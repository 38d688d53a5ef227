/* test_cli_run.c: pstdedup end to end: outputs, options,
 * full disks, replaced outputs, kills and attachments. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pstwrite.h"
#include "testutil.h"
#include "cli_util.h"
#include "xmalloc.h"

/* ---- the program ---------------------------------------------------- */

static const char fixture_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_cli//EN\r\n"
"BEGIN:VEVENT\r\n"
"UID:cli-dup-1@example.com\r\n"
"SUMMARY:Weekly sync\r\n"
"DTSTART:20240304T090000Z\r\n"
"DTEND:20240304T093000Z\r\n"
"DTSTAMP:20240301T000000Z\r\n"
"X-PST-CREATOR:Alice Example\r\n"
"X-PST-MODIFIER:Alice Example\r\n"
"X-PST-CREATED:20240301T080000Z\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:cli-dup-1@example.com\r\n"
"SUMMARY:Weekly sync\r\n"
"DTSTART:20240304T090000Z\r\n"
"DTEND:20240304T093000Z\r\n"
"DTSTAMP:20240301T000000Z\r\n"
"X-PST-CREATOR:Calendar Repair Assistant\r\n"
"X-PST-MODIFIER:Calendar Repair Assistant\r\n"
"X-PST-CREATED:20240302T080000Z\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:cli-solo-2@example.com\r\n"
"SUMMARY:Lunch\\, with \"friends\"\r\n"
"DTSTART:20240305T120000Z\r\n"
"DTEND:20240305T130000Z\r\n"
"DTSTAMP:20240301T000000Z\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:cli-old-3@example.com\r\n"
"SUMMARY:Old meeting\r\n"
"X-PST-FOLDER:Deleted Items\r\n"
"X-PST-FOLDER-CLASS:IPF.Note\r\n"
"DTSTART:20240306T120000Z\r\n"
"DTEND:20240306T130000Z\r\n"
"DTSTAMP:20240301T000000Z\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

/* One good item, one whose end precedes its start (damaged), one
 * meeting request (skipped by policy). */
static const char damaged_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_cli//EN\r\n"
"BEGIN:VEVENT\r\n"
"UID:cli-ok@example.com\r\n"
"SUMMARY:Fine\r\n"
"DTSTART:20240304T090000Z\r\n"
"DTEND:20240304T093000Z\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:cli-bad@example.com\r\n"
"SUMMARY:Backwards\r\n"
"DTSTART:20240304T090000Z\r\n"
"DTEND:20240304T093000Z\r\n"
"X-PST-PROP:{00062002-0000-0000-C000-000000000046}/0x820E:TIME:"
    "20240304T080000Z\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:cli-req@example.com\r\n"
"SUMMARY:Invite\r\n"
"X-PST-CLASS:IPM.Schedule.Meeting.Request\r\n"
"DTSTART:20240305T090000Z\r\n"
"DTEND:20240305T093000Z\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

static char *
make_pst(const char *dir)
{
	return tu_mkpst_text(dir, fixture_ics, strlen(fixture_ics));
}

/* Run in dir with stdout a pipe nobody reads; the exit status. */
static int
run_stdout_closed(const char *dir, char *const argv[])
{
	pid_t	pid;
	int	fds[2], st, nul;

	cr_assert_eq(pipe(fds), 0);
	close(fds[0]);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		/* Criterion may ignore SIGPIPE; the program must see it. */
		signal(SIGPIPE, SIG_DFL);
		nul = open("/dev/null", O_WRONLY);
		if (chdir(dir) == -1 || nul == -1)
			_exit(126);
		dup2(fds[1], 1);
		dup2(nul, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Whether /dev holds a leftover temporary of /dev/full. */
static int
dev_has_temp(void)
{
	struct dirent	*de;
	DIR		*d;
	int		 found = 0;

	cr_assert_not_null(d = opendir("/dev"));
	while ((de = readdir(d)) != NULL) {
		if (starts(de->d_name, "full."))
			found = 1;
	}
	closedir(d);
	return found;
}

Test(cli_run, dedup_writes_calendar_removed_and_report)
{
	struct tu_run	 r;
	char		*dir, *pst, *ics, *rm, *rep, *text;

	dir = tu_tmpdir();
	pst = make_pst(dir);
	tu_pstdedup_run(&r, dir, "-r", "removed.ics", "-R", "report.json",
	    "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_empty(r.out);
	cr_assert_str_eq(r.err, "pstdedup: in.pst: 3 items read, 2 kept, "
	    "1 removed (1 group); 1 left out (outside calendar folders; -a "
	    "includes them)\n"
	    "pstdedup: in.pst: wrote in-clean.ics, removed copies to "
	    "removed.ics, report to report.json\n"
	    "pstdedup: in.pst: Calendar: 3 read, 2 kept, 1 removed: "
	    "in-clean.ics, removed copies in removed.ics\n");
	tu_run_free(&r);

	ics = tu_path(dir, "in-clean.ics");
	cr_assert_not_null(text = tu_slurp(ics, NULL));
	cr_assert(starts(text, "BEGIN:VCALENDAR\r\n"));
	cr_assert_eq(count_lines(text, "BEGIN:VEVENT"), 2);
	cr_assert_not_null(strstr(text, "SUMMARY:Weekly sync"));
	cr_assert_not_null(strstr(text, "SUMMARY:Lunch\\, with \"friends\""));
	cr_assert_null(strstr(text, "Old meeting"));
	free(text);

	rm = tu_path(dir, "removed.ics");
	cr_assert_not_null(text = tu_slurp(rm, NULL));
	cr_assert_eq(count_lines(text, "BEGIN:VEVENT"), 1);
	cr_assert_not_null(strstr(text, "SUMMARY:Weekly sync"));
	/* A record, not an undo: its UID cannot update the survivor. */
	cr_assert_eq(count_lines(text, "UID:pstdedup-removed-200044-"
	    "cli-dup-1@example.com"), 1, "%s", text);
	free(text);

	rep = tu_path(dir, "report.json");
	cr_assert_not_null(text = tu_slurp(rep, NULL));
	cr_assert_not_null(strstr(text, "\"totals\":{\"folders\":1,\"read\":3,"
	    "\"kept\":2,\"removed\":1,\"groups\":1,\"conflicts\":0,"
	    "\"review\":0,\"skipped\":0,\"damaged\":0,\"left_out\":1,"),
	    "%s", text);
	/* complete, then oldest: the sync agent's older copy survives. */
	cr_assert_not_null(strstr(text, "\"kind\":\"same-meeting\""), "%s",
	    text);
	cr_assert_not_null(strstr(text, "\"creator\":\"Calendar Repair "
	    "Assistant\",\"modifier\":\"Calendar Repair Assistant\","
	    "\"created\":\"2024-03-02T08:00:00Z\",\"duplicate_of\":"), "%s",
	    text);
	free(text);
	cr_assert_eq(tu_count_entries(dir), 4);
	tu_rmdir(dir);
	free(rep);
	free(rm);
	free(ics);
	free(pst);
	free(dir);
}

Test(cli_run, options_reach_the_pipeline)
{
	struct tu_run	 r;
	char		*dir, *pst;

	dir = tu_tmpdir();
	pst = make_pst(dir);

	/* -a takes Deleted Items too; -n writes nothing. */
	tu_pstdedup_run(&r, dir, "-a", "-n", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(starts(r.err, "pstdedup: in.pst: 4 items read, 3 kept, 1 "
	    "removed (1 group)\n"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "dry run: nothing written\n"));
	tu_run_free(&r);
	cr_assert_eq(tu_count_entries(dir), 1);

	/* -p decides the survivor; -f csv alone prints the report. */
	tu_pstdedup_run(&r, dir, "-q", "-n", "-p", "Repair", "-f", "csv",
	    "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_empty(r.err);
	cr_assert(starts(r.out, "status,kind,group,id,duplicate_of,"), "%s",
	    r.out);
	cr_assert_eq(count_lines(r.out, "kept,same-meeting,1,"), 1);
	cr_assert_eq(count_lines(r.out, "removed,same-meeting,1,"), 1);
	cr_assert_not_null(strstr(r.out, "Calendar Repair Assistant,Calendar "
	    "Repair Assistant,2024-03-02T08:00:00Z,"), "%s", r.out);
	cr_assert(strstr(r.out, "kept,same-meeting,1,") <
	    strstr(r.out, ",Calendar Repair Assistant,"), "%s", r.out);
	tu_run_free(&r);

	/* -v lists the group and the phase times on stderr. */
	tu_pstdedup_run(&r, dir, "-v", "-n", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(starts(r.err, "group 1: same meeting\n"), "%s", r.err);
	cr_assert_null(strchr(r.err, '\r'), "progress on a non-tty");
	{
		const char *tl = strstr(r.err,
		    "\npstdedup: in.pst: time: read ");
		double rd, dd, wr;

		cr_assert_not_null(tl, "%s", r.err);
		cr_assert_eq(sscanf(tl, "\npstdedup: in.pst: time: read %lf s, "
		    "dedup %lf s, write %lf s", &rd, &dd, &wr), 3, "%s", tl);
		cr_assert(rd >= 0 && dd >= 0 && wr >= 0);
	}
	tu_run_free(&r);

	/* -F selects a folder by name or path; a wrong name is an error. */
	tu_pstdedup_run(&r, dir, "-n", "-F", "calendar", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(starts(r.err, "pstdedup: in.pst: 3 items read,"), "%s",
	    r.err);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-n", "-F",
	    "/Top of Personal Folders/Calendar", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	tu_pstdedup_run(&r, dir, "-F", "Kalender", "in.pst", NULL);
	cr_assert_eq(r.status, 64);
	cr_assert_str_eq(r.err, "pstdedup: in.pst: -F Kalender: no such "
	    "calendar folder (-l lists them)\n");
	tu_run_free(&r);
	cr_assert_eq(tu_count_entries(dir), 1);

	/* -l lists folders and exits. */
	tu_pstdedup_run(&r, dir, "-l", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "  yes       "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "Deleted Items\n"), "%s", r.out);
	cr_assert_eq(tu_count_entries(dir), 1);
	tu_run_done(&r, dir, pst);
}

Test(cli_run, calendar_to_stdout)
{
	struct tu_run	 r;
	char		*dir, *pst;

	dir = tu_tmpdir();
	pst = make_pst(dir);
	tu_pstdedup_run(&r, dir, "-q", "-o", "-", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_empty(r.err);
	cr_assert(starts(r.out, "BEGIN:VCALENDAR\r\n"), "%s", r.out);
	cr_assert_eq(count_lines(r.out, "BEGIN:VEVENT"), 2);
	cr_assert_eq(tu_count_entries(dir), 1);
	tu_run_done(&r, dir, pst);
}

Test(cli_run, full_disk_exits_74_and_leaves_nothing)
{
	char	*dir, *pst, *err;

	dir = tu_tmpdir();
	pst = make_pst(dir);
	cr_assert_eq(run_stdout_to("/dev/null", &err, (char *const[]){
	    (char *)tu_pstdedup(), (char *)"-q", (char *)"-o",
	    (char *)"/dev/full",
	    pst, NULL }), 74, "%s", err);
	cr_assert_str_eq(err, "pstdedup: /dev/full: cannot write: No space "
	    "left on device\n");
	free(err);
	cr_assert(!dev_has_temp());

	cr_assert_eq(run_stdout_to("/dev/full", &err, (char *const[]){
	    (char *)tu_pstdedup(), (char *)"-q", (char *)"-o", (char *)"-", pst,
	    NULL }), 74, "%s", err);
	cr_assert_str_eq(err, "pstdedup: standard output: cannot write: No "
	    "space left on device\n");
	free(err);

	cr_assert_eq(run_stdout_to("/dev/null", &err, (char *const[]){
	    (char *)tu_pstdedup(), (char *)"-q", (char *)"-n", (char *)"-R",
	    (char *)"/dev/full", pst, NULL }), 74, "%s", err);
	free(err);
	cr_assert_eq(tu_count_entries(dir), 1);
	tu_rmdir(dir);
	free(pst);
	free(dir);
}

Test(cli_run, existing_output_replaced_keeping_its_mode)
{
	struct tu_run	 r;
	struct stat	 sb;
	char		*dir, *pst, *out, *text;

	dir = tu_tmpdir();
	pst = make_pst(dir);
	out = tu_path(dir, "out.ics");
	tu_spit(out, "old content\n", 12);
	cr_assert_eq(chmod(out, 0640), 0);
	/* Not without --force: the file and the option named, the file
	 * untouched, no temporary left. */
	tu_pstdedup_run(&r, dir, "-q", "-o", "out.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: out.ics: already exists: not "
	    "replaced without --force\n");
	tu_run_free(&r);
	cr_assert_not_null(text = tu_slurp(out, NULL));
	cr_assert_str_eq(text, "old content\n");
	free(text);
	cr_assert_eq(tu_count_entries(dir), 2);
	tu_pstdedup_run(&r, dir, "-q", "--force", "-o", "out.ics", "in.pst",
	    NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	cr_assert_not_null(text = tu_slurp(out, NULL));
	cr_assert(starts(text, "BEGIN:VCALENDAR\r\n"));
	free(text);
	cr_assert_eq(stat(out, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0640);
	cr_assert_eq(tu_count_entries(dir), 2);
	tu_rmdir(dir);
	free(out);
	free(pst);
	free(dir);
}

Test(cli_run, damaged_items_exit_3)
{
	struct tu_run	 r;
	char		*dir, *pst;

	pst = tu_mkpst_dir(damaged_ics, &dir);
	tu_pstdedup_run(&r, dir, "-n", "in.pst", NULL);
	cr_assert_eq(r.status, 3, "%d %s", r.status, r.err);
	cr_assert_str_eq(r.err,
	    "pstdedup: in.pst: /Top of Personal Folders/Calendar/0x200044 "
	    "\"Backwards\": skipped: end before start\n"
	    "pstdedup: in.pst: /Top of Personal Folders/Calendar/0x200064 "
	    "\"Invite\": skipped: meeting request\n"
	    "pstdedup: in.pst: 3 items read, 1 kept, 0 removed (0 groups), "
	    "2 skipped (1 damaged)\n"
	    "pstdedup: in.pst: dry run: nothing written\n"
	    "pstdedup: in.pst: Calendar: 3 read, 1 kept, 0 removed, 2 "
	    "skipped; no duplicates: no re-import needed\n");
	tu_run_free(&r);

	/* Quiet hides the warnings, not the status; the report has both. */
	tu_pstdedup_run(&r, dir, "-q", "-n", "-f", "csv", "in.pst", NULL);
	cr_assert_eq(r.status, 3);
	cr_assert_str_empty(r.err);
	cr_assert_eq(count_lines(r.out, "skipped,damaged,,0x200044,,"
	    "Backwards,,,/Top of Personal Folders/Calendar,,,,end before "
	    "start,,,,\r"), 1, "%s", r.out);
	cr_assert_eq(count_lines(r.out, "skipped,policy,,0x200064,,Invite,"),
	    1, "%s", r.out);
	tu_run_done(&r, dir, pst);
}

Test(cli_run, killed_run_leaves_no_temporaries)
{
	char	*dir, *pst;

	dir = tu_tmpdir();
	pst = make_pst(dir);
	/* The calendar's write to the dead pipe raises SIGPIPE while the
	 * report's temporary exists: the handler must remove it. */
	cr_assert_eq(run_stdout_closed(dir,
	    (char *const[]){ (char *)tu_pstdedup(),
	    (char *)"-q", (char *)"-o", (char *)"-", (char *)"-R",
	    (char *)"report.txt", (char *)"in.pst", NULL }), 128 + SIGPIPE);
	cr_assert_eq(tu_count_entries(dir), 1);
	tu_rmdir(dir);
	free(pst);
	free(dir);
}

/* ---- Attachments end to end ---- */

static int
count_attach(icalcomponent *cal)
{
	icalcomponent	*e;
	int		 n = 0;

	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL;
	    e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		n += icalcomponent_count_properties(e, ICAL_ATTACH_PROPERTY);
	return n;
}

/* ev has an inline ATTACH named file of this type holding these bytes. */
static void
expect_attach(icalcomponent *ev, const char *file, const char *fmttype,
    const void *want, size_t wantlen)
{
	uint8_t		*got;
	size_t		 len;

	got = tu_ics_attach(ev, file, fmttype, &len);
	cr_assert_eq(len, wantlen, "\"%s\": %zu bytes, want %zu", file, len,
	    wantlen);
	cr_assert_eq(memcmp(got, want, len), 0, "\"%s\" differs", file);
	free(got);
}

Test(cli_run, fixture_attachments_survive)
{
	static const char	 agenda[] = "1. Budget\n2. Caf\xC3\xA9 prices "
	    "\xE2\x80\x93 5 \xE2\x82\xAC\n3. AOB";
	struct tu_run		 r;
	icalcomponent		*cal, *ev;
	char			*dir, *pst;

	dir = tu_tmpdir();
	pst = tu_path(dir, "in.pst");
	tu_mkpst("attachments.ics", pst);
	tu_pstdedup_run(&r, dir, "-r", "removed.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: in.pst: 5 items read, 4 kept, "
	    "1 removed (1 group)\n"
	    "pstdedup: in.pst: wrote in-clean.ics, removed copies to "
	    "removed.ics\n"
	    "pstdedup: in.pst: Calendar: 5 read, 4 kept, 1 removed: "
	    "in-clean.ics, removed copies in removed.ics\n");
	tu_run_free(&r);

	cal = tu_ics_load(dir, "in-clean.ics");
	cr_assert_eq(count_attach(cal), 4);
	/* An OLE object (method 6): its storage's bytes, as libpff. */
	expect_attach(tu_ics_event(cal, "Whiteboard session", 0),
	    "Picture (Device Independent Bitmap)", "application/octet-stream",
	    "OLE storage bytes\nsecond line", 29);
	expect_attach(tu_ics_event(cal, "Budget review", 0),
	    "Agenda Q3 (draft).txt", "application/octet-stream", agenda,
	    sizeof agenda - 1);
	expect_attach(tu_ics_event(cal, "Design sync", 0), "spec.txt",
	    "application/octet-stream", "Section 1\nSection 2", 19);
	/* The series carries it; the moved occurrence's own message has
	 * none. */
	expect_attach(tu_ics_event(cal, "Project stand-up", 0),
	    "checklist.txt", "application/octet-stream",
	    "[ ] tests\n[ ] docs", 18);
	cr_assert_eq(icalcomponent_count_properties(tu_ics_event(cal,
	    "Project stand-up (moved)", 1), ICAL_ATTACH_PROPERTY), 0);
	icalcomponent_free(cal);

	/* The removed copy keeps its attachment too. */
	cal = tu_ics_load(dir, "removed.ics");
	cr_assert_eq(count_attach(cal), 1);
	ev = tu_ics_event(cal, "Design sync", 0);
	expect_attach(ev, "spec.txt", "application/octet-stream",
	    "Section 1\nSection 2", 19);
	icalcomponent_free(cal);
	tu_rmdir(dir);
	free(pst);
	free(dir);
}

/* Binary bytes, a 1 MB file and an embedded mail, from a PST written
 * directly: the fixture language has text attachments only. */
Test(cli_run, binary_attachments_survive)
{
	struct pstw		*w;
	struct pstw_msg		*m, *e;
	struct pstw_attach	*at;
	struct pstw_props	*p;
	struct tu_run		 r;
	icalcomponent		*cal, *ev;
	uint8_t			 pdf[700], *big;
	uint32_t		 cal_nid, x = 88172645u;
	uint16_t		 start, end;
	int64_t			 t = 133600000000000000LL;	/* 2024 */
	size_t			 i, nbig = 1 << 20;
	char			*dir, *pst;

	tu_pstdedup();
	memcpy(pdf, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", 15);
	for (i = 15; i < sizeof pdf; i++)
		pdf[i] = (uint8_t)(i * 31 + (i >> 8));
	big = xmalloc(nbig);
	for (i = 0; i < nbig; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (uint8_t)(x >> 3);
	}
	dir = tu_tmpdir();
	pst = tu_path(dir, "in.pst");
	w = tu_pstw_open(pst, "attachments", &cal_nid);
	start = pstw_named_lid(w, pstw_psetid_appointment, 0x820D);
	end = pstw_named_lid(w, pstw_psetid_appointment, 0x820E);
	m = pstw_msg_new("IPM.Appointment");
	p = pstw_msg_props(m);
	pstw_set_str(p, 0x0037, "Board meeting");
	pstw_set_time(p, start, t);
	pstw_set_time(p, end, t + 36000000000LL);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "Board pack.pdf");
	pstw_set_str(p, 0x370E, "application/pdf");
	pstw_attach_data(at, pdf, sizeof pdf);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "floor plan.tif");
	pstw_set_str(p, 0x370E, "image/tiff");
	pstw_attach_data(at, big, nbig);
	at = pstw_msg_attach(m);
	e = pstw_attach_embed(at, "IPM.Note");
	pstw_set_str(pstw_msg_props(e), 0x0037, "Fwd: minutes");
	tu_pstw_write(w, cal_nid, m);
	tu_pstw_close(w);

	tu_pstdedup_run(&r, dir, "in.pst", NULL);
	/* The embedded mail is dropped: degraded, a partial run. */
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "\"Board meeting\": degraded: "
	    "attachment \"Fwd: minutes\" is an embedded message and is not "
	    "written\n"), "%s", r.err);
	tu_run_free(&r);
	cal = tu_ics_load(dir, "in-clean.ics");
	ev = tu_ics_event(cal, "Board meeting", 0);
	cr_assert_eq(icalcomponent_count_properties(ev, ICAL_ATTACH_PROPERTY),
	    2);
	expect_attach(ev, "Board pack.pdf", "application/pdf", pdf,
	    sizeof pdf);
	expect_attach(ev, "floor plan.tif", "image/tiff", big, nbig);
	icalcomponent_free(cal);
	tu_rmdir(dir);
	free(big);
	free(pst);
	free(dir);
}
