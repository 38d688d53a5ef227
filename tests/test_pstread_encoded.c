/* test_pstread_encoded.c: our PST reader on encoded fixtures,
 * XXBLOCK attachments and every corpus file, against libpff. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "testutil.h"
#include "pstread_util.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/mapi.h"
#include "pst/pst.h"
#include "pst/pstint.h"
#include "pst/walk.h"

/* Encode a plain file's external blocks in place, as Outlook would with
 * bCryptMethod method: the block CRCs cover the stored bytes. */
static void
encode_file(uint8_t *buf, size_t len, int method)
{
	struct pst		*f;
	struct pst_header	 h;
	struct pst_btrailer	 t;
	uint8_t			 hdr[PST_HEADER_MAX], *p, *tp;
	size_t			 i, hlen;
	char			*cause = NULL;

	cr_assert_eq(pst_open_mem(buf, len, &f, &cause), 0, "%s", cause);
	cr_assert_eq(f->hdr.crypt, PST_CRYPT_NONE);
	for (i = 0; i < f->nblocks; i++) {
		if (f->blocks[i].bid & PST_BID_INTERNAL)
			continue;
		p = buf + f->blocks[i].ib;
		if (method == PST_CRYPT_PERMUTE)
			pst_permute_encode(p, f->blocks[i].cb);
		else
			pst_cyclic(p, f->blocks[i].cb,
			    (uint32_t)f->blocks[i].bid);
		tp = p + pst_block_size(f->l, f->blocks[i].cb) -
		    f->l->block_trailer;
		pst_btrailer_get(f->l, tp, &t);
		t.crc = pst_crc32(0, p, f->blocks[i].cb);
		pst_btrailer_put(f->l, tp, &t);
	}
	pst_close(f);
	cr_assert_eq(pst_header_get(buf, len, &h), 0);
	h.crypt = (uint8_t)method;
	hlen = pst_header_put(&h, hdr);
	memcpy(buf, hdr, hlen);
}

Test(pstread, encoded_fixtures)
{
	static const int methods[] = { PST_CRYPT_PERMUTE, PST_CRYPT_CYCLIC };
	struct pst	*f;
	struct pst_walk	 plain, w;
	struct cmp	 c;
	char		*dir, *pst, *buf, *enc, *cause = NULL;
	uint8_t		*b;
	size_t		 len, i;

	pst = fixture("exceptions.ics", &dir);
	buf = tu_slurp(pst, &len);
	cr_assert_eq(pst_open_mem(buf, len, &f, &cause), 0, "%s", cause);
	pst_walk(f, &plain);
	pst_close(f);
	for (i = 0; i < 2; i++) {
		b = malloc(len);
		memcpy(b, buf, len);
		encode_file(b, len, methods[i]);
		cr_assert(memcmp(b + 0x4800, buf + 0x4800, len - 0x4800) != 0);
		cr_assert_eq(pst_open_mem(b, len, &f, &cause), 0, "%s", cause);
		cr_assert_eq(pst_header(f)->crypt, methods[i]);
		pst_walk(f, &w);
		pst_close(f);
		cr_assert_eq(w.errors, 0, "%s", w.first_error);
		cr_assert_eq(w.messages, plain.messages);
		cr_assert_eq(w.props, plain.props);
		cr_assert_eq(w.embedded, plain.embedded);
		cr_assert_gt(w.embedded, 0);
		enc = tu_path(dir, methods[i] == PST_CRYPT_PERMUTE ?
		    "permute.pst" : "cyclic.pst");
		tu_spit(enc, b, len);
		cr_assert_eq(cmp_file(enc, &c), 1);
		cr_assert_eq(c.mismatches, 0, "%s", c.first);
		cr_assert_gt(c.entries, 100);
		free(enc);
		free(b);
	}
	free(buf);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

/* The one calendar folder's NID. */
static uint32_t
calendar(struct pst *f)
{
	struct pst_folder	*fo;
	size_t			 n, i;
	uint32_t		 nid = 0;

	cr_assert_eq(pst_folders(f, &fo, &n, NULL), 0);
	for (i = 0; i < n; i++)
		if (fo[i].container_class != NULL &&
		    strcmp(fo[i].container_class, MAPI_FOLDER_CALENDAR) == 0) {
			cr_assert_eq(nid, 0, "two calendar folders");
			nid = fo[i].nid;
		}
	pst_folders_free(fo, n);
	cr_assert_neq(nid, 0, "no calendar folder");
	return nid;
}

/* A 9 MiB attachment needs an XXBLOCK, a 30 KB body an XBLOCK: both
 * come back byte for byte, and libpff agrees. */
Test(pstread, xxblock_attachment)
{
	static const char head[] = "BEGIN:VCALENDAR\r\nPRODID:-//t//t//EN\r\n"
	    "VERSION:2.0\r\nBEGIN:VEVENT\r\nUID:big@example.com\r\n"
	    "SUMMARY:Big attachment\r\nDTSTART:20240611T090000Z\r\n"
	    "DTEND:20240611T100000Z\r\nDESCRIPTION:";
	static const char mid[] = "\r\nX-PST-ATTACH;FILENAME=big.txt:";
	static const char tail[] = "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	const size_t	 body = 30000, att = 9u << 20;
	struct pst	*f;
	struct pst_pc	*pc, *ap;
	struct pst_tc	*tc;
	struct pst_prop	 v;
	struct pst_msglist ml;
	struct cmp	 c;
	char		*text, *o, *dir, *pst, *cause = NULL;
	size_t		 i;
	uint32_t	 id;

	text = o = malloc(sizeof head + body + sizeof mid + att + sizeof tail);
	o = stpcpy(o, head);
	for (i = 0; i < body; i++)
		*o++ = (char)('a' + i % 26);
	o = stpcpy(o, mid);
	for (i = 0; i < att; i++)
		*o++ = "0123456789abcdef"[i % 16];
	o = stpcpy(o, tail);
	dir = tu_tmpdir();
	pst = tu_mkpst_text(dir, text, (size_t)(o - text));
	free(text);
	cr_assert_eq(pst_open(pst, 0, &f, &cause), 0, "%s", cause);
	cr_assert_eq(pst_folder_messages(f, calendar(f), &ml, &cause), 0,
	    "%s", cause);
	cr_assert_eq(ml.n, 1);
	cr_assert_eq(pst_pc_open(f, ml.nid[0], &pc, &cause), 0, "%s", cause);
	cr_assert_eq(pst_pc_get(pc, MAPI_ID_BODY, &v, &cause), 1, "%s", cause);
	cr_assert_eq(v.len, 2 * body);
	for (i = 0; i < body; i++)
		cr_assert_eq(v.p[2 * i], 'a' + i % 26);
	cr_assert(pst_pc_has_sub(pc, PST_NID_ATTACHMENT_TABLE));
	cr_assert_not(pst_pc_has_sub(pc, 0x7fffffe1));
	cr_assert_eq(pst_tc_open_sub(pc, PST_NID_ATTACHMENT_TABLE, &tc,
	    &cause), 0, "%s", cause);
	cr_assert_eq(pst_tc_rows(tc), 1);
	cr_assert_eq(pst_tc_row_id(tc, 0, &id, &cause), 0);
	cr_assert_eq(pst_pc_open_sub(pc, id, &ap, &cause), 0, "%s", cause);
	cr_assert_eq(pst_pc_get(ap, MAPI_ID_ATTACH_DATA, &v, &cause), 1,
	    "%s", cause);
	cr_assert_eq(v.type, MAPI_PT_BINARY);
	cr_assert_eq(v.len, att);
	for (i = 0; i < att; i += 4093)
		cr_assert_eq(v.p[i], "0123456789abcdef"[i % 16], "byte %zu", i);
	pst_pc_free(ap);
	pst_tc_free(tc);
	pst_pc_free(pc);
	pst_msglist_free(&ml);
	pst_close(f);
	cr_assert_eq(cmp_file(pst, &c), 1);
	cr_assert_eq(c.mismatches, 0, "%s", c.first);
	cr_assert_eq(c.attachments, 1);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

static int
is_pst(const char *name)
{
	size_t	n = strlen(name);

	return n > 4 && (strcmp(name + n - 4, ".pst") == 0 ||
	    strcmp(name + n - 4, ".ost") == 0);
}

Test(pstread, corpus_matches_libpff)
{
	const char	*d = corpus_dir();
	DIR		*dp;
	struct dirent	*de;
	struct pst	*f;
	struct pst_walk	 w;
	struct cmp	 c;
	char		*path, *cause = NULL;
	size_t		 nfiles = 0, kinds[3] = { 0 }, crypts[3] = { 0 };

	if (d == NULL)
		cr_skip_test("no corpus");
	dp = opendir(d);
	while ((de = readdir(dp)) != NULL) {
		if (!is_pst(de->d_name))
			continue;
		nfiles++;
		path = tu_path(d, de->d_name);
		cr_assert_eq(pst_open(path, 0, &f, &cause), 0, "%s: %s",
		    de->d_name, cause);
		kinds[pst_file_layout(f)->kind]++;
		crypts[pst_header(f)->crypt]++;
		pst_walk(f, &w);
		cr_assert_eq(w.errors, 0, "%s: %s", de->d_name, w.first_error);
		cr_assert_gt(w.folders, 0);
		pst_close(f);
		if (cmp_file(path, &c)) {
			cr_assert_eq(c.mismatches, 0, "%s: %zu mismatches, "
			    "first: %s", de->d_name, c.mismatches, c.first);
			cr_assert_gt(c.folders, 0);
		}
		fprintf(stderr, "# %s: folders %zu messages %zu (libpff "
		    "compared %zu, %zu appointments, %zu values, %zu named, "
		    "%zu recipients, %zu attachments, %zu embedded; libpff "
		    "failed on %zu)\n", de->d_name, w.folders, w.messages,
		    c.messages, c.appointments, c.entries, c.named, c.rows,
		    c.attachments, c.embedded, c.lpff_failed);
		free(path);
	}
	closedir(dp);
	cr_assert_geq(nfiles, 11);
	/* Every form and encoding the corpus promises was met. */
	cr_assert_gt(kinds[PST_ANSI], 0);
	cr_assert_gt(kinds[PST_UNICODE], 0);
	cr_assert_gt(kinds[PST_UNICODE4K], 0);
	cr_assert_gt(crypts[PST_CRYPT_NONE], 0);
	cr_assert_gt(crypts[PST_CRYPT_PERMUTE], 0);
	cr_assert_gt(crypts[PST_CRYPT_CYCLIC], 0);
}
