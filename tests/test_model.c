/* test_model.c: the model's lifetimes and its time and text helpers. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xmalloc.h"

Test(model, new_item_has_everything_absent)
{
	struct appt *a = appt_new();

	cr_assert_eq(a->start, APPT_NOTIME);
	cr_assert_eq(a->end, APPT_NOTIME);
	cr_assert_eq(a->busy, APPT_ABSENT);
	cr_assert_eq(a->all_day, APPT_ABSENT);
	cr_assert_null(a->subject);
	cr_assert_null(a->goid.data);
	appt_free(a);
	appt_free(NULL);
}

Test(model, list_owns_items)
{
	struct appt_list l;
	size_t i;

	appt_list_init(&l);
	for (i = 0; i < 1000; i++) {
		struct appt *a = appt_new();

		a->subject = xstrdup("x");
		a->nexcs = 1;
		a->excs = xcalloc(1, sizeof *a->excs);
		a->excs[0].item = appt_new();
		a->excs[0].item->body = xstrdup("exception body");
		appt_list_push(&l, a);
	}
	cr_assert_eq(l.n, 1000);
	cr_assert_str_eq(l.v[999]->subject, "x");
	appt_list_free(&l);
	cr_assert_eq(l.n, 0);
	cr_assert_null(l.v);
}

Test(model, blobs_compare_by_content)
{
	struct appt_blob a = { 0 }, b = { 0 };

	cr_assert(appt_blob_eq(&a, &b));
	appt_blob_set(&a, "\x04\x00\x00", 3);
	cr_assert_not(appt_blob_eq(&a, &b));
	appt_blob_set(&b, "\x04\x00\x00", 3);
	cr_assert(appt_blob_eq(&a, &b));
	appt_blob_set(&b, "\x04\x00\x01", 3);
	cr_assert_not(appt_blob_eq(&a, &b));
	appt_blob_clear(&a);
	appt_blob_clear(&b);
}

Test(model, filetime_conversions)
{
	/* 2016-08-23T15:00:00Z */
	int64_t ft = 131164380000000000LL;

	cr_assert_eq(appt_ft_to_unix(ft), 1471964400);
	cr_assert_eq(appt_unix_to_ft(1471964400), ft);
	cr_assert_eq(appt_ft_to_unix(APPT_FT_UNIX_EPOCH), 0);
	/* Sub-second parts floor, also before 1970. */
	cr_assert_eq(appt_ft_to_unix(ft + 9999999), 1471964400);
	cr_assert_eq(appt_ft_to_unix(APPT_FT_UNIX_EPOCH - 1), -1);
}

Test(model, text_clean_keeps_good_utf8_and_drops_controls)
{
	char *s = appt_text_clean(xstrdup("Caf\xc3\xa9 "
	    "\xf0\x9f\x8e\x89\tok\x01\x7f\r\n"));

	cr_assert_str_eq(s, "Caf\xc3\xa9 \xf0\x9f\x8e\x89\tok\r\n");
	free(s);
}

Test(model, text_clean_replaces_invalid_sequences)
{
	/* A stray continuation byte, a truncated sequence, an overlong
	 * slash and a UTF-8-encoded surrogate all become U+FFFD. */
	char *s = appt_text_clean(xstrdup("a\x80" "b\xe2\x82" "c\xc0\xaf"
	    "d\xed\xa0\x80"));

	cr_assert_str_eq(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd"
	    "c\xef\xbf\xbd\xef\xbf\xbd"
	    "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

Test(model, utf16_surrogate_pairs_and_lone_surrogates)
{
	/* "A", U+1F389 as a pair, a lone high surrogate, "B", a control. */
	const uint8_t in[] = { 'A', 0, 0x3C, 0xD8, 0x89, 0xDF, 0x3C, 0xD8,
	    'B', 0, 0x01, 0 };
	char *s = appt_utf16le_to_utf8(in, sizeof in);

	cr_assert_str_eq(s, "A\xf0\x9f\x8e\x89\xef\xbf\xbd" "B");
	free(s);
	/* An odd trailing byte is ignored; a NUL ends the text. */
	s = appt_utf16le_to_utf8((const uint8_t *)"h\0i\0\0\0x\0y", 9);
	cr_assert_str_eq(s, "hi");
	free(s);
}

/* Every unit next to the printable range, at every position of runs
 * around the four-unit fast path's width. */
Test(model, utf16_ascii_edges_at_every_position)
{
	static const struct {
		uint16_t	 u;
		const char	*utf8;		/* what it becomes */
	} edge[] = {
		{ 0x1F, "" }, { 0x20, " " }, { 0x7E, "~" }, { 0x7F, "" },
		{ 0x80, "" }, { 0x9F, "" }, { 0xA0, "\xc2\xa0" },
		{ 0x120, "\xc4\xa0" }, { 0x2020, "\xe2\x80\xa0" },
		{ 0x09, "\t" }, { 0x0A, "\n" }, { 0x0D, "\r" },
		{ 0x7E20, "\xe7\xb8\xa0" }, { 0x00, NULL },
	};
	uint8_t	 in[2 * 12];
	char	 want[64], *s;
	size_t	 e, n, j, k, w;

	for (e = 0; e < sizeof edge / sizeof edge[0]; e++)
		for (n = 1; n <= 12; n++)
			for (j = 0; j < n; j++) {
				w = 0;
				for (k = 0; k < n; k++) {
					if (k == j) {
						in[2 * k] = edge[e].u & 0xFF;
						in[2 * k + 1] = edge[e].u >> 8;
						if (edge[e].utf8 == NULL) {
							k++;	/* NUL ends */
							break;
						}
						memcpy(want + w, edge[e].utf8,
						    strlen(edge[e].utf8));
						w += strlen(edge[e].utf8);
						continue;
					}
					in[2 * k] = (uint8_t)('a' + k);
					in[2 * k + 1] = 0;
					want[w++] = (char)in[2 * k];
				}
				want[w] = '\0';
				for (; k < n; k++) {
					in[2 * k] = 'z';
					in[2 * k + 1] = 0;
				}
				s = appt_utf16le_to_utf8(in, 2 * n);
				cr_assert_str_eq(s, want,
				    "unit %04x at %zu of %zu", edge[e].u, j,
				    n);
				free(s);
			}
}

Test(model, utf8_next_and_put_round_trip)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\x89", *p = s;
	const uint32_t want[] = { 'a', 0xE9, 0x20AC, 0x1F389 };
	char buf[4];
	size_t i;

	for (i = 0; i < 4; i++) {
		uint32_t cp = appt_utf8_next(&p);

		cr_assert_eq(cp, want[i], "%zu: %x", i, cp);
		cr_assert_eq(appt_utf8_put(cp, buf), i + 1);
	}
	cr_assert_eq(*p, '\0');
	/* Overlong, truncated at the NUL, stray continuation: U+FFFD and
	 * one byte each, never past the end. */
	p = "\xc0\xaf";
	cr_assert_eq(appt_utf8_next(&p), 0xFFFD);
	cr_assert_eq(appt_utf8_next(&p), 0xFFFD);
	cr_assert_eq(*p, '\0');
	p = "\xe2\x82";
	cr_assert_eq(appt_utf8_next(&p), 0xFFFD);
	cr_assert_eq(*p, '\x82');
}

Test(model, cp1252_both_ways)
{
	cr_assert_eq(appt_cp1252_to_cp(0x80), 0x20AC);
	cr_assert_eq(appt_cp1252_to_cp(0x9F), 0x0178);
	cr_assert_eq(appt_cp1252_to_cp(0x81), 0xFFFD);
	cr_assert_eq(appt_cp1252_to_cp(0xE9), 0xE9);
	cr_assert_eq(appt_cp1252_from_cp(0x20AC), 0x80);
	cr_assert_eq(appt_cp1252_from_cp(0xE9), 0xE9);
	cr_assert_eq(appt_cp1252_from_cp(0x0416), -1);	/* Cyrillic Zhe */
	cr_assert_eq(appt_cp1252_from_cp(0xFFFD), -1);
}

Test(model, utf16le_encoding)
{
	uint8_t out[16];
	size_t n = appt_utf8_to_utf16le("A\xf0\x9f\x8e\x89", NULL);

	cr_assert_eq(n, 3);
	cr_assert_eq(appt_utf8_to_utf16le("A\xf0\x9f\x8e\x89", out), 3);
	cr_assert_eq(memcmp(out, "A\0\x3c\xd8\x89\xdf", 6), 0);
}

static void
add_attach(struct appt *a, const void *p, size_t len)
{
	a->attachs = xreallocarray(a->attachs, a->nattach + 1,
	    sizeof *a->attachs);
	memset(&a->attachs[a->nattach], 0, sizeof *a->attachs);
	appt_blob_set(&a->attachs[a->nattach++].data, p, len);
}

/* Content leaves memory and comes back byte for byte, exceptions too;
 * an empty body stays "present but empty". */
Test(model, content_spool_round_trip)
{
	static const uint8_t	 rtf[] = { 0x51, 0, 0, 0, 0, 0x7B, 0x5C };
	struct appt		*a, *x;
	char			*cause = NULL;
	int			 round;
	FILE			*fp;

	a = appt_new();
	a->body = xstrdup("Agenda:\r\n1. \xC3\xA9t\xC3\xA9");
	a->html = xstrdup("<p>Agenda</p>");
	appt_blob_set(&a->rtf, rtf, sizeof rtf);
	add_attach(a, "\0\1\2\3", 4);
	add_attach(a, "", 0);
	a->excs = xcalloc(1, sizeof *a->excs);
	a->nexcs = 1;
	a->excs[0].item = x = appt_new();
	x->body = xstrdup("");
	add_attach(x, "moved", 5);
	cr_assert(appt_has_body(a));
	cr_assert(!appt_has_body(x));

	cr_assert_not_null(fp = tmpfile());
	fputs("bytes before", fp);
	cr_assert_eq(appt_spool(a, fp, &cause), 0, "%s", cause);
	cr_assert(a->spooled && x->spooled);
	cr_assert_null(a->body);
	cr_assert_null(a->html);
	cr_assert_null(a->rtf.data);
	cr_assert_null(a->attachs[0].data.data);
	cr_assert_eq(a->attachs[0].data.len, 4);
	cr_assert_null(x->body);
	cr_assert_null(x->attachs[0].data.data);
	cr_assert(appt_has_body(a));
	cr_assert(!appt_has_body(x));

	for (round = 0; round < 2; round++) {
		cr_assert_eq(appt_unspool(a, fp, &cause), 0, "%s", cause);
		cr_assert_str_eq(a->body, "Agenda:\r\n1. \xC3\xA9t\xC3\xA9");
		cr_assert_str_eq(a->html, "<p>Agenda</p>");
		cr_assert_eq(a->rtf.len, sizeof rtf);
		cr_assert_eq(memcmp(a->rtf.data, rtf, sizeof rtf), 0);
		cr_assert_eq(memcmp(a->attachs[0].data.data, "\0\1\2\3", 4),
		    0);
		cr_assert_not_null(a->attachs[1].data.data);
		cr_assert_eq(a->attachs[1].data.len, 0);
		cr_assert_str_eq(x->body, "");
		cr_assert_eq(memcmp(x->attachs[0].data.data, "moved", 5), 0);
		appt_respool(a);
		cr_assert_null(a->body);
		cr_assert_null(x->attachs[0].data.data);
	}
	fclose(fp);
	appt_free(a);
}

/* A spool that cannot take the bytes says so when they are needed. */
Test(model, content_spool_full_disk)
{
	struct appt	*a;
	char		*cause = NULL;
	FILE		*fp;

	a = appt_new();
	a->body = xstrdup("minutes");
	cr_assert_not_null(fp = fopen("/dev/full", "w+"));
	cr_assert_eq(appt_spool(a, fp, &cause), 0, "%s", cause);
	cr_assert_eq(appt_unspool(a, fp, &cause), -1);
	cr_assert_str_eq(cause, "cannot write the scratch file: No space "
	    "left on device");
	cr_assert_null(a->body);
	free(cause);
	fclose(fp);
	appt_free(a);
}

/* The slow, obvious cleaner: decode everything, drop what must go. */
static char *
clean_reference(const char *s)
{
	char	*out = xmalloc(strlen(s) * 3 + 1);
	size_t	 o = 0;
	uint32_t cp;

	while (*s != '\0') {
		cp = appt_utf8_next(&s);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			continue;
		o += appt_utf8_put(cp, out + o);
	}
	out[o] = '\0';
	return out;
}

/* The fast paths (clean text returned as is, ASCII runs copied) give
 * what decoding every character gives, on random hostile bytes. */
Test(model, text_clean_matches_reference)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\t", "\r\n", "\x01", "\x7F", "\xC3\xA9",
		"\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xC2\x85", "\xC3", "\x80",
		"\xED\xA0\x80", "\xC0\xAF", "\xEF\xBF\xBD", "\xF4\x90\x80\x80",
		"\xE2\x82", "\xFF"
	};
	uint32_t	 x = 2463534242u;
	char		 buf[256], *in, *got, *want;
	size_t		 len, k, npieces = sizeof pieces / sizeof pieces[0];
	int		 round, j;

	in = xstrdup("plain\ttext\r\n");
	cr_assert_eq(appt_text_clean(in), in);
	free(in);
	for (round = 0; round < 20000; round++) {
		len = 0;
		for (j = (int)(x % 24); j > 0; j--) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			k = x % (npieces + 6);
			/* Mostly ASCII, as real text is. */
			if (k >= npieces)
				k = 0;
			memcpy(buf + len, pieces[k], strlen(pieces[k]));
			len += strlen(pieces[k]);
		}
		buf[len] = '\0';
		want = clean_reference(buf);
		got = appt_text_clean(xstrdup(buf));
		cr_assert_str_eq(got, want, "round %d", round);
		free(got);
		free(want);
		x ^= (uint32_t)round * 2654435761u;
	}
}
