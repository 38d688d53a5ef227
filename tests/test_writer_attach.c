/* test_writer_attach.c: attachments written inline in base64,
 * from memory and from the spool file. */
#include <criterion/criterion.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "writer_util.h"
#include "tz.h"
#include "writer.h"
#include "xmalloc.h"

Test(writer, attachments_inline_base64)
{
	static const char	 pdf_head[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
	static const char	 txt[] = "Agenda\r\n1. Budget\r\n2. "
	    "\xC3\xA9t\xC3\xA9";
	struct appt		*a;
	struct warns		 w = { 0 };
	icalcomponent		*cal, *ev;
	uint8_t			 pdf[sizeof pdf_head - 1 + 512], *got;
	size_t			 len, i;
	char			*out;

	/* Every byte value, NULs included, after a PDF header. */
	memcpy(pdf, pdf_head, sizeof pdf_head - 1);
	for (i = 0; i < 512; i++)
		pdf[sizeof pdf_head - 1 + i] = (uint8_t)(i * 7 + i / 256);
	a = mk("Review", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "agenda.pdf", "application/pdf", pdf, sizeof pdf, 0);
	attach(a, "notes; \"draft\", v2.txt", "text/plain", txt,
	    sizeof txt - 1, 0);
	attach(a, "blob.bin", NULL, "\0\1\2", 3, 0);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	ev = event(cal, 0);
	cr_assert_eq(nattach(ev), 3, "%s", out);
	/* Outlook's export form, parameters in libical's order. */
	cr_assert(has(out, "ATTACH;VALUE=BINARY;FMTTYPE=application/pdf;"
	    "ENCODING=BASE64;X-FILENAME=agenda.pdf:JVBERi0xLjQK"), "%s", out);

	got = tu_ics_attach(ev, "agenda.pdf", "application/pdf", &len);
	cr_assert_eq(len, sizeof pdf);
	cr_assert_eq(memcmp(got, pdf, len), 0);
	free(got);
	got = tu_ics_attach(ev, "notes; \"draft\", v2.txt", "text/plain",
	    &len);
	cr_assert_eq(len, sizeof txt - 1);
	cr_assert_eq(memcmp(got, txt, len), 0);
	free(got);
	got = tu_ics_attach(ev, "blob.bin", "application/octet-stream",
	    &len);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(got, "\0\1\2", 3), 0);
	free(got);
	check_controls(out);
	check_restrictions(out);
	release(cal, out, a);
}

/* RFC 4648 section 10 vectors: every padding case. */
Test(writer, attachment_base64_padding)
{
	static const char *const plain[] = {
		"f", "fo", "foo", "foob", "fooba", "foobar"
	};
	static const char *const enc[] = {
		"Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	struct appt	*a;
	struct warns	 w = { 0 };
	char		*out, name[16], line[64];
	size_t		 i;

	a = mk("Vectors", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "v%zu.txt", i);
		attach(a, name, "text/plain", plain[i], strlen(plain[i]), 0);
	}
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 0, "%s", w.last);
	for (i = 0; i < 6; i++) {
		snprintf(line, sizeof line, "X-FILENAME=v%zu.txt:%s\r\n", i,
		    enc[i]);
		cr_assert(has(out, line), "%s not in\n%s", line, out);
	}
	free(out);
	appt_free(a);
}

Test(writer, attachments_without_bytes_warn)
{
	struct appt	*a;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	a = mk("Forwarded", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "link.url", NULL, NULL, 0, 0);
	attach(a, "Fwd: minutes", NULL, NULL, 0, 1);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(nattach(event(cal, 0)), 0, "%s", out);
	cr_assert_eq(w.n, 2);
	cr_assert_str_eq(w.last, "attachment \"Fwd: minutes\" is an embedded "
	    "message and is not written");
	release(cal, out, a);

	memset(&w, 0, sizeof w);
	a = mk("Linked", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "link.url", NULL, NULL, 0, 0);
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 1);
	cr_assert_str_eq(w.last, "attachment \"link.url\" has no data in the "
	    "file and is not written");
	cr_assert(!has(out, "ATTACH"));
	free(out);
	appt_free(a);

	/* An empty file: libical cannot parse an empty ATTACH value. */
	memset(&w, 0, sizeof w);
	a = mk("Empty", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "empty.txt", "text/plain", "", 0, 0);
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 1);
	cr_assert_str_eq(w.last, "attachment \"empty.txt\" has no content and "
	    "is not written");
	cr_assert(!has(out, "ATTACH"));
	free(out);
	appt_free(a);
}

Test(writer, attachment_one_megabyte)
{
	struct appt	*a;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	uint8_t		*big, *got;
	uint32_t	 x = 2463534242u;
	size_t		 n = 1 << 20, len, i;
	char		*out, *p, *nl;

	big = xmalloc(n);
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (uint8_t)x;
	}
	a = mk("Big", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "scan.tif", "image/tiff", big, n, 0);
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 0, "%s", w.last);
	/* Folded: no line longer than 75 octets. */
	for (p = out; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		cr_assert_leq(nl - p, 75);
	cal = tu_ics_parse(out, "the output");
	got = tu_ics_attach(event(cal, 0), "scan.tif", "image/tiff", &len);
	cr_assert_eq(len, n);
	cr_assert_eq(memcmp(got, big, n), 0);
	free(got);
	free(big);
	release(cal, out, a);
}

/* An occurrence carries its embedded message's attachments, not the
 * master's. */
Test(writer, exception_attachments_from_its_message)
{
	struct appt	*a = weekly_series();
	struct warns	 w = { 0 };
	icalcomponent	*cal, *m, *x;
	uint8_t		*got;
	size_t		 len;
	char		*out;

	attach(a, "series.txt", "text/plain", "every week", 10, 0);
	attach(a->excs[0].item, "moved.txt", "text/plain", "this week", 9, 0);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_eq(nevents(cal), 2);
	m = event(cal, 0);
	x = event(cal, 1);
	cr_assert_not_null(icalcomponent_get_first_property(x,
	    ICAL_RECURRENCEID_PROPERTY));
	cr_assert_eq(nattach(m), 1);
	cr_assert_eq(nattach(x), 1);
	got = tu_ics_attach(m, "series.txt", "text/plain", &len);
	cr_assert_eq(len, 10);
	cr_assert_eq(memcmp(got, "every week", 10), 0);
	free(got);
	got = tu_ics_attach(x, "moved.txt", "text/plain", &len);
	cr_assert_eq(len, 9);
	cr_assert_eq(memcmp(got, "this week", 9), 0);
	free(got);
	release(cal, out, a);
}

/* The same calendar through a file spool, the memory spool, and a dry
 * render: byte for byte, and with the same warnings. */
Test(writer, spool_to_file_same_bytes_as_memory)
{
	struct appt		*v[3];
	struct writer_opts	 o;
	struct warns		 w1 = { 0 }, w2 = { 0 }, w3 = { 0 };
	icalcomponent		*cal;
	char			*mem, *file = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*fp;

	v[0] = weekly_series();
	v[1] = mk("Lunch", tu_ft(2024, 3, 5, 12, 0), tu_ft(2024, 3, 5, 13, 0));
	attach(v[1], "menu.txt", "text/plain", "soup", 4, 0);
	v[2] = mk("No pattern", tu_ft(2024, 3, 6, 9, 0),
	    tu_ft(2024, 3, 6, 10, 0));
	v[2]->recurring = 1;
	mem = render(v, 3, &w1);

	memset(&o, 0, sizeof o);
	o.calname = "Calendar";
	o.warn = on_warn;
	o.warn_arg = &w2;
	cr_assert_not_null(o.spool = tmpfile());
	cr_assert_not_null(fp = open_memstream(&file, &len));
	cr_assert_eq(writer_render(v, 3, &o, fp, &cause), 0, "%s", cause);
	cr_assert_eq(fclose(fp), 0);
	fclose(o.spool);
	cr_assert_str_eq(file, mem);
	cr_assert_eq(w2.n, w1.n);
	cr_assert_str_eq(w2.last, w1.last);

	o.spool = NULL;
	o.warn_arg = &w3;
	cr_assert_eq(writer_render(v, 3, &o, NULL, &cause), 0, "%s", cause);
	cr_assert_eq(w3.n, 1);
	cr_assert_eq(w3.n, w1.n);
	cr_assert_str_eq(w3.last, w1.last);

	/* VTIMEZONE before the first VEVENT, one END at the very end. */
	cr_assert(strstr(mem, "BEGIN:VTIMEZONE") < strstr(mem,
	    "BEGIN:VEVENT"));
	cr_assert_eq(strstr(mem, "END:VCALENDAR"), mem + strlen(mem) -
	    strlen("END:VCALENDAR\r\n"));
	cal = tu_ics_parse(mem, "the output");
	cr_assert_eq(nevents(cal), 4, "%s", mem);
	icalcomponent_free(cal);
	free(mem);
	free(file);
	appt_free(v[0]);
	appt_free(v[1]);
	appt_free(v[2]);
}

/* A spool that cannot be written is an I/O error, not a short file. */
Test(writer, spool_write_error_is_ioerr)
{
	struct appt		*a;
	struct writer_opts	 o;
	char			*out = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*fp;

	a = mk("Lunch", tu_ft(2024, 3, 5, 12, 0), tu_ft(2024, 3, 5, 13, 0));
	memset(&o, 0, sizeof o);
	cr_assert_not_null(o.spool = fopen("/dev/full", "w+"));
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(&a, 1, &o, fp, &cause), WRITER_IOERR);
	cr_assert(strstr(cause, "scratch file: No space left on device") !=
	    NULL, "%s", cause);
	fclose(fp);
	fclose(o.spool);
	free(cause);
	free(out);
	appt_free(a);
}

/* Attachment bytes waiting in the reader's spool come out exactly as
 * bytes kept in memory; a spool that lost them is an I/O error. */
Test(writer, spooled_attachment_same_as_in_memory)
{
	static const char	 pad[] = "earlier attachments";
	struct appt		*a;
	struct appt_attach	*at;
	struct writer_opts	 o;
	struct warns		 w = { 0 };
	uint8_t			 bytes[3000];
	char			*mem, *out = NULL, *cause = NULL;
	size_t			 len = 0, i;
	FILE			*fp, *spool;

	for (i = 0; i < sizeof bytes; i++)
		bytes[i] = (uint8_t)(i * 31 + 7);
	a = mk("Review", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "scan.bin", "image/tiff", bytes, sizeof bytes, 0);
	mem = render(&a, 1, &w);

	/* Move the bytes into a spool, after some other data. */
	cr_assert_not_null(spool = tmpfile());
	cr_assert_eq(fwrite(pad, 1, sizeof pad, spool), sizeof pad);
	cr_assert_eq(fwrite(bytes, 1, sizeof bytes, spool), sizeof bytes);
	cr_assert_eq(fflush(spool), 0);
	at = &a->attachs[0];
	free(at->data.data);
	at->data.data = NULL;
	at->spooled = 1;
	at->spool_off = sizeof pad;

	memset(&o, 0, sizeof o);
	o.calname = "Calendar";
	o.content = spool;
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(&a, 1, &o, fp, &cause), 0, "%s", cause);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_str_eq(out, mem);
	cr_assert(has(out, "X-FILENAME=scan.bin"));
	free(out);
	out = NULL;

	/* The spool ends 10 bytes short of the attachment. */
	cr_assert_eq(ftruncate(fileno(spool), (off_t)(sizeof pad +
	    sizeof bytes - 10)), 0);
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(&a, 1, &o, fp, &cause), WRITER_IOERR);
	cr_assert_str_eq(cause, "cannot read back the scratch file: it is "
	    "shorter than written");
	free(cause);
	fclose(fp);
	free(out);
	fclose(spool);
	free(mem);
	appt_free(a);
}

/* Bodies of a series and of its exception, spooled by the reader, come
 * out as if they had stayed in memory, and leave memory again after. */
Test(writer, spooled_bodies_same_as_in_memory)
{
	struct appt		*v[2];
	struct writer_opts	 o;
	struct warns		 w = { 0 };
	char			*mem, *out = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*fp, *spool;

	v[0] = weekly_series();
	v[0]->body = xstrdup("Daily standup.\r\nDial-in: 555-0100");
	v[0]->html = xstrdup("<p>Daily standup.</p>");
	v[1] = mk("Lunch", tu_ft(2024, 3, 5, 12, 0), tu_ft(2024, 3, 5, 13, 0));
	v[1]->body = xstrdup("Soup");
	attach(v[1], "menu.txt", "text/plain", "soup, bread", 11, 0);
	mem = render(v, 2, &w);
	cr_assert(has(mem, "Moved because of the offsite"));
	cr_assert(has(mem, "Dial-in: 555-0100"));

	cr_assert_not_null(spool = tmpfile());
	cr_assert_eq(appt_spool(v[0], spool, &cause), 0, "%s", cause);
	cr_assert_eq(appt_spool(v[1], spool, &cause), 0, "%s", cause);
	cr_assert_null(v[0]->body);
	memset(&o, 0, sizeof o);
	o.calname = "Calendar";
	o.content = spool;
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(v, 2, &o, fp, &cause), 0, "%s", cause);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_str_eq(out, mem);
	cr_assert_null(v[0]->body);
	cr_assert_null(v[1]->attachs[0].data.data);
	fclose(spool);
	free(out);
	free(mem);
	appt_free(v[0]);
	appt_free(v[1]);
}
