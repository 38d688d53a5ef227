/* test_pstwrite.c: PSTs written with pstw_* read back with libpff,
 * readpst and pffinfo, plus a structural check of every page and block. */

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

/* A named property matched by GUID and LID, or by string name. */
static libpff_record_entry_t *
named(libpff_item_t *item, const uint8_t *guid, uint32_t lid,
    const char *name)
{
	libpff_record_set_t		*rs = NULL;
	libpff_record_entry_t		*e = NULL;
	libpff_name_to_id_map_entry_t	*nm = NULL;
	int				 i, n = 0;
	uint8_t				 t, g[16];
	uint32_t			 l;
	char				 s[256];

	cr_assert_eq(libpff_item_get_record_set_by_index(item, 0, &rs, NULL),
	    1);
	libpff_record_set_get_number_of_entries(rs, &n, NULL);
	for (i = 0; i < n; i++) {
		e = NULL;
		nm = NULL;
		libpff_record_set_get_entry_by_index(rs, i, &e, NULL);
		if (libpff_record_entry_get_name_to_id_map_entry(e, &nm,
		    NULL) != 1)
			continue;
		libpff_name_to_id_map_entry_get_type(nm, &t, NULL);
		if (name != NULL) {
			if (t == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_STRING &&
			    libpff_name_to_id_map_entry_get_utf8_string(nm,
			    (uint8_t *)s, sizeof s, NULL) == 1 &&
			    strcmp(s, name) == 0)
				break;
			continue;
		}
		libpff_name_to_id_map_entry_get_guid(nm, g, 16, NULL);
		if (t == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC &&
		    libpff_name_to_id_map_entry_get_number(nm, &l, NULL) == 1 &&
		    l == lid && memcmp(g, guid, 16) == 0)
			break;
	}
	libpff_record_set_free(&rs, NULL);
	return i < n ? e : NULL;
}

static uint32_t
e_i4(libpff_record_entry_t *e)
{
	uint32_t	v = 0;

	cr_assert_not_null(e);
	cr_assert_eq(libpff_record_entry_get_data_as_32bit_integer(e, &v,
	    NULL), 1);
	return v;
}

Test(pstwrite, crc32)
{
	uint8_t	zero[100] = { 0 };

	/* The MS-PST variant: initial 0, no final XOR. */
	cr_assert_eq(pst_crc32(0, "123456789", 9), 0x2DFD2D88);
	cr_assert_eq(pst_crc32(0, zero, sizeof zero), 0);
	cr_assert_eq(pst_crc32(pst_crc32(0, "1234", 4), "56789", 5),
	    0x2DFD2D88);
}

Test(pstwrite, errors)
{
	struct tmp	 t;
	struct pstw	*w = NULL;
	char		*cause = NULL;
	uint32_t	 nid;

	cr_assert_eq(pstw_open("/nonexistent/dir/x.pst", "x", &w, &cause),
	    -1);
	cr_assert_not_null(strstr(cause, "/nonexistent/dir/x.pst"));
	free(cause);
	cause = NULL;
	tmp_make(&t);
	w = open_w(t.path);
	cr_assert_eq(pstw_folder(w, 0x12345, "x", NULL, &nid, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(pstw_msg_write(w, 0x999, appt("lost"), NULL, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);
	pstw_abort(w);
	cr_assert_neq(access(t.path, F_OK), 0);
	tmp_free(&t);
}

/* Nested calendars, an Inbox with mail, named properties, recipients,
 * a file attachment and an embedded message. */
Test(pstwrite, store_and_folders)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m, *e;
	struct pstw_props	*p, *r;
	struct pstw_attach	*a;
	struct chk		 c;
	libpff_file_t		*f;
	libpff_item_t		*cal, *sub, *inbox, *msg, *rc = NULL;
	libpff_item_t		*att = NULL, *emb = NULL;
	libpff_record_entry_t	*en;
	uint32_t		 ical, isub, iinbox;
	uint16_t		 start, kw, busy;
	const char		*cats[] = { "Red", "Blue category" };
	uint64_t		 ft = 0;
	uint8_t			 buf[64], *d;
	size_t			 len;
	int			 n = 0, found;
	char			*s;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	iinbox = mkfolder(w, pstw_ipm_subtree(w), "Inbox", "IPF.Note");
	isub = mkfolder(w, ical, "Holidays", "IPF.Appointment");
	start = pstw_named_lid(w, pstw_psetid_appointment, 0x820D);
	busy = pstw_named_lid(w, pstw_psetid_appointment, 0x8205);
	kw = pstw_named_str(w, pstw_ps_public_strings, "Keywords");
	cr_assert_eq(start, 0x8000);
	cr_assert_eq(pstw_named_lid(w, pstw_psetid_appointment, 0x820D), start);
	/* The same LID in another set is another property. */
	cr_assert_neq(pstw_named_lid(w, pstw_psetid_common, 0x820D), start);

	m = appt("Team sync");
	p = pstw_msg_props(m);
	pstw_set_time(p, start, FT_BASE);
	pstw_set_i4(p, busy, 2);
	pstw_set_mvstr(p, kw, cats, 2);
	pstw_set_str(p, 0x3FF8, "Creator Name");
	pstw_set_bool(p, 0x0E1B, 1);
	r = pstw_msg_recipient(m);
	pstw_set_str(r, 0x3001, "Alice Example");
	pstw_set_str(r, 0x3003, "alice@example.com");
	pstw_set_str(r, 0x3002, "SMTP");
	pstw_set_i4(r, 0x0C15, 1);
	r = pstw_msg_recipient(m);
	pstw_set_str(r, 0x3001, "Bob");
	pstw_set_str(r, 0x39FE, "bob@example.com");
	pstw_set_i4(r, 0x0C15, 2);
	a = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(a), 0x3707, "notes.txt");
	pstw_set_str(pstw_attach_props(a), 0x3704, "notes.txt");
	pstw_attach_data(a, "attachment bytes\n", 17);
	a = pstw_msg_attach(m);
	pstw_set_bool(pstw_attach_props(a), 0x7FFE, 1);
	e = pstw_attach_embed(a, "IPM.OLE.CLASS.{00061055-0000-0000-C000-"
	    "000000000046}");
	pstw_set_str(pstw_msg_props(e), 0x0037, "Exception subject");
	pstw_set_time(pstw_msg_props(e), start, FT_BASE + 864000000000LL);
	r = pstw_msg_recipient(e);
	pstw_set_str(r, 0x3001, "Carol");
	tu_pstw_write(w, ical, m);
	/* readpst skips an appointment without any appointment property. */
	m = appt("New Year");
	pstw_set_time(pstw_msg_props(m), start, FT_BASE);
	tu_pstw_write(w, isub, m);
	m = pstw_msg_new("IPM.Note");
	pstw_set_str(pstw_msg_props(m), 0x0037, "Plain mail");
	/* readpst writes a mail only if it has some mail property. */
	pstw_set_i4(pstw_msg_props(m), 0x0E07, 1);
	pstw_set_str(pstw_msg_props(m), 0x0C1A, "Sender Name");
	tu_pstw_write(w, iinbox, m);
	tu_pstw_close(w);

	check_file(t.path, &c);
	/* PCs: 7 folders, 3 messages, store and name map. TCs: 3 per
	 * folder and 8 templates. */
	cr_assert_eq(c.npc, 7 + 3 + 2);
	cr_assert_eq(c.ntc, 7 * 3 + 8);
	chk_free(&c);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	assert_str(cal, 0, 0x3613, "IPF.Appointment");
	cr_assert_eq(nmessages(cal), 1);
	sub = folder_path(f, "Calendar", "Holidays");
	cr_assert_eq(nmessages(sub), 1);
	msg = message(sub, 0);
	assert_str(msg, 0, 0x0037, "New Year");
	libpff_item_free(&msg, NULL);
	inbox = folder_path(f, "Inbox", NULL);
	assert_str(inbox, 0, 0x3613, "IPF.Note");
	cr_assert_eq(nmessages(inbox), 1);
	msg = message(inbox, 0);
	assert_str(msg, 0, 0x001A, "IPM.Note");
	assert_str(msg, 0, 0x0037, "Plain mail");
	libpff_item_free(&msg, NULL);

	msg = message(cal, 0);
	assert_str(msg, 0, 0x001A, "IPM.Appointment");
	assert_str(msg, 0, 0x0037, "Team sync");
	assert_str(msg, 0, 0x3FF8, "Creator Name");
	en = named(msg, pstw_psetid_appointment, 0x820D, NULL);
	cr_assert_eq(libpff_record_entry_get_data_as_filetime(en, &ft, NULL),
	    1);
	cr_assert_eq(ft, (uint64_t)FT_BASE);
	cr_assert_eq(e_i4(named(msg, pstw_psetid_appointment, 0x8205, NULL)),
	    2);
	cr_assert_null(named(msg, pstw_psetid_common, 0x820D, NULL));
	en = named(msg, NULL, 0, "Keywords");
	d = e_data(en, &len);
	/* count 2, offsets 12 and 18, "Red", "Blue category" in UTF-16. */
	cr_assert_eq(len, 4 + 8 + 6 + 26);
	cr_assert_eq(le_get32(d), 2);
	cr_assert_eq(le_get32(d + 4), 12);
	cr_assert_eq(le_get32(d + 8), 18);
	cr_assert_eq(memcmp(d + 12, "R\0e\0d\0B\0l\0u\0e\0", 14), 0);
	free(d);

	cr_assert_eq(libpff_message_get_recipients(msg, &rc, NULL), 1);
	cr_assert_eq(libpff_item_get_number_of_record_sets(rc, &n, NULL), 1);
	cr_assert_eq(n, 2);
	assert_str(rc, 0, 0x3001, "Alice Example");
	assert_str(rc, 0, 0x3003, "alice@example.com");
	assert_str(rc, 0, 0x3002, "SMTP");
	cr_assert_eq(e_i4(entry(rc, 0, 0x0C15)), 1);
	assert_str(rc, 1, 0x3001, "Bob");
	/* Not a template column: the recipient table grows one. */
	assert_str(rc, 1, 0x39FE, "bob@example.com");
	cr_assert_eq(e_i4(entry(rc, 1, 0x0C15)), 2);
	libpff_item_free(&rc, NULL);

	cr_assert_eq(libpff_message_get_number_of_attachments(msg, &n, NULL),
	    1);
	cr_assert_eq(n, 2);
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att, NULL), 1);
	assert_str(att, 0, 0x3707, "notes.txt");
	cr_assert_eq(e_i4(entry(att, 0, 0x3705)), 1);
	cr_assert_eq(libpff_attachment_get_data_size(att, &ft, NULL), 1);
	cr_assert_eq(ft, 17);
	cr_assert_eq(libpff_attachment_data_read_buffer(att, buf, 17, NULL),
	    17);
	cr_assert_eq(memcmp(buf, "attachment bytes\n", 17), 0);
	libpff_item_free(&att, NULL);
	cr_assert_eq(libpff_message_get_attachment(msg, 1, &att, NULL), 1);
	cr_assert_eq(e_i4(entry(att, 0, 0x3705)), 5);
	cr_assert_eq(libpff_attachment_get_item(att, &emb, NULL), 1);
	s = e_str(entry(emb, 0, 0x001A));
	cr_assert_str_eq(s, "IPM.OLE.CLASS.{00061055-0000-0000-C000-"
	    "000000000046}");
	free(s);
	assert_str(emb, 0, 0x0037, "Exception subject");
	en = named(emb, pstw_psetid_appointment, 0x820D, NULL);
	cr_assert_eq(libpff_record_entry_get_data_as_filetime(en, &ft, NULL),
	    1);
	cr_assert_eq(ft, (uint64_t)(FT_BASE + 864000000000LL));
	rc = NULL;
	cr_assert_eq(libpff_message_get_recipients(emb, &rc, NULL), 1);
	assert_str(rc, 0, 0x3001, "Carol");
	libpff_item_free(&rc, NULL);
	libpff_item_free(&emb, NULL);
	libpff_item_free(&att, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&inbox, NULL);
	libpff_item_free(&sub, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);

	n = readpst_scan(&t, "a", "BEGIN:VEVENT", "SUMMARY:Team sync",
	    &found);
	if (n >= 0) {
		/* Two appointments (the mail is not one). */
		cr_assert_eq(n, 2, "readpst: %d events", n);
		cr_assert_eq(found, 1);
		n = readpst_scan(&t, "e", "From ", "Subject: Plain mail",
		    &found);
		cr_assert_eq(n, 1, "readpst: %d mails", n);
		cr_assert_eq(found, 1);
	}
	tmp_free(&t);
}

/* A 100 KB body (XBLOCK) and a 10 MB attachment (XXBLOCK). */
Test(pstwrite, big_values, .timeout = 120)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_attach	*a;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att = NULL;
	uint8_t			*big, *back, *body, *d;
	size_t			 i, blen = 50000, len;
	size_t			 attlen = 10 * 1024 * 1024;
	uint64_t		 sz = 0;
	uint32_t		 ical;
	char			*s;

	tmp_make(&t);
	big = malloc(attlen);
	for (i = 0; i < attlen; i++)
		big[i] = (uint8_t)(i * 2654435761U >> 13);
	body = malloc(blen + 1);
	for (i = 0; i < blen; i++)
		body[i] = 'a' + i % 26;
	body[blen] = '\0';
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Big one");
	pstw_set_str(pstw_msg_props(m), 0x1000, (char *)body);
	a = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(a), 0x3707, "big.bin");
	pstw_attach_data(a, big, attlen);
	tu_pstw_write(w, ical, m);
	f = close_and_open(w, t.path, &cal, &msg);
	/* 100,000 bytes of UTF-16: an XBLOCK of 13 blocks. */
	d = e_data(entry(msg, 0, 0x1000), &len);
	cr_assert_eq(len, blen * 2);
	for (i = 0; i < blen; i++)
		cr_assert_eq(le_get16(d + 2 * i), body[i]);
	free(d);
	s = e_str(entry(msg, 0, 0x1000));
	cr_assert_str_eq(s, (char *)body);
	free(s);
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att, NULL), 1);
	cr_assert_eq(libpff_attachment_get_data_size(att, &sz, NULL), 1);
	cr_assert_eq(sz, attlen);
	back = malloc(attlen);
	cr_assert_eq(libpff_attachment_data_read_buffer(att, back, attlen,
	    NULL), (ssize_t)attlen);
	cr_assert_eq(memcmp(back, big, attlen), 0);
	free(back);
	libpff_item_free(&att, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	free(big);
	free(body);
	tmp_free(&t);
}

/* Past 32 MB: the first FMap page (region 128). */
Test(pstwrite, fmap, .timeout = 120)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_attach	*a;
	struct chk		 c;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att;
	uint8_t			*big, buf[4];
	size_t			 len = 9 * 1000 * 1000;
	uint64_t		 sz;
	uint32_t		 ical;
	int			 i;

	tmp_make(&t);
	big = malloc(len);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	for (i = 0; i < 4; i++) {
		memset(big, 'A' + i, len);
		m = appt("Heavy");
		a = pstw_msg_attach(m);
		pstw_attach_data(a, big, len);
		tu_pstw_write(w, ical, m);
	}
	tu_pstw_close(w);
	free(big);
	check_file(t.path, &c);
	cr_assert_gt(c.len, 0x4400 + 128 * 0x3E000);
	cr_assert_eq(c.nfmap, 1);
	chk_free(&c);
	check_pffinfo(t.path);
	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	cr_assert_eq(nmessages(cal), 4);
	msg = message(cal, 3);
	att = NULL;
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att, NULL), 1);
	cr_assert_eq(libpff_attachment_get_data_size(att, &sz, NULL), 1);
	cr_assert_eq(sz, len);
	cr_assert_eq(libpff_attachment_data_read_buffer(att, buf, 4, NULL), 4);
	cr_assert_eq(memcmp(buf, "DDDD", 4), 0);
	libpff_item_free(&att, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}
