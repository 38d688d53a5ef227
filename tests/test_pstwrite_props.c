/* test_pstwrite_props.c: pstw_* with many, large, nested and
 * every-type properties, read back and checked page by page. */
#include <sys/stat.h>
#include <sys/wait.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libpff.h>

#include "le.h"
#include "pstwrite.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "testutil.h"
#include "pstwrite_util.h"

/* 600 properties of 200 bytes: a heap of 17 blocks (block 8 starts
 * with an HNBITMAPHDR) and a BTH with an index level (447 records per
 * leaf). Values in blocks 8 and 9 made libpff read garbage until the
 * writer left them empty (see hn_newblock). */
Test(pstwrite, many_properties)
{
	struct tmp	 t;
	struct pstw	*w;
	struct pstw_msg	*m;
	libpff_file_t	*f;
	libpff_item_t	*cal, *msg;
	uint8_t		 v[200], *d;
	size_t		 len;
	uint32_t	 ical;
	int		 i, n = 0;
	libpff_record_set_t *rs = NULL;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Crowded");
	for (i = 0; i < 600; i++) {
		memset(v, i & 0xFF, sizeof v);
		v[0] = i >> 8;
		pstw_set_bin(pstw_msg_props(m), 0x6000 + i, v, sizeof v);
	}
	tu_pstw_write(w, ical, m);
	f = close_and_open(w, t.path, &cal, &msg);
	cr_assert_eq(libpff_item_get_record_set_by_index(msg, 0, &rs, NULL), 1);
	libpff_record_set_get_number_of_entries(rs, &n, NULL);
	libpff_record_set_free(&rs, NULL);
	/* 600, subject, class and the message size. */
	cr_assert_eq(n, 603);
	for (i = 0; i < 600; i += 23) {
		d = e_data(entry(msg, 0, 0x6000 + i), &len);
		cr_assert_eq(len, 200);
		cr_assert_eq(d[0], i >> 8);
		cr_assert_eq(d[199], i & 0xFF);
		free(d);
	}
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

/* 5,000 messages in one folder: multi-level NBT/BBT, a contents table
 * whose rows and heap span many blocks. */
Test(pstwrite, five_thousand, .timeout = 120)
{
	struct tmp	 t;
	struct pstw	*w;
	struct pstw_msg	*m;
	struct chk	 c;
	libpff_file_t	*f;
	libpff_item_t	*cal, *msg;
	uint32_t	 ical;
	uint16_t	 start;
	char		 subj[64];
	int		 i, n, found;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	start = pstw_named_lid(w, pstw_psetid_appointment, 0x820D);
	for (i = 0; i < 5000; i++) {
		snprintf(subj, sizeof subj, "Meeting number %d", i);
		m = appt(subj);
		pstw_set_time(pstw_msg_props(m), start, FT_BASE +
		    i * 36000000000LL);
		pstw_set_time(pstw_msg_props(m), 0x3008, FT_BASE);
		tu_pstw_write(w, ical, m);
	}
	tu_pstw_close(w);
	check_file(t.path, &c);
	cr_assert_geq(c.nbtdepth, 2);
	cr_assert_geq(c.bbtdepth, 2);
	/* Messages, 5 folders with 3 tables, store, name map, 8 templates. */
	cr_assert_eq(c.nnbt, 5000 + 4 * 5 + 2 + 8);
	chk_free(&c);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	cr_assert_eq(nmessages(cal), 5000);
	for (i = 0; i < 5000; i += 1249) {
		msg = message(cal, i);
		snprintf(subj, sizeof subj, "Meeting number %d", i);
		assert_str(msg, 0, 0x0037, subj);
		libpff_item_free(&msg, NULL);
	}
	libpff_item_free(&cal, NULL);
	pff_close(f);

	n = readpst_scan(&t, "a", "BEGIN:VEVENT",
	    "SUMMARY:Meeting number 4999", &found);
	if (n >= 0) {
		cr_assert_eq(n, 5000);
		cr_assert_eq(found, 1);
	}
	tmp_free(&t);
}

/* UTF-16 with a surrogate pair, read back raw (libpff's UTF-8
 * conversion mangles non-BMP characters). */
Test(pstwrite, emoji)
{
	struct tmp	 t;
	struct pstw	*w;
	libpff_file_t	*f;
	libpff_item_t	*cal, *msg;
	uint32_t	 ical;
	uint8_t		*d;
	size_t		 len;
	static const uint8_t want[] = { 'P', 0, 'a', 0, 'r', 0, 't', 0, 'y',
	    0, ' ', 0, 0x3C, 0xD8, 0x89, 0xDF, ' ', 0, 0xE9, 0x00 };

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Kalender \xC3\xA9",
	    "IPF.Appointment");
	tu_pstw_write(w, ical, appt("Party \xF0\x9F\x8E\x89 \xC3\xA9"));
	tu_pstw_close(w);
	f = pff_open(t.path);
	cal = folder_path(f, "Kalender \xC3\xA9", NULL);
	msg = message(cal, 0);
	d = e_data(entry(msg, 0, 0x0037), &len);
	cr_assert_eq(len, sizeof want);
	cr_assert_eq(memcmp(d, want, len), 0);
	free(d);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

/* 400 attachments (an SIBLOCK over two SLBLOCKs) and 150 recipients
 * (row data in a subnode). */
Test(pstwrite, many_subnodes)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_props	*r;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *rc = NULL;
	uint32_t		 ical;
	char			 name[64];
	int			 i, n = 0;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Busy");
	add_files(m, 400);
	for (i = 0; i < 150; i++) {
		r = pstw_msg_recipient(m);
		snprintf(name, sizeof name, "Person %d", i);
		pstw_set_str(r, 0x3001, name);
		pstw_set_i4(r, 0x0C15, 1);
	}
	tu_pstw_write(w, ical, m);
	f = close_and_open(w, t.path, &cal, &msg);
	cr_assert_eq(libpff_message_get_number_of_attachments(msg, &n, NULL),
	    1);
	cr_assert_eq(n, 400);
	check_files(msg, 400, 133);
	cr_assert_eq(libpff_message_get_recipients(msg, &rc, NULL), 1);
	cr_assert_eq(libpff_item_get_number_of_record_sets(rc, &n, NULL), 1);
	cr_assert_eq(n, 150);
	assert_str(rc, 149, 0x3001, "Person 149");
	libpff_item_free(&rc, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

static void
assert_raw(libpff_item_t *item, uint32_t id, uint32_t type, const void *want,
    size_t wantlen)
{
	libpff_record_entry_t	*e = entry(item, 0, id);
	uint32_t		 vt = 0;
	uint8_t			*d;
	size_t			 len;

	cr_assert_not_null(e, "property 0x%04x missing", id);
	cr_assert_eq(libpff_record_entry_get_value_type(e, &vt, NULL), 1);
	cr_assert_eq(vt, type, "0x%04x: type 0x%x", id, vt);
	d = e_data(e, &len);
	cr_assert_eq(len, wantlen, "0x%04x: %zu bytes", id, len);
	cr_assert_eq(memcmp(d, want, len), 0, "0x%04x: value", id);
	free(d);
}

/* Every property type of the header, stored and read back raw. */
Test(pstwrite, all_types)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_props	*p;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg;
	uint32_t		 ical;
	const char		*mv[] = { "a", "bc" };
	static const uint8_t	 guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12, 13, 14, 15, 16 };
	static const uint8_t	 mvi4[] = { 1, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF,
	    0xFF, 0xFF };
	static const uint8_t	 mvbin[] = { 2, 0, 0, 0, 12, 0, 0, 0, 13, 0,
	    0, 0, 0xAA, 0xBB, 0xCC };
	static const uint8_t	 i2[] = { 0xFE, 0xFF }, i4[] = { 0x78, 0x56,
	    0x34, 0x12 }, b1[] = { 1 }, i8[] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	static const uint8_t	 mvstr[] = { 2, 0, 0, 0, 12, 0, 0, 0, 14, 0,
	    0, 0, 'a', 0, 'b', 0, 'c', 0 };
	uint8_t			 big[3581];

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Types");
	p = pstw_msg_props(m);
	pstw_set_i2(p, 0x6001, -2);
	pstw_set_i4(p, 0x6002, 0x12345678);
	pstw_set_bool(p, 0x6003, 7);
	pstw_set_i8(p, 0x6004, 0x0102030405060708LL);
	pstw_set_str8(p, 0x6005, "plain");
	pstw_set_str(p, 0x6006, "wide");
	pstw_set_time(p, 0x6007, 0x0102030405060708LL);
	pstw_set_raw(p, 0x6008, PSTW_CLSID, guid, 16);
	pstw_set_bin(p, 0x6009, "\0\1\2", 3);
	pstw_set_raw(p, 0x600A, PSTW_MV_I4, mvi4, sizeof mvi4);
	pstw_set_mvstr(p, 0x600B, mv, 2);
	pstw_set_raw(p, 0x600C, PSTW_MV_BINARY, mvbin, sizeof mvbin);
	/* Replacing a value keeps one property. */
	pstw_set_i4(p, 0x600D, 1);
	pstw_set_str(p, 0x600D, "replaced");
	pstw_set_bin(p, 0x600E, "", 0);
	/* The largest heap item, and the smallest value in a subnode. */
	memset(big, 0x5A, sizeof big);
	big[3579] = 1;
	big[3580] = 2;
	pstw_set_bin(p, 0x600F, big, 3580);
	pstw_set_bin(p, 0x6010, big, 3581);
	tu_pstw_write(w, ical, m);
	tu_pstw_close(w);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	msg = message(cal, 0);
	assert_raw(msg, 0x6001, PSTW_I2, i2, 2);
	assert_raw(msg, 0x6002, PSTW_I4, i4, 4);
	assert_raw(msg, 0x6003, PSTW_BOOL, b1, 1);
	assert_raw(msg, 0x6004, PSTW_I8, i8, 8);
	assert_raw(msg, 0x6005, PSTW_STRING8, "plain", 5);
	assert_raw(msg, 0x6006, PSTW_UNICODE, "w\0i\0d\0e\0", 8);
	assert_raw(msg, 0x6007, PSTW_SYSTIME, i8, 8);
	assert_raw(msg, 0x6008, PSTW_CLSID, guid, 16);
	assert_raw(msg, 0x6009, PSTW_BINARY, "\0\1\2", 3);
	assert_raw(msg, 0x600A, PSTW_MV_I4, mvi4, sizeof mvi4);
	assert_raw(msg, 0x600B, PSTW_MV_UNICODE, mvstr, sizeof mvstr);
	assert_raw(msg, 0x600C, PSTW_MV_BINARY, mvbin, sizeof mvbin);
	assert_str(msg, 0, 0x600D, "replaced");
	assert_raw(msg, 0x600E, PSTW_BINARY, "", 0);
	assert_raw(msg, 0x600F, PSTW_BINARY, big, 3580);
	assert_raw(msg, 0x6010, PSTW_BINARY, big, 3581);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

/* An embedded message inside an embedded message. */
Test(pstwrite, nested_embed)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m, *e1, *e2;
	struct pstw_attach	*a;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att1 = NULL, *emb1 = NULL;
	libpff_item_t		*att2 = NULL, *emb2 = NULL, *att3 = NULL;
	uint32_t		 ical;
	uint8_t			 buf[8];

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Outer");
	e1 = pstw_attach_embed(pstw_msg_attach(m), "IPM.Note");
	pstw_set_str(pstw_msg_props(e1), 0x0037, "Middle");
	a = pstw_msg_attach(e1);
	e2 = pstw_attach_embed(a, "IPM.Appointment");
	pstw_set_str(pstw_msg_props(e2), 0x0037, "Inner");
	pstw_attach_data(pstw_msg_attach(e2), "deep", 4);
	tu_pstw_write(w, ical, m);
	tu_pstw_close(w);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	msg = message(cal, 0);
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att1, NULL), 1);
	cr_assert_eq(libpff_attachment_get_item(att1, &emb1, NULL), 1);
	assert_str(emb1, 0, 0x0037, "Middle");
	cr_assert_eq(libpff_message_get_attachment(emb1, 0, &att2, NULL), 1);
	cr_assert_eq(libpff_attachment_get_item(att2, &emb2, NULL), 1);
	assert_str(emb2, 0, 0x0037, "Inner");
	/* The parent attachment item must outlive the embedded one. */
	cr_assert_eq(libpff_message_get_attachment(emb2, 0, &att3, NULL), 1);
	cr_assert_eq(libpff_attachment_data_read_buffer(att3, buf, 4, NULL), 4);
	cr_assert_eq(memcmp(buf, "deep", 4), 0);
	libpff_item_free(&att3, NULL);
	libpff_item_free(&emb2, NULL);
	libpff_item_free(&att2, NULL);
	libpff_item_free(&emb1, NULL);
	libpff_item_free(&att1, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

static void
write_small(const char *path)
{
	struct pstw		*w = open_w(path);
	struct pstw_msg		*m;
	uint32_t		 cal;
	int			 i;

	cal = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	for (i = 0; i < 30; i++) {
		m = appt("Repeatable");
		pstw_set_time(pstw_msg_props(m), pstw_named_lid(w,
		    pstw_psetid_appointment, 0x820D), FT_BASE + i);
		pstw_set_str(pstw_msg_recipient(m), 0x3001, "Someone");
		tu_pstw_write(w, cal, m);
	}
	tu_pstw_close(w);
}

/* Fixtures are generated at test time: the same calls must give the
 * same bytes. */
Test(pstwrite, repeatable)
{
	struct tmp	 t;
	char		 other[160];
	FILE		*a, *b;
	int		 ca, cb;
	long		 n = 0;

	tmp_make(&t);
	snprintf(other, sizeof other, "%s/u.pst", t.dir);
	write_small(t.path);
	write_small(other);
	a = fopen(t.path, "rb");
	b = fopen(other, "rb");
	cr_assert(a != NULL && b != NULL);
	do {
		ca = getc(a);
		cb = getc(b);
		cr_assert_eq(ca, cb, "files differ at byte %ld", n);
		n++;
	} while (ca != EOF);
	cr_assert_gt(n, 0x4400);
	fclose(a);
	fclose(b);
	tmp_free(&t);
}
