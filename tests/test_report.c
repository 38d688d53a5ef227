/* test_report.c: totals, summary, warnings and the text/JSON/CSV report. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dedup.h"
#include "ft.h"
#include "model.h"
#include "reader.h"
#include "report.h"
#include "testutil.h"
#include "xmalloc.h"

/* 2024-03-04T00:00:00Z as FILETIME, and an hour. */
#define DAY	(1709510400LL * FT_SEC + FT_UNIX_EPOCH)
#define HOUR	(3600LL * FT_SEC)

struct fx {
	struct reader_result	rr;
	struct dedup_result	dr;
	struct report_run	run;
};

static struct appt *
fx_appt(uint64_t id, const char *subject, int64_t start, int64_t end,
    const char *creator, const char *modifier, int64_t created)
{
	struct appt	*a = appt_new();

	a->id = id;
	a->folder = xstrdup("/Top/Calendar");
	a->subject = subject != NULL ? xstrdup(subject) : NULL;
	a->start = start;
	a->end = end;
	a->creator = creator != NULL ? xstrdup(creator) : NULL;
	a->modifier = modifier != NULL ? xstrdup(modifier) : NULL;
	a->created = created;
	return a;
}

static void
fx_group(struct dedup_group *g, enum dedup_kind kind, const char *key,
    size_t a, size_t b)
{
	g->kind = kind;
	g->key = xstrdup(key);
	g->n = 2;
	g->members = xcalloc(2, sizeof *g->members);
	g->members[0] = a;
	g->members[1] = b;
}

/* Four items: 0 and 2 the same meeting (2 removed), 1 and 3 a
 * conflict; one damaged item skipped; two appointments left out. */
static void
fx_init(struct fx *f)
{
	struct reader_skip	*s;
	size_t			 i;

	memset(f, 0, sizeof *f);
	appt_list_init(&f->rr.appts);
	appt_list_push(&f->rr.appts, fx_appt(0x2044, "Weekly sync",
	    DAY + 9 * HOUR, DAY + 9 * HOUR + HOUR / 2, "Alice", "Alice",
	    DAY - 3 * 24 * HOUR));
	appt_list_push(&f->rr.appts, fx_appt(0x2064, "Budget",
	    DAY + 10 * HOUR, DAY + 11 * HOUR, "Bob", NULL, APPT_NOTIME));
	appt_list_push(&f->rr.appts, fx_appt(0x2084, "Weekly sync",
	    DAY + 9 * HOUR, DAY + 9 * HOUR + HOUR / 2,
	    "Calendar Repair Assistant", "Calendar Repair Assistant",
	    DAY - 24 * HOUR));
	appt_list_push(&f->rr.appts, fx_appt(0x20a4, "Budget (moved)",
	    DAY + 12 * HOUR, DAY + 13 * HOUR, "Bob", "Bob", APPT_NOTIME));

	f->rr.nfolders = 3;
	f->rr.folders = xcalloc(3, sizeof *f->rr.folders);
	f->rr.folders[0].path = xstrdup("/Top/Calendar");
	f->rr.folders[0].is_calendar = 1;
	f->rr.folders[0].selected = 1;
	f->rr.folders[0].nappts = 5;
	f->rr.folders[1].path = xstrdup("/Top/Deleted Items");
	f->rr.folders[1].nappts = 2;
	f->rr.folders[1].nother = 7;
	f->rr.folders[2].path = xstrdup("/Top/Inbox");
	f->rr.folders[2].nother = 12;
	f->rr.left_out = 2;

	f->rr.nskips = 1;
	f->rr.skips = s = xcalloc(1, sizeof *s);
	s->id = 0x20c4;
	s->folder = xstrdup("/Top/Calendar");
	s->msgclass = xstrdup("IPM.Appointment");
	s->subject = xstrdup("Broken");
	s->reason = xstrdup("no start time");
	s->damaged = 1;

	f->dr.nitems = 4;
	f->dr.dup_of = xcalloc(4, sizeof *f->dr.dup_of);
	for (i = 0; i < 4; i++)
		f->dr.dup_of[i] = DEDUP_KEPT;
	f->dr.dup_of[2] = 0;
	f->dr.kept = 3;
	f->dr.removed = 1;
	f->dr.conflicts = 1;
	f->dr.ngroups = 2;
	f->dr.groups = xcalloc(2, sizeof *f->dr.groups);
	fx_group(&f->dr.groups[0], DEDUP_SAME_MEETING, "goid 0400", 0, 2);
	f->dr.groups[0].rule = DEDUP_RULE_POLICY;
	f->dr.groups[0].why = xstrdup("-k complete: as complete, created "
	    "earlier");
	fx_group(&f->dr.groups[1], DEDUP_CONFLICT, "goid 0401", 1, 3);
	f->dr.groups[1].rule = DEDUP_RULE_UNDECIDED;
	f->dr.groups[1].review = 1;
	f->dr.groups[1].why = xstrdup("no revision data");
	f->dr.review = 1;
	f->rr.appts.v[3]->uid = xstrdup("pstdedup-copy-20a4-0401");

	f->run.file = "mail.pst";
	f->run.rr = &f->rr;
	f->run.dr = &f->dr;
}

static void
fx_totals(struct fx *f)
{
	char	*cause = NULL;

	cr_assert_eq(report_totals(&f->rr, &f->dr, &f->run.totals, &cause),
	    0, "%s", cause);
}

static void
fx_free(struct fx *f)
{
	size_t	i;

	appt_list_free(&f->rr.appts);
	for (i = 0; i < f->rr.nfolders; i++)
		free(f->rr.folders[i].path);
	free(f->rr.folders);
	for (i = 0; i < f->rr.nskips; i++) {
		free(f->rr.skips[i].folder);
		free(f->rr.skips[i].msgclass);
		free(f->rr.skips[i].subject);
		free(f->rr.skips[i].reason);
	}
	free(f->rr.skips);
	for (i = 0; i < f->dr.ngroups; i++) {
		free(f->dr.groups[i].members);
		free(f->dr.groups[i].key);
		free(f->dr.groups[i].why);
		free(f->dr.groups[i].older);
	}
	free(f->dr.groups);
	free(f->dr.dup_of);
}

/* Run one printer into memory; the text is owned by the caller. */
#define CAPTURE(buf, call) do {						\
	size_t	 cap_len;						\
	FILE	*fp = open_memstream(&(buf), &cap_len);			\
									\
	cr_assert_not_null(fp);						\
	cr_assert_eq((call), 0);					\
	cr_assert_eq(fclose(fp), 0);					\
} while (0)

Test(report, format_names_and_extensions)
{
	enum report_format	f;

	cr_assert_eq(report_format_parse("json", &f), 0);
	cr_assert_eq(f, REPORT_JSON);
	cr_assert_eq(report_format_parse("csv", &f), 0);
	cr_assert_eq(f, REPORT_CSV);
	cr_assert_eq(report_format_parse("text", &f), 0);
	cr_assert_eq(f, REPORT_TEXT);
	cr_assert_eq(report_format_parse("xml", &f), -1);
	cr_assert_eq(report_format_guess("out/r.JSON"), REPORT_JSON);
	cr_assert_eq(report_format_guess("r.csv"), REPORT_CSV);
	cr_assert_eq(report_format_guess("r.txt"), REPORT_TEXT);
	cr_assert_eq(report_format_guess("dir.json/report"), REPORT_TEXT);
	cr_assert_eq(report_format_guess("report"), REPORT_TEXT);
}

Test(report, totals_add_up)
{
	struct fx	f;

	fx_init(&f);
	fx_totals(&f);
	cr_assert_eq(f.run.totals.folders, 1);
	cr_assert_eq(f.run.totals.read, 5);
	cr_assert_eq(f.run.totals.kept, 3);
	cr_assert_eq(f.run.totals.removed, 1);
	cr_assert_eq(f.run.totals.groups, 1);
	cr_assert_eq(f.run.totals.conflicts, 1);
	cr_assert_eq(f.run.totals.skipped, 1);
	cr_assert_eq(f.run.totals.damaged, 1);
	cr_assert_eq(f.run.totals.left_out, 2);
	cr_assert_eq(f.run.totals.read, f.run.totals.kept +
	    f.run.totals.removed + f.run.totals.skipped);
	fx_free(&f);
}

Test(report, totals_refuse_counts_that_disagree)
{
	struct fx	 f;
	char		*cause = NULL;

	fx_init(&f);
	f.dr.removed = 2;
	cr_assert_eq(report_totals(&f.rr, &f.dr, &f.run.totals, &cause), -1);
	cr_assert_not_null(strstr(cause, "internal error"), "%s", cause);
	free(cause);
	cause = NULL;

	f.dr.removed = 1;
	f.dr.dup_of[2] = 9;
	cr_assert_eq(report_totals(&f.rr, &f.dr, &f.run.totals, &cause), -1);
	free(cause);
	cause = NULL;

	f.dr.dup_of[2] = 2;	/* a duplicate of itself */
	cr_assert_eq(report_totals(&f.rr, &f.dr, &f.run.totals, &cause), -1);
	free(cause);
	cause = NULL;

	f.dr.dup_of[2] = 0;
	f.dr.groups[1].members[1] = 4;
	cr_assert_eq(report_totals(&f.rr, &f.dr, &f.run.totals, &cause), -1);
	free(cause);
	cause = NULL;

	f.dr.groups[1].members[1] = 3;
	f.dr.nitems = 3;
	cr_assert_eq(report_totals(&f.rr, &f.dr, &f.run.totals, &cause), -1);
	free(cause);
	f.dr.nitems = 4;
	fx_free(&f);
}

Test(report, summary_line)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	fx_totals(&f);
	CAPTURE(out, report_summary(fp, &f.run, "mail-clean.ics", "rm.ics",
	    NULL));
	cr_assert_str_eq(out,
	    "pstdedup: mail.pst: 5 items read, 3 kept, 1 removed (1 group), "
	    "1 conflict, 1 skipped (1 damaged); 2 left out (outside calendar "
	    "folders; -a includes them)\n"
	    "pstdedup: mail.pst: 1 group needs review by hand (copies kept, "
	    "see the report)\n"
	    "pstdedup: mail.pst: wrote mail-clean.ics, removed copies to "
	    "rm.ics\n");
	free(out);
	out = NULL;

	CAPTURE(out, report_summary(fp, &f.run, NULL, NULL, NULL));
	cr_assert_not_null(strstr(out, "\npstdedup: mail.pst: dry run: "
	    "nothing written\n"), "%s", out);
	free(out);
	out = NULL;

	CAPTURE(out, report_summary(fp, &f.run, "-", NULL, "r.json"));
	cr_assert_not_null(strstr(out, "wrote the calendar to standard "
	    "output, report to r.json\n"), "%s", out);
	free(out);
	fx_free(&f);
}

Test(report, skip_warnings)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	free(f.rr.skips[0].subject);
	f.rr.skips[0].subject = xstrdup("Two\nlines \"q\"");
	fx_totals(&f);
	CAPTURE(out, report_skips(fp, &f.run));
	cr_assert_str_eq(out, "pstdedup: mail.pst: /Top/Calendar/0x20c4 "
	    "\"Two\\nlines \\\"q\\\"\": skipped: no start time\n");
	free(out);
	out = NULL;

	CAPTURE(out, report_item_warning(fp, "mail.pst",
	    f.rr.appts.v[1], "RTF body not decoded"));
	cr_assert_str_eq(out, "pstdedup: mail.pst: /Top/Calendar/0x2064 "
	    "\"Budget\": RTF body not decoded\n");
	free(out);
	fx_free(&f);
}

Test(report, folder_list)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	CAPTURE(out, report_folders(fp, &f.rr));
	cr_assert_str_eq(out,
	    "   appts    other  calendar  folder\n"
	    "       5        0  yes       /Top/Calendar\n"
	    "       2        7  no        /Top/Deleted Items\n");
	free(out);
	fx_free(&f);
}

Test(report, json_exact)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	fx_totals(&f);
	CAPTURE(out, report_write(fp, &f.run, REPORT_JSON));
	cr_assert_str_eq(out,
	    "{\"pstdedup\":\"" PACKAGE_VERSION "\",\"file\":\"mail.pst\","
	    "\"totals\":{\"folders\":1,\"read\":5,\"kept\":3,\"removed\":1,"
	    "\"groups\":1,\"conflicts\":1,\"review\":1,\"skipped\":1,"
	    "\"damaged\":1,\"left_out\":2,\"degraded\":0,"
	    "\"skipped_by_reason\":{\"no start time\":1}},\n"
	    "\"groups\":[\n"
	    "{\"group\":1,\"kind\":\"same-meeting\",\"key\":\"goid 0400\","
	    "\"rule\":\"policy\",\"review\":false,"
	    "\"why\":\"-k complete: as complete, created earlier\","
	    "\"kept\":{\"id\":\"0x2044\",\"subject\":\"Weekly sync\","
	    "\"start\":\"2024-03-04T09:00:00Z\","
	    "\"end\":\"2024-03-04T09:30:00Z\",\"folder\":\"/Top/Calendar\","
	    "\"creator\":\"Alice\",\"modifier\":\"Alice\","
	    "\"created\":\"2024-03-01T00:00:00Z\"},\"also_kept\":[],"
	    "\"removed\":[{\"id\":\"0x2084\",\"subject\":\"Weekly sync\","
	    "\"start\":\"2024-03-04T09:00:00Z\","
	    "\"end\":\"2024-03-04T09:30:00Z\",\"folder\":\"/Top/Calendar\","
	    "\"creator\":\"Calendar Repair Assistant\","
	    "\"modifier\":\"Calendar Repair Assistant\","
	    "\"created\":\"2024-03-03T00:00:00Z\","
	    "\"duplicate_of\":\"0x2044\",\"older_revision\":false}]},\n"
	    "{\"group\":2,\"kind\":\"conflict\",\"key\":\"goid 0401\","
	    "\"rule\":\"undecided\",\"review\":true,"
	    "\"why\":\"no revision data\","
	    "\"kept\":{\"id\":\"0x2064\",\"subject\":\"Budget\","
	    "\"start\":\"2024-03-04T10:00:00Z\","
	    "\"end\":\"2024-03-04T11:00:00Z\",\"folder\":\"/Top/Calendar\","
	    "\"creator\":\"Bob\",\"modifier\":null,\"created\":null},"
	    "\"also_kept\":[{\"id\":\"0x20a4\",\"subject\":\"Budget (moved)\","
	    "\"start\":\"2024-03-04T12:00:00Z\","
	    "\"end\":\"2024-03-04T13:00:00Z\",\"folder\":\"/Top/Calendar\","
	    "\"creator\":\"Bob\",\"modifier\":\"Bob\",\"created\":null,"
	    "\"new_uid\":\"pstdedup-copy-20a4-0401\"}],"
	    "\"removed\":[]}],\n"
	    "\"skipped\":[\n"
	    "{\"id\":\"0x20c4\",\"folder\":\"/Top/Calendar\","
	    "\"class\":\"IPM.Appointment\",\"subject\":\"Broken\","
	    "\"reason\":\"no start time\",\"damaged\":true}],\n"
	    "\"warnings\":[]}\n");
	cr_assert(tu_json_valid(out));
	free(out);
	fx_free(&f);
}

Test(report, json_escapes_and_keeps_utf8)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	free(f.rr.appts.v[0]->subject);
	/* Quote, backslash, controls, é, an emoji, then invalid bytes. */
	f.rr.appts.v[0]->subject = xstrdup("a\"b\\c\n\t\x01\x1f"
	    "\xc3\xa9\xf0\x9f\x93\x85|\xff|\xc3|\xed\xa0\x80|");
	free(f.rr.skips[0].reason);
	f.rr.skips[0].reason = xstrdup("bad \x7f");
	fx_totals(&f);
	CAPTURE(out, report_write(fp, &f.run, REPORT_JSON));
	cr_assert(tu_json_valid(out), "%s", out);
	cr_assert_not_null(strstr(out, "\"subject\":\"a\\\"b\\\\c\\n\\t"
	    "\\u0001\\u001f\xc3\xa9\xf0\x9f\x93\x85|\\ufffd|\\ufffd|"
	    "\\ufffd\\ufffd\\ufffd|\""), "%s", out);
	cr_assert_not_null(strstr(out, "\"bad \x7f\":1"), "%s", out);
	free(out);
	fx_free(&f);
}

Test(report, csv_exact)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	fx_totals(&f);
	CAPTURE(out, report_write(fp, &f.run, REPORT_CSV));
	cr_assert_str_eq(out,
	    "status,kind,group,id,duplicate_of,subject,start,end,folder,"
	    "creator,modifier,created,reason,rule,review,why,new_uid\r\n"
	    "kept,same-meeting,1,0x2044,,Weekly sync,2024-03-04T09:00:00Z,"
	    "2024-03-04T09:30:00Z,/Top/Calendar,Alice,Alice,"
	    "2024-03-01T00:00:00Z,goid 0400,policy,no,"
	    "\"-k complete: as complete, created earlier\",\r\n"
	    "removed,same-meeting,1,0x2084,0x2044,Weekly sync,"
	    "2024-03-04T09:00:00Z,2024-03-04T09:30:00Z,/Top/Calendar,"
	    "Calendar Repair Assistant,Calendar Repair Assistant,"
	    "2024-03-03T00:00:00Z,goid 0400,policy,no,"
	    "\"-k complete: as complete, created earlier\",\r\n"
	    "kept,conflict,2,0x2064,,Budget,2024-03-04T10:00:00Z,"
	    "2024-03-04T11:00:00Z,/Top/Calendar,Bob,,,goid 0401,undecided,"
	    "yes,no revision data,\r\n"
	    "kept,conflict,2,0x20a4,,Budget (moved),2024-03-04T12:00:00Z,"
	    "2024-03-04T13:00:00Z,/Top/Calendar,Bob,Bob,,goid 0401,"
	    "undecided,yes,no revision data,pstdedup-copy-20a4-0401\r\n"
	    "skipped,damaged,,0x20c4,,Broken,,,/Top/Calendar,,,,"
	    "no start time,,,,\r\n");
	free(out);
	fx_free(&f);
}

Test(report, csv_quotes_commas_quotes_and_newlines)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	free(f.rr.appts.v[0]->subject);
	f.rr.appts.v[0]->subject = xstrdup("Lunch, \"big\"\r\nroom");
	free(f.rr.appts.v[0]->creator);
	f.rr.appts.v[0]->creator = xstrdup("Doe, Jane");
	fx_totals(&f);
	CAPTURE(out, report_write(fp, &f.run, REPORT_CSV));
	cr_assert_not_null(strstr(out, "\r\nkept,same-meeting,1,0x2044,,"
	    "\"Lunch, \"\"big\"\"\r\nroom\",2024-03-04T09:00:00Z,"
	    "2024-03-04T09:30:00Z,/Top/Calendar,\"Doe, Jane\",Alice,"), "%s",
	    out);
	free(out);
	fx_free(&f);
}

Test(report, text_lists_totals_groups_and_skips)
{
	struct fx	 f;
	const char	*head;
	char		*out = NULL;

	fx_init(&f);
	fx_totals(&f);
	CAPTURE(out, report_write(fp, &f.run, REPORT_TEXT));
	head = "pstdedup " PACKAGE_VERSION " report for mail.pst\n\n";
	cr_assert(strncmp(out, head, strlen(head)) == 0, "%s", out);
	cr_assert_not_null(strstr(out, "\nitems read              5\n"));
	cr_assert_not_null(strstr(out, "\nremoved                 1  in 1 "
	    "group\n"));
	cr_assert_not_null(strstr(out, "\n         1  no start time\n"));
	cr_assert_not_null(strstr(out, "\ngroup 1: same meeting\n"
	    "  key      \"goid 0400\"\n"
	    "  rule     policy: \"-k complete: as complete, created "
	    "earlier\"\n"
	    "  kept     0x2044 \"Weekly sync\" 2024-03-04T09:00:00Z - "
	    "2024-03-04T09:30:00Z\n"
	    "           folder \"/Top/Calendar\", creator \"Alice\", modifier "
	    "\"Alice\", created 2024-03-01T00:00:00Z\n"
	    "  removed  0x2084 \"Weekly sync\" 2024-03-04T09:00:00Z - "
	    "2024-03-04T09:30:00Z, duplicate of 0x2044\n"), "%s", out);
	cr_assert_not_null(strstr(out, "\ngroup 2: conflict, NEEDS REVIEW "
	    "BY HAND: copies kept\n  key      \"goid 0401\"\n"
	    "  rule     undecided: \"no revision data\"\n"), "%s", out);
	cr_assert_not_null(strstr(out, "\n  kept     0x20a4 \"Budget "
	    "(moved)\""), "%s", out);
	cr_assert_not_null(strstr(out, "\n           written with UID "
	    "\"pstdedup-copy-20a4-0401\"\n"), "%s", out);
	cr_assert_not_null(strstr(out, "\nto review               1  "
	    "(undecided: copies kept)\n"), "%s", out);
	cr_assert_not_null(strstr(out, "\nskipped items\n  damaged  0x20c4 "
	    "\"Broken\" in \"/Top/Calendar\": no start time\n"), "%s", out);
	free(out);
	fx_free(&f);
}

Test(report, verbose_groups_and_empty_run)
{
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	fx_totals(&f);
	CAPTURE(out, report_groups(fp, &f.run));
	cr_assert(strncmp(out, "group 1: same meeting\n", 22) == 0, "%s", out);
	free(out);
	out = NULL;
	fx_free(&f);

	/* Nothing read at all: still a valid, complete document. */
	memset(&f, 0, sizeof f);
	appt_list_init(&f.rr.appts);
	f.run.file = "empty.pst";
	f.run.rr = &f.rr;
	f.run.dr = &f.dr;
	fx_totals(&f);
	CAPTURE(out, report_write(fp, &f.run, REPORT_JSON));
	cr_assert(tu_json_valid(out), "%s", out);
	cr_assert_not_null(strstr(out,
	    "\"groups\":[],\n\"skipped\":[],\n\"warnings\":[]}"));
	free(out);
}

Test(report, writer_warnings_in_every_format)
{
	struct report_warning w;
	struct fx	 f;
	char		*out = NULL;

	fx_init(&f);
	fx_totals(&f);
	memset(&w, 0, sizeof w);
	w.item = f.rr.appts.v[0];
	w.msg = (char *)"recurrence written as single occurrence: \"x\"";
	f.run.warnings = &w;
	f.run.nwarnings = 1;
	CAPTURE(out, report_write(fp, &f.run, REPORT_TEXT));
	cr_assert_not_null(strstr(out, "\nwritten with warnings\n  warning  "
	    "0x2044 \"Weekly sync\" in \"/Top/Calendar\": recurrence written "
	    "as single occurrence: \"x\"\n"), "%s", out);
	free(out);
	out = NULL;
	CAPTURE(out, report_write(fp, &f.run, REPORT_JSON));
	cr_assert(tu_json_valid(out), "%s", out);
	cr_assert_not_null(strstr(out, "\"warnings\":[\n{\"id\":\"0x2044\","
	    "\"folder\":\"/Top/Calendar\",\"subject\":\"Weekly sync\","
	    "\"message\":\"recurrence written as single occurrence: "
	    "\\\"x\\\"\",\"degraded\":false}]}\n"), "%s", out);
	free(out);
	out = NULL;
	CAPTURE(out, report_write(fp, &f.run, REPORT_CSV));
	cr_assert_not_null(strstr(out, "\r\nwarning,,,0x2044,,Weekly sync,,,"
	    "/Top/Calendar,,,,\"recurrence written as single occurrence: "
	    "\"\"x\"\"\",,,,\r\n"), "%s", out);
	free(out);
	out = NULL;

	/* A kept item's warning: degraded, counted once per item. */
	w.degraded = 1;
	f.run.totals.degraded = report_count_degraded(&w, 1);
	cr_assert_eq(f.run.totals.degraded, 1);
	CAPTURE(out, report_write(fp, &f.run, REPORT_TEXT));
	cr_assert_not_null(strstr(out, "\ndegraded                1  (kept, "
	    "written with less than they had)\n"), "%s", out);
	cr_assert_not_null(strstr(out, "\n  degraded 0x2044 \"Weekly sync\" "
	    "in \"/Top/Calendar\": recurrence written"), "%s", out);
	free(out);
	out = NULL;
	CAPTURE(out, report_write(fp, &f.run, REPORT_JSON));
	cr_assert(tu_json_valid(out), "%s", out);
	cr_assert_not_null(strstr(out, "\"left_out\":2,\"degraded\":1,"),
	    "%s", out);
	cr_assert_not_null(strstr(out, "\"degraded\":true}]}\n"), "%s", out);
	free(out);
	out = NULL;
	CAPTURE(out, report_write(fp, &f.run, REPORT_CSV));
	cr_assert_not_null(strstr(out, "\r\ndegraded,,,0x2044,,Weekly sync,,,"
	    "/Top/Calendar,,,,"), "%s", out);
	free(out);
	out = NULL;
	CAPTURE(out, report_summary(fp, &f.run, "o.ics", NULL, NULL));
	cr_assert_not_null(strstr(out, ", 1 degraded (written with less than "
	    "it had)"), "%s", out);
	free(out);
	out = NULL;
	CAPTURE(out, report_item_degraded(fp, "mail.pst", w.item, w.msg));
	cr_assert_str_eq(out, "pstdedup: mail.pst: /Top/Calendar/0x2044 "
	    "\"Weekly sync\": degraded: recurrence written as single "
	    "occurrence: \"x\"\n");
	free(out);
	fx_free(&f);
}

Test(report, degraded_counted_once_per_kept_item)
{
	struct appt		a, b;
	struct report_warning	w[5];

	memset(w, 0, sizeof w);
	w[0].item = &a;
	w[0].degraded = 1;
	w[1].item = &b;			/* a removed copy's warning */
	w[2].item = &a;
	w[2].degraded = 1;
	w[3].item = &b;
	w[4].item = &a;
	w[4].degraded = 1;
	cr_assert_eq(report_count_degraded(w, 5), 1);
	w[3].degraded = 1;
	cr_assert_eq(report_count_degraded(w, 5), 2);
	cr_assert_eq(report_count_degraded(w, 0), 0);
	cr_assert_eq(report_count_degraded(NULL, 0), 0);
}

/* Everything written to fp so far. */
static char *
slurp_fp(FILE *fp)
{
	long	n;
	char	*text;

	cr_assert_eq(fflush(fp), 0);
	cr_assert_geq(n = ftell(fp), 0);
	text = xmalloc((size_t)n + 1);
	cr_assert_eq(pread(fileno(fp), text, (size_t)n, 0), n);
	text[n] = '\0';
	return text;
}

/* Wait s seconds of wall time, through any signals. */
static void
wait_for(double s)
{
	double	end = report_clock() + s;
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	while (report_clock() < end)
		nanosleep(&ts, NULL);
}

/* The once-a-second "opening" line runs until the file is open, then
 * stops for good; the walk's rate counts from the open. */
Test(report, progress_while_opening)
{
	struct report_progress	 p;
	struct sigaction	 sa;
	char			*text;
	size_t			 len;
	FILE			*fp;

	cr_assert_not_null(fp = tmpfile());
	report_progress_init(&p, fp, "big.pst");
	report_progress_opening(&p);
	wait_for(2.5);
	report_progress(&p, 0, 0);
	cr_assert_eq(sigaction(SIGALRM, NULL, &sa), 0);
	cr_assert_eq(sa.sa_handler, SIG_IGN);
	len = (size_t)ftell(fp);
	text = slurp_fp(fp);
	cr_assert(strstr(text, "\rpstdedup: big.pst: opening (libpff indexes "
	    "the whole file first): 1 s\033[K\rpstdedup: big.pst: opening "
	    "(libpff indexes the whole file first): 2 s\033[K") == text,
	    "%s", text);
	free(text);
	wait_for(1.5);
	fseek(fp, 0, SEEK_END);
	cr_assert_eq((size_t)ftell(fp), len, "ticks after the open");

	/* More than a second since the start: the walk shows at once. */
	report_progress(&p, 4, 100);
	report_progress_done(&p);
	text = slurp_fp(fp);
	cr_assert(strstr(text, "\rpstdedup: big.pst: 4 folders, 100 items (")
	    != NULL, "%s", text);
	cr_assert(strstr(text, " items/s)\033[K\r\033[K") != NULL, "%s", text);
	free(text);
	fclose(fp);
}

/* Off the terminal nothing is armed and nothing written. */
Test(report, progress_disabled)
{
	struct report_progress	 p;
	struct sigaction	 sa;

	report_progress_init(&p, NULL, "big.pst");
	report_progress_opening(&p);
	cr_assert_eq(sigaction(SIGALRM, NULL, &sa), 0);
	cr_assert_eq(sa.sa_handler, SIG_DFL);
	wait_for(1.2);
	report_progress(&p, 4, 100);
	report_progress_done(&p);
	cr_assert_eq(p.shown, 0);
}
