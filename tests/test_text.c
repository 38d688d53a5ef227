/* test_text.c: UTF-8, UTF-16LE and Windows-1252 conversions and
 * cleaning (text.h). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmalloc.h"

Test(text, text_clean_keeps_good_utf8_and_drops_controls)
{
	char *s = text_clean(xstrdup("Caf\xc3\xa9 "
	    "\xf0\x9f\x8e\x89\tok\x01\x7f\r\n"));

	cr_assert_str_eq(s, "Caf\xc3\xa9 \xf0\x9f\x8e\x89\tok\r\n");
	free(s);
}

Test(text, text_clean_replaces_invalid_sequences)
{
	/* A stray continuation byte, a truncated sequence, an overlong
	 * slash and a UTF-8-encoded surrogate all become U+FFFD. */
	char *s = text_clean(xstrdup("a\x80" "b\xe2\x82" "c\xc0\xaf"
	    "d\xed\xa0\x80"));

	cr_assert_str_eq(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd"
	    "c\xef\xbf\xbd\xef\xbf\xbd"
	    "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

Test(text, utf16_surrogate_pairs_and_lone_surrogates)
{
	/* "A", U+1F389 as a pair, a lone high surrogate, "B", a control. */
	const uint8_t in[] = { 'A', 0, 0x3C, 0xD8, 0x89, 0xDF, 0x3C, 0xD8,
	    'B', 0, 0x01, 0 };
	char *s = text_utf16le_to_utf8(in, sizeof in);

	cr_assert_str_eq(s, "A\xf0\x9f\x8e\x89\xef\xbf\xbd" "B");
	free(s);
	/* An odd trailing byte is ignored; a NUL ends the text. */
	s = text_utf16le_to_utf8((const uint8_t *)"h\0i\0\0\0x\0y", 9);
	cr_assert_str_eq(s, "hi");
	free(s);
}

/* Every unit next to the printable range, at every position of runs
 * around the four-unit fast path's width. */
Test(text, utf16_ascii_edges_at_every_position)
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
				s = text_utf16le_to_utf8(in, 2 * n);
				cr_assert_str_eq(s, want,
				    "unit %04x at %zu of %zu", edge[e].u, j,
				    n);
				free(s);
			}
}

Test(text, utf8_next_and_put_round_trip)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\x89", *p = s;
	const uint32_t want[] = { 'a', 0xE9, 0x20AC, 0x1F389 };
	char buf[4];
	size_t i;

	for (i = 0; i < 4; i++) {
		uint32_t cp = text_utf8_next(&p);

		cr_assert_eq(cp, want[i], "%zu: %x", i, cp);
		cr_assert_eq(text_utf8_put(cp, buf), i + 1);
	}
	cr_assert_eq(*p, '\0');
	/* Overlong, truncated at the NUL, stray continuation: U+FFFD and
	 * one byte each, never past the end. */
	p = "\xc0\xaf";
	cr_assert_eq(text_utf8_next(&p), 0xFFFD);
	cr_assert_eq(text_utf8_next(&p), 0xFFFD);
	cr_assert_eq(*p, '\0');
	p = "\xe2\x82";
	cr_assert_eq(text_utf8_next(&p), 0xFFFD);
	cr_assert_eq(*p, '\x82');
}

Test(text, cp1252_both_ways)
{
	cr_assert_eq(text_cp1252_to_cp(0x80), 0x20AC);
	cr_assert_eq(text_cp1252_to_cp(0x9F), 0x0178);
	cr_assert_eq(text_cp1252_to_cp(0x81), 0xFFFD);
	cr_assert_eq(text_cp1252_to_cp(0xE9), 0xE9);
	cr_assert_eq(text_cp1252_from_cp(0x20AC), 0x80);
	cr_assert_eq(text_cp1252_from_cp(0xE9), 0xE9);
	cr_assert_eq(text_cp1252_from_cp(0x0416), -1);	/* Cyrillic Zhe */
	cr_assert_eq(text_cp1252_from_cp(0xFFFD), -1);
}

Test(text, utf16le_encoding)
{
	uint8_t out[16];
	size_t n = text_utf8_to_utf16le("A\xf0\x9f\x8e\x89", NULL);

	cr_assert_eq(n, 3);
	cr_assert_eq(text_utf8_to_utf16le("A\xf0\x9f\x8e\x89", out), 3);
	cr_assert_eq(memcmp(out, "A\0\x3c\xd8\x89\xdf", 6), 0);
}

/* The slow, obvious cleaner: decode everything, drop what must go. */
static char *
clean_reference(const char *s)
{
	char	*out = xmalloc(strlen(s) * 3 + 1);
	size_t	 o = 0;
	uint32_t cp;

	while (*s != '\0') {
		cp = text_utf8_next(&s);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			continue;
		o += text_utf8_put(cp, out + o);
	}
	out[o] = '\0';
	return out;
}

/* The fast paths (clean text returned as is, ASCII runs copied) give
 * what decoding every character gives, on random hostile bytes. */
Test(text, text_clean_matches_reference)
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
	cr_assert_eq(text_clean(in), in);
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
		got = text_clean(xstrdup(buf));
		cr_assert_str_eq(got, want, "round %d", round);
		free(got);
		free(want);
		x ^= (uint32_t)round * 2654435761u;
	}
}

/* The validator and decoder the readers and the JSON report share. */
Test(text, utf8_decode_and_valid)
{
	static const struct {
		const char	*s;
		size_t		 len;	/* of the first sequence, 0: bad */
	} cases[] = {
		{ "a", 1 }, { "\xc3\xa9", 2 }, { "\xe2\x82\xac", 3 },
		{ "\xf0\x9f\x8e\x89", 4 }, { "\xc0\xaf", 0 }, { "\xc1\xbf", 0 },
		{ "\xe0\x80\x80", 0 }, { "\xed\xa0\x80", 0 },
		{ "\xf4\x90\x80\x80", 0 }, { "\xf5\x80\x80\x80", 0 },
		{ "\xe2\x82", 0 }, { "\x80", 0 }, { "\xff", 0 },
	};
	uint32_t	cp;
	size_t		i, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = strlen(cases[i].s);
		cr_assert_eq(text_utf8_decode((const unsigned char *)
		    cases[i].s, n, &cp), cases[i].len, "case %zu", i);
		cr_assert_eq(text_utf8_valid(cases[i].s, n),
		    cases[i].len != 0, "case %zu", i);
	}
	cr_assert_eq(text_utf8_decode((const unsigned char *)"\xe2\x82\xac",
	    3, &cp), 3);
	cr_assert_eq(cp, 0x20AC);
	/* A sequence cut by the length given is invalid. */
	cr_assert_eq(text_utf8_decode((const unsigned char *)"\xe2\x82\xac",
	    2, &cp), 0);
	cr_assert(text_utf8_valid("a\0b", 3));
	cr_assert(text_utf8_valid("", 0));
}
