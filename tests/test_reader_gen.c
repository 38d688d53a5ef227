/* test_reader_gen.c: the reader on generated fixtures:
 * strings, people, exceptions, skipped and damaged items. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ft.h"
#include "pstwrite.h"
#include "reader.h"
#include "writer.h"
#include "testutil.h"
#include "reader_util.h"
#include "xmalloc.h"

static const struct reader_skip *
find_skip(const struct reader_result *r, const char *reason)
{
	size_t i;

	for (i = 0; i < r->nskips; i++)
		if (strstr(r->skips[i].reason, reason) != NULL)
			return &r->skips[i];
	cr_assert_fail("no skip \"%s\"", reason);
	return NULL;
}

Test(reader_gen, guid_confusion)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct fix fx;
	uint16_t decoy;
	struct appt *a;

	fix_open(&fx);
	/* PSETID_Common 0x820D gets the lower tag, so a reader matching
	 * on LID alone finds it first. */
	decoy = pstw_named_lid(fx.w, pstw_psetid_common, 0x820D);
	fix_names(&fx);
	m = fix_appt(&fx, "Trap", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	pstw_set_time(pstw_msg_props(m), decoy, tu_ft(2001, 1, 1, 0, 0));
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_eq(a->start, tu_ft(2024, 3, 15, 9, 0));
	cr_expect_eq(a->end, tu_ft(2024, 3, 15, 10, 0));
	reader_result_free(&r);
}

Test(reader_gen, strings)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct pstw_props *p;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 5, 1, 8, 0);
	const char *cats[] = { "Red", "Blue \xF0\x9F\x8E\x89" };
	uint16_t keywords, loc;

	fix_open(&fx);
	fix_names(&fx);
	keywords = pstw_named_str(fx.w, pstw_ps_public_strings, "Keywords");
	loc = pstw_named_lid(fx.w, pstw_psetid_appointment, 0x8208);

	/* Emoji (a surrogate pair) after the 0x01 marker. */
	m = fix_appt(&fx, "\x01\x01Party \xF0\x9F\x8E\x89", t, t + 1);
	p = pstw_msg_props(m);
	pstw_set_mvstr(p, keywords, cats, 2);
	pstw_set_str(p, loc, "Room \xC3\x9C");
	fix_write(&fx, fx.cal, m);

	/* No marker, non-ASCII first: nothing stripped. */
	fix_write(&fx, fx.cal, fix_appt(&fx, "\xC3\x9Cnicode", t, t + 1));

	/* PT_STRING8 in the file codepage (1252) and in a 0x3FFD one. */
	m = fix_appt(&fx, NULL, t, t + 1);
	pstw_set_str8(pstw_msg_props(m), 0x0037, "\x01\x0A" "Caf\xE9");
	fix_write(&fx, fx.cal, m);
	m = fix_appt(&fx, NULL, t, t + 1);
	pstw_set_str8(pstw_msg_props(m), 0x0037, "\xCF\xF0\xE8");
	pstw_set_i4(pstw_msg_props(m), 0x3FFD, 1251);
	fix_write(&fx, fx.cal, m);

	/* HTML bodies: UTF-8 kept, anything else read as Windows-1252. */
	m = fix_appt(&fx, "html utf8", t, t + 1);
	pstw_set_bin(pstw_msg_props(m), 0x1013, "<p>\xC3\xA9</p>", 9);
	fix_write(&fx, fx.cal, m);
	m = fix_appt(&fx, "html 1252", t, t + 1);
	pstw_set_bin(pstw_msg_props(m), 0x1013, "<p>caf\xE9\x01</p>", 12);
	fix_write(&fx, fx.cal, m);

	fix_read(&fx, &o, &r);
	cr_assert_eq(r.appts.n, 6);
	a = find(&r, "Party \xF0\x9F\x8E\x89");
	cr_assert_eq(a->ncategories, 2);
	cr_expect_str_eq(a->categories[0], "Red");
	cr_expect_str_eq(a->categories[1], "Blue \xF0\x9F\x8E\x89");
	cr_expect_str_eq(a->location, "Room \xC3\x9C");
	find(&r, "\xC3\x9Cnicode");
	find(&r, "Caf\xC3\xA9");
	find(&r, "\xD0\x9F\xD1\x80\xD0\xB8");	/* "При" */
	cr_expect_str_eq(find(&r, "html utf8")->html, "<p>\xC3\xA9</p>");
	cr_expect_str_eq(find(&r, "html 1252")->html, "<p>caf\xC3\xA9</p>");
	reader_result_free(&r);
}

Test(reader_gen, people)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct pstw_props *p;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 5, 2, 8, 0);

	fix_open(&fx);
	fix_names(&fx);
	m = fix_appt(&fx, "meeting", t, t + 1);
	p = pstw_msg_props(m);
	pstw_set_str(p, 0x0042, "Olga Organizer");
	pstw_set_str(p, 0x0064, "SMTP");
	pstw_set_str(p, 0x0065, "olga@example.org");
	p = pstw_msg_recipient(m);
	pstw_set_str(p, 0x3001, "Ann");
	pstw_set_str(p, 0x3002, "SMTP");
	pstw_set_str(p, 0x3003, "ann@example.org");
	pstw_set_i4(p, 0x0C15, 2);
	pstw_set_i4(p, 0x5FFD, 1);
	pstw_set_i4(p, 0x5FFF, 3);
	p = pstw_msg_recipient(m);
	pstw_set_str(p, 0x3001, "Ex User");
	pstw_set_str(p, 0x3002, "EX");
	pstw_set_str(p, 0x3003, "/o=Org/cn=Recipients/cn=ex");
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_str_eq(a->org_name, "Olga Organizer");
	cr_expect_str_eq(a->org_email, "olga@example.org");
	cr_assert_eq(a->nrcpts, 2);
	cr_expect_str_eq(a->rcpts[0].name, "Ann");
	cr_expect_str_eq(a->rcpts[0].email, "ann@example.org");
	cr_expect_eq(a->rcpts[0].type, 2);
	cr_expect_eq(a->rcpts[0].flags, 1);
	cr_expect_eq(a->rcpts[0].track_status, 3);
	/* An X.500 address is not an e-mail address. */
	cr_expect_null(a->rcpts[1].email);
	cr_expect_str_eq(a->rcpts[1].addrtype, "EX");
	reader_result_free(&r);
}

Test(reader_gen, exceptions)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m, *e;
	struct pstw_attach *at;
	struct pstw_props *p;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 6, 4, 15, 0), hour = 3600 * FT_SEC;
	uint16_t recurring;

	fix_open(&fx);
	fix_names(&fx);
	recurring = pstw_named_lid(fx.w, pstw_psetid_appointment, 0x8223);
	m = fix_appt(&fx, "series", t, t + hour / 2);
	pstw_set_bool(pstw_msg_props(m), recurring, 1);
	/* The exception: hidden, method 5, no subject of its own. */
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_bool(p, 0x7FFE, 1);
	pstw_set_time(p, 0x7FF9, t + 7 * 24 * hour - 7 * hour);
	pstw_set_time(p, 0x7FFB, t + 7 * 24 * hour - 6 * hour);
	pstw_set_time(p, 0x7FFC, t + 7 * 24 * hour - 5 * hour);
	e = pstw_attach_embed(at,
	    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	p = pstw_msg_props(e);
	pstw_set_time(p, fx.start, t + 7 * 24 * hour + hour);
	pstw_set_time(p, fx.end, t + 7 * 24 * hour + 2 * hour);
	pstw_set_time(p, fx.replace, t + 7 * 24 * hour);
	pstw_set_str(p, 0x0037, "moved");
	/* A forwarded mail (visible embedded IPM.Note) and a file. */
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3704, "fwd");
	pstw_attach_embed(at, "IPM.Note");
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3707, "agenda.txt");
	pstw_attach_data(at, "agenda", 6);
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_eq(r.nskips, 0);
	cr_expect_eq(a->recurring, 1);
	cr_expect_eq(a->nattach, 2);
	cr_assert_eq(a->nexcs, 1);
	cr_expect_eq(a->excs[0].replace_time, t + 7 * 24 * hour);
	cr_expect_eq(a->excs[0].att_replace_time, t + 7 * 24 * hour - 7 * hour);
	cr_expect_eq(a->excs[0].att_start, t + 7 * 24 * hour - 6 * hour);
	cr_expect_eq(a->excs[0].att_end, t + 7 * 24 * hour - 5 * hour);
	cr_expect_eq(a->excs[0].item->start, t + 7 * 24 * hour + hour);
	cr_expect_eq(a->excs[0].item->replace_time, t + 7 * 24 * hour);
	cr_expect_str_eq(a->excs[0].item->subject, "moved");
	reader_result_free(&r);
}

Test(reader_gen, skips_and_folders)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct fix fx;
	const struct reader_skip *s;
	int64_t t = tu_ft(2024, 7, 1, 8, 0);
	uint32_t proj, team, inbox;
	char *cause = NULL;
	size_t i;

	fix_open(&fx);
	fix_names(&fx);
	m = pstw_msg_new("IPM.Schedule.Meeting.Request");
	pstw_set_str(pstw_msg_props(m), 0x0037, "please come");
	fix_write(&fx, fx.cal, m);
	m = pstw_msg_new("IPM.Note");
	pstw_set_str(pstw_msg_props(m), 0x0037, "a note");
	fix_write(&fx, fx.cal, m);
	fix_write(&fx, fx.cal, fix_appt(&fx, "no start", APPT_NOTIME, t));
	fix_write(&fx, fx.cal, fix_appt(&fx, "no end", t, APPT_NOTIME));
	fix_write(&fx, fx.cal, fix_appt(&fx, "backwards", t, t - 1));
	fix_write(&fx, fx.cal, fix_appt(&fx, "good", t, t));
	/* A subclass, in a calendar two levels down. */
	cr_assert_eq(pstw_folder(fx.w, pstw_ipm_subtree(fx.w), "Projects",
	    "IPF.Note", &proj, &cause), 0);
	cr_assert_eq(pstw_folder(fx.w, proj, "Team", "IPF.Appointment",
	    &team, &cause), 0);
	m = fix_appt(&fx, "custom class", t, t + 1);
	fix_write(&fx, team, m);
	cr_assert_eq(pstw_folder(fx.w, pstw_ipm_subtree(fx.w), "Inbox",
	    "IPF.Note", &inbox, &cause), 0);
	fix_write(&fx, inbox, fix_appt(&fx, "stray", t, t + 1));
	m = pstw_msg_new("IPM.Note");
	fix_write(&fx, inbox, m);
	fix_read(&fx, &o, &r);

	cr_expect_eq(r.appts.n, 2);
	find(&r, "good");
	cr_expect_str_eq(find(&r, "custom class")->folder,
	    "/Top of Personal Folders/Projects/Team");
	cr_expect_eq(r.left_out, 1);
	cr_expect_eq(r.nskips, 5);
	s = find_skip(&r, "meeting request");
	cr_expect_eq(s->damaged, 0);
	cr_expect_str_eq(s->subject, "please come");
	cr_expect_str_eq(s->msgclass, "IPM.Schedule.Meeting.Request");
	s = find_skip(&r, "not an appointment (IPM.Note)");
	cr_expect_eq(s->damaged, 0);
	cr_expect_str_eq(s->folder, "/Top of Personal Folders/Calendar");
	cr_expect_str_eq(find_skip(&r, "no start time")->subject, "no start");
	cr_expect_str_eq(find_skip(&r, "no end time")->subject, "no end");
	s = find_skip(&r, "end before start");
	cr_expect_eq(s->damaged, 1);
	cr_expect_str_eq(s->subject, "backwards");
	cr_expect_neq(s->id, 0);
	for (i = 0; i < r.nfolders; i++) {
		if (strcmp(r.folders[i].path,
		    "/Top of Personal Folders/Calendar") == 0) {
			cr_expect_eq(r.folders[i].nappts, 4);
			cr_expect_eq(r.folders[i].nother, 2);
			cr_expect_eq(r.folders[i].selected, 1);
		}
		if (strcmp(r.folders[i].path, "/Top of Personal Folders/Inbox")
		    == 0) {
			cr_expect_eq(r.folders[i].is_calendar, 0);
			cr_expect_eq(r.folders[i].selected, 0);
			cr_expect_eq(r.folders[i].nappts, 1);
		}
	}
	cr_expect_eq(r.nfolders, 3);	/* two calendars and the Inbox */
	reader_result_free(&r);
}

Test(reader_gen, damaged)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m, *e;
	struct pstw_attach *at;
	struct fix fx;
	const struct reader_skip *s;
	struct appt *a;
	int64_t t = tu_ft(2024, 8, 1, 8, 0);
	/* Five values announced, room for one offset. */
	const uint8_t bad[] = { 5, 0, 0, 0, 8, 0, 0, 0 };
	uint16_t keywords;

	fix_open(&fx);
	fix_names(&fx);
	keywords = pstw_named_str(fx.w, pstw_ps_public_strings, "Keywords");
	m = fix_appt(&fx, "bad keywords", t, t + 1);
	pstw_set_raw(pstw_msg_props(m), keywords, 0x101F, bad, sizeof bad);
	fix_write(&fx, fx.cal, m);
	/* A broken exception must not cost the master. */
	m = fix_appt(&fx, "master", t, t + 1);
	at = pstw_msg_attach(m);
	pstw_set_bool(pstw_attach_props(at), 0x7FFE, 1);
	e = pstw_attach_embed(at,
	    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	pstw_set_raw(pstw_msg_props(e), keywords, 0x101F, bad, sizeof bad);
	fix_write(&fx, fx.cal, m);
	fix_read(&fx, &o, &r);

	cr_assert_eq(r.appts.n, 1);
	a = find(&r, "master");
	cr_expect_eq(a->nexcs, 0);
	cr_assert_eq(r.nskips, 1);
	s = find_skip(&r, "malformed categories value");
	cr_expect_str_eq(s->subject, "bad keywords");
	cr_expect_eq(s->damaged, 1);
	/* The master is kept, without the exception: degraded, not a
	 * skip (it would count the item twice). */
	cr_assert_eq(a->nattach, 1);
	cr_assert_not_null(a->attachs[0].unread);
	cr_expect_not_null(strstr(a->attachs[0].unread,
	    "attachment 1 unreadable, left out: "), "%s",
	    a->attachs[0].unread);
	cr_expect_not_null(strstr(a->attachs[0].unread,
	    "malformed categories value"));
	reader_result_free(&r);
}

Test(reader_mkpst, traps)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct appt *a;

	mkpst_read("traps.ics", &o, &r);
	cr_expect_eq(r.nskips, 0);
	a = find(&r, "GUID confusion trap");
	cr_expect_eq(a->start, tu_ft(2024, 7, 1, 8, 0));
	cr_expect_eq(a->end, tu_ft(2024, 7, 1, 9, 0));
	a = find(&r, "Explicit GOIDs that disagree");
	cr_expect_eq(a->clean_goid.len, 56);
	cr_expect_not(appt_blob_eq(&a->goid, &a->clean_goid));
	reader_result_free(&r);
}

Test(reader_mkpst, folders)
{
	struct reader_opts o = { 0 };
	struct reader_result r;

	mkpst_read("folders.ics", &o, &r);
	cr_expect_eq(r.appts.n, 3);
	cr_expect_eq(r.left_out, 1);
	cr_expect_str_eq(find(&r, "In a sub-calendar")->folder,
	    "/Top of Personal Folders/Calendar/Project X");
	cr_expect_eq(find(&r, "Ana's birthday")->all_day, 1);
	reader_result_free(&r);

	o.all_folders = 1;
	mkpst_read("folders.ics", &o, &r);
	cr_expect_eq(r.appts.n, 4);
	cr_expect_eq(r.left_out, 0);
	cr_expect_str_eq(find(&r, "Deleted appointment")->folder,
	    "/Top of Personal Folders/Deleted Items");
	reader_result_free(&r);

	o.all_folders = 0;
	o.folder = "project x";
	mkpst_read("folders.ics", &o, &r);
	cr_expect_eq(r.appts.n, 1);
	cr_expect_eq(r.left_out, 3);
	reader_result_free(&r);
}

Test(reader_mkpst, exceptions)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct appt *a, *x;

	mkpst_read("exceptions.ics", &o, &r);
	cr_assert_eq(r.appts.n, 1);
	a = r.appts.v[0];
	cr_expect_eq(a->recurring, 1);
	cr_expect_str_eq(a->org_email, "olivia@example.com");
	cr_expect_eq(a->nrcpts, 3);
	cr_assert_eq(a->nexcs, 2);
	cr_expect_eq(a->excs[0].replace_time, tu_ft(2024, 3, 26, 9, 0));
	cr_expect_eq(a->excs[0].item->start, tu_ft(2024, 3, 27, 13, 0));
	cr_expect_null(a->excs[0].item->subject);
	x = a->excs[1].item;
	cr_expect_eq(a->excs[1].replace_time, tu_ft(2024, 4, 9, 8, 0));
	cr_expect_str_eq(x->subject,
	    "Weekly team meeting \xE2\x80\x93 budget special");
	cr_expect_str_eq(x->location, "Board room");
	cr_expect_eq(x->busy, 3);
	reader_result_free(&r);
}
