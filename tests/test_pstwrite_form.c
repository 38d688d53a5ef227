/* test_pstwrite_form.c: every PST form pstw_* writes, and the
 * ANSI row limit. */
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

/* ---- ANSI files, permute and cyclic encodings ------------------------ */

struct pform {
	int	ansi;
	int	crypt;
	int	natt;		/* past one SLBLOCK: 340 Unicode, 681 ANSI */
	size_t	huge;		/* an attachment needing an XXBLOCK, or 0 */
};

static const struct pform pforms[] = {
	{ 0, 0, 400, 0 }, { 0, 1, 400, 0 }, { 0, 2, 400, 0 },
	{ 1, 0, 700, 0 }, { 1, 1, 700, 0 },
	/* 2043 BIDs of 8180 bytes fit one ANSI XBLOCK: 16.7 MB. */
	{ 1, 2, 700, 17 * 1024 * 1024 }
};

ParameterizedTestParameters(pstwrite, forms)
{
	return cr_make_param_array(struct pform, pforms,
	    sizeof pforms / sizeof pforms[0]);
}

static uint8_t
body_byte(size_t i)
{
	return 'a' + (i * 7 + i / 26) % 26;
}

/* Every structure in the form: header, pages and maps, block trailers
 * and (decoded) heaps checked raw; XBLOCK, XXBLOCK and SIBLOCK present;
 * libpff, pffinfo and readpst read it back. */
ParameterizedTest(const struct pform *pf, pstwrite, forms, .timeout = 120)
{
	struct tmp		 t;
	struct pstw		*w = NULL;
	struct pstw_opts	 o;
	struct pstw_msg		*m;
	struct pstw_attach	*a;
	struct chk		 c;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att;
	char			*cause = NULL, name[64], *body, *s;
	uint8_t			 blob[3000], *huge = NULL;
	uint32_t		 ical;
	uint16_t		 start;
	size_t			 i, k, len;
	int			 n = 0, found;
	size64_t		 asz = 0;

	tmp_make(&t);
	memset(&o, 0, sizeof o);
	o.ansi = pf->ansi;
	o.crypt = pf->crypt;
	cr_assert_eq(pstw_open_opts(t.path, "Forms", &o, &w, &cause), 0, "%s",
	    cause);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	start = pstw_named_lid(w, pstw_psetid_appointment, 0x820D);
	m = appt("Big one");
	pstw_set_time(pstw_msg_props(m), start, FT_BASE);
	body = malloc(100 * 1024 + 1);
	for (i = 0; i < 100 * 1024; i++)
		body[i] = body_byte(i);
	body[100 * 1024] = '\0';
	pstw_set_str(pstw_msg_props(m), 0x1000, body);
	/* 20 values of 3000 bytes: a heap over nine blocks. */
	for (i = 0; i < 20; i++) {
		memset(blob, (int)i, sizeof blob);
		pstw_set_bin(pstw_msg_props(m), 0x6750 + i, blob, sizeof blob);
	}
	add_files(m, (size_t)pf->natt);
	if (pf->huge > 0) {
		huge = malloc(pf->huge);
		for (i = 0; i < pf->huge; i++)
			huge[i] = (uint8_t)(i * 13 + i / 8180);
		a = pstw_msg_attach(m);
		pstw_set_str(pstw_attach_props(a), 0x3707, "huge.bin");
		pstw_attach_data(a, huge, pf->huge);
	}
	tu_pstw_write(w, ical, m);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "Small %03zu", i);
		m = appt(name);
		pstw_set_time(pstw_msg_props(m), start, FT_BASE +
		    (int64_t)i * 36000000000LL);
		tu_pstw_write(w, ical, m);
	}
	tu_pstw_close(w);

	c.ansi = pf->ansi;
	c.crypt = pf->crypt;
	check_file_form(t.path, &c);
	cr_expect_gt(c.nxblock, 0);
	cr_expect_gt(c.nsiblock, 0, "no SIBLOCK");
	cr_expect_eq(c.nxxblock > 0, pf->huge > 0);
	chk_free(&c);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	cr_assert_eq(nmessages(cal), 201);
	msg = message(cal, 0);
	assert_str(msg, 0, 0x0037, "Big one");
	s = e_str(entry(msg, 0, 0x1000));
	cr_assert_str_eq(s, body);
	free(s);
	for (i = 0; i < 20; i++) {
		s = (char *)e_data(entry(msg, 0, 0x6750 + i), &len);
		cr_assert_eq(len, sizeof blob);
		for (k = 0; k < len; k++)
			cr_assert_eq((uint8_t)s[k], i);
		free(s);
	}
	cr_assert_eq(libpff_message_get_number_of_attachments(msg, &n, NULL),
	    1);
	cr_assert_eq(n, pf->natt + (pf->huge > 0));
	check_files(msg, (size_t)pf->natt, 97);
	if (pf->huge > 0) {
		att = NULL;
		cr_assert_eq(libpff_message_get_attachment(msg, pf->natt, &att,
		    NULL), 1);
		cr_assert_eq(libpff_attachment_get_data_size(att, &asz, NULL),
		    1);
		cr_assert_eq(asz, pf->huge);
		s = malloc(pf->huge);
		cr_assert_eq(libpff_attachment_data_read_buffer(att,
		    (uint8_t *)s, pf->huge, NULL), (ssize_t)pf->huge);
		cr_assert_eq(memcmp(s, huge, pf->huge), 0);
		free(s);
		libpff_item_free(&att, NULL);
	}
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);

	n = readpst_scan(&t, "a", "BEGIN:VEVENT", "SUMMARY:Small ", &found);
	if (n >= 0) {
		cr_expect_eq(n, 201);
		cr_expect_eq(found, 200);
	}
	free(huge);
	free(body);
	tmp_free(&t);
}

/* ANSI row indexes are 16-bit: a table past 65534 rows is refused
 * before anything is written, not written wrong. */
Test(pstwrite, ansi_row_limit)
{
	struct tmp		 t;
	struct pstw		*w = NULL;
	struct pstw_opts	 o = { 1, PST_CRYPT_NONE };
	struct pstw_msg		*m;
	char			*cause = NULL;
	uint32_t		 ical;
	int			 i;

	tmp_make(&t);
	cr_assert_eq(pstw_open_opts(t.path, "Rows", &o, &w, &cause), 0);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Crowd");
	for (i = 0; i < 0xFFFF; i++)
		pstw_set_i4(pstw_msg_recipient(m), 0x0C15, 1);
	cr_assert_eq(pstw_msg_write(w, ical, m, NULL, &cause), -1);
	cr_assert_not_null(strstr(cause, "ANSI"), "%s", cause);
	free(cause);
	/* The writer is still usable. */
	tu_pstw_write(w, ical, appt("Fine"));
	tu_pstw_close(w);
	tmp_free(&t);
}
