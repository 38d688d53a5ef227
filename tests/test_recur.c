/* test_recur.c: recurrence blobs decoded, from real and corpus items and
 * from truncated or lying ones (encoding: test_recur_encode.c). */
#include <criterion/criterion.h>
#include <libpff.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft.h"
#include "recur.h"
#include "xmalloc.h"
#include "testutil.h"
#include "recur_util.h"
#include "tz.h"

/* Offset just after ReservedBlock1 in that blob. */
#define DISTLIST_EXT_OFF	124

static const uint8_t psetid_appointment[16] = {
	0x02, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};

/* The PSETID_Appointment 0x8216 value of one message: 1 with *blob set
 * (owned), 0 if it has none. */
static int
msg_recur(libpff_item_t *msg, uint8_t **blob, size_t *len)
{
	libpff_record_set_t *rs = NULL;
	libpff_record_entry_t *e;
	libpff_name_to_id_map_entry_t *nm;
	uint8_t type, guid[16];
	uint32_t lid;
	int j, ne, found = 0;

	if (libpff_item_get_record_set_by_index(msg, 0, &rs, NULL) != 1)
		return 0;
	if (libpff_record_set_get_number_of_entries(rs, &ne, NULL) != 1)
		ne = 0;
	for (j = 0; j < ne && !found; j++) {
		e = NULL;
		nm = NULL;
		lid = 0;
		libpff_record_set_get_entry_by_index(rs, j, &e, NULL);
		if (libpff_record_entry_get_name_to_id_map_entry(e, &nm,
		    NULL) != 1)
			continue;
		libpff_name_to_id_map_entry_get_type(nm, &type, NULL);
		libpff_name_to_id_map_entry_get_guid(nm, guid, 16, NULL);
		if (type == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC)
			libpff_name_to_id_map_entry_get_number(nm, &lid, NULL);
		if (lid != 0x8216 ||
		    memcmp(guid, psetid_appointment, 16) != 0)
			continue;
		cr_assert_eq(libpff_record_entry_get_data_size(e, len, NULL),
		    1);
		*blob = malloc(*len);
		cr_assert_eq(libpff_record_entry_get_data(e, *blob, *len,
		    NULL), 1);
		found = 1;
	}
	libpff_record_set_free(&rs, NULL);
	return found;
}

/* The first recurrence blob in a folder tree, depth first. */
static int
find_recur(libpff_item_t *folder, uint8_t **blob, size_t *len)
{
	libpff_item_t *item;
	int i, n, found = 0;

	if (libpff_folder_get_number_of_sub_messages(folder, &n, NULL) != 1)
		n = 0;
	for (i = 0; i < n && !found; i++) {
		item = NULL;
		if (libpff_folder_get_sub_message(folder, i, &item, NULL) != 1)
			continue;
		found = msg_recur(item, blob, len);
		libpff_item_free(&item, NULL);
	}
	if (libpff_folder_get_number_of_sub_folders(folder, &n, NULL) != 1)
		n = 0;
	for (i = 0; i < n && !found; i++) {
		item = NULL;
		if (libpff_folder_get_sub_folder(folder, i, &item, NULL) != 1)
			continue;
		found = find_recur(item, blob, len);
		libpff_item_free(&item, NULL);
	}
	return found;
}

static void
check_distlist(const struct recur *r)
{
	cr_assert_eq(r->freq, RECUR_FREQ_WEEKLY);
	cr_assert_eq(r->pattern, RECUR_PAT_WEEK);
	cr_assert_eq(r->cal_type, 0);
	cr_assert_eq(r->period, 1);
	cr_assert_eq(r->day_mask, 0x4);		/* Tuesday */
	cr_assert_eq(r->end_type, RECUR_END_NEVER);
	cr_assert_eq(r->count, 10);
	cr_assert_eq(r->first_dow, 0);
	cr_assert_eq(r->start_date, day(2016, 8, 2));
	cr_assert_eq(r->end_date, RECUR_NO_END_DATE);
	cr_assert_eq(r->start_offset, 480);
	cr_assert_eq(r->end_offset, 510);
	cr_assert_eq(r->writer_version2, 0x3009);
	cr_assert_eq(r->ndeleted, 3);
	cr_assert_eq(r->deleted[0], day(2016, 8, 9));
	cr_assert_eq(r->deleted[1], day(2016, 8, 23));
	cr_assert_eq(r->deleted[2], day(2016, 8, 30));
	cr_assert_eq(r->nmodified, 2);
	cr_assert_eq(r->modified[0], day(2016, 8, 23));
	cr_assert_eq(r->modified[1], day(2016, 8, 30));
	cr_assert_eq(r->nexcs, 2);
	/* Moved from 08:00 to 09:00 and 10:00 local; body changed. */
	cr_assert_eq(r->excs[0].orig_start, day(2016, 8, 23) + 480);
	cr_assert_eq(r->excs[0].start, day(2016, 8, 23) + 540);
	cr_assert_eq(r->excs[0].end, day(2016, 8, 23) + 570);
	cr_assert_eq(r->excs[0].flags, RECUR_ARO_EXCEPTIONAL_BODY);
	cr_assert_eq(r->excs[1].orig_start, day(2016, 8, 30) + 480);
	cr_assert_eq(r->excs[1].start, day(2016, 8, 30) + 600);
	cr_assert_null(r->excs[1].subject);
}

Test(recur, decode_real_blob)
{
	struct recur r;
	char *cause = NULL;

	cr_assert_eq(recur_decode(distlist_recur, sizeof distlist_recur, &r,
	    &cause), 0, "%s", cause ? cause : "");
	check_distlist(&r);
	cr_assert_eq(r.first_datetime, 8640);
	recur_free(&r);
}

Test(recur, corpus_blob_matches)
{
	const char *dir = getenv("PSTDEDUP_CORPUS");
	char path[4096];
	struct stat sb;
	libpff_file_t *file = NULL;
	libpff_item_t *root = NULL;
	uint8_t *blob = NULL;
	size_t len = 0;
	struct recur r;
	char *cause = NULL;

	if (dir == NULL || *dir == '\0')
		cr_skip_test("PSTDEDUP_CORPUS not set");
	snprintf(path, sizeof path, "%s/java-libpst__dist-list.pst", dir);
	if (stat(path, &sb) != 0)
		cr_skip_test("%s missing", path);
	cr_assert_eq(libpff_file_initialize(&file, NULL), 1);
	cr_assert_eq(libpff_file_open(file, path, LIBPFF_OPEN_READ, NULL), 1);
	cr_assert_eq(libpff_file_get_root_folder(file, &root, NULL), 1);
	cr_assert_eq(find_recur(root, &blob, &len), 1);
	libpff_item_free(&root, NULL);
	libpff_file_close(file, NULL);
	libpff_file_free(&file, NULL);
	cr_assert_eq(len, sizeof distlist_recur);
	cr_assert_arr_eq(blob, distlist_recur, len);
	cr_assert_eq(recur_decode(blob, len, &r, &cause), 0);
	check_distlist(&r);
	recur_free(&r);
	free(blob);
}

Test(recur, reencode_real_blob)
{
	struct recur r;
	uint8_t *out;
	size_t len;
	char *cause = NULL;

	cr_assert_eq(recur_decode(distlist_recur, sizeof distlist_recur, &r,
	    &cause), 0);
	r.first_datetime = 0;	/* recomputed by the encoder */
	cr_assert_eq(recur_encode(&r, &out, &len, &cause), 0);
	cr_assert_eq(len, sizeof distlist_recur);
	cr_assert_arr_eq(out, distlist_recur, len);
	free(out);
	recur_free(&r);
}

Test(recur, real_rrule_and_exdates)
{
	struct recur r;
	struct tz_rule pst;
	uint32_t *ex;
	size_t n;
	char *rrule, *cause = NULL;

	cr_assert_eq(recur_decode(distlist_recur, sizeof distlist_recur, &r,
	    &cause), 0);
	cr_assert_eq(tz_decode_reg(pacific_reg, 48, &pst, &cause), 0);
	cr_assert_eq(recur_rrule(&r, &pst, 0, &rrule, &cause), 0);
	cr_assert_str_eq(rrule, "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=SU");
	free(rrule);
	ex = recur_exdates(&r, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(ex[0], day(2016, 8, 9) + 480);
	free(ex);
	recur_free(&r);
}

Test(recur, truncations_fail_cleanly)
{
	struct recur r;
	char *cause;
	size_t n;
	int rc;

	/* Each prefix in a heap block of exactly its size, so that a read
	 * past the end is an AddressSanitizer error, not a quiet one. */
	for (n = 0; n < sizeof distlist_recur; n++) {
		uint8_t *copy = xmemdup(distlist_recur, n);

		cause = NULL;
		rc = recur_decode(copy, n, &r, &cause);
		free(copy);
		if (n >= DISTLIST_EXT_OFF) {
			/* Only ExtendedException bytes are missing: they
			 * add nothing this blob needs. */
			cr_assert_eq(rc, 0, "%s", cause ? cause : "");
			cr_assert_eq(r.nexcs, 2);
			cr_assert_eq(r.excs[1].start, day(2016, 8, 30) + 600);
			recur_free(&r);
			continue;
		}
		cr_assert_eq(rc, -1, "prefix %zu decoded", n);
		cr_assert_not_null(cause);
		free(cause);
	}
}

Test(recur, lying_counts)
{
	uint8_t buf[sizeof distlist_recur];
	struct recur r;
	char *cause = NULL;

	/* DeletedInstanceCount 0xFFFFFFFF at offset 38. */
	memcpy(buf, distlist_recur, sizeof buf);
	memset(buf + 38, 0xff, 4);
	cr_assert_eq(recur_decode(buf, sizeof buf, &r, &cause), -1);
	free(cause);
	/* ExceptionCount 0xFFFF at offset 90. */
	memcpy(buf, distlist_recur, sizeof buf);
	memset(buf + 90, 0xff, 2);
	cause = NULL;
	cr_assert_eq(recur_decode(buf, sizeof buf, &r, &cause), -1);
	free(cause);
	/* Unknown frequency. */
	memcpy(buf, distlist_recur, sizeof buf);
	buf[4] = 0x09;
	cause = NULL;
	cr_assert_eq(recur_decode(buf, sizeof buf, &r, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);
	/* A damaged ExtendedException does not cost the pattern. */
	memcpy(buf, distlist_recur, sizeof buf);
	memset(buf + DISTLIST_EXT_OFF, 0xff, 4);
	cause = NULL;
	cr_assert_eq(recur_decode(buf, sizeof buf, &r, &cause), 0);
	cr_assert_eq(r.nexcs, 2);
	recur_free(&r);
	/* Wrong reader version. */
	memcpy(buf, distlist_recur, sizeof buf);
	buf[0] = 0x05;
	cause = NULL;
	cr_assert_eq(recur_decode(buf, sizeof buf, &r, &cause), -1);
	free(cause);
}
