/* test_rtf.c: LZFu decompression/compression and RTF to HTML/text. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtf.h"

/* MS-OXRTFCP section 3.1.1, example 1: no dictionary references. */
static const uint8_t spec_ex1[] = {
	0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75,
	0xf1, 0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67,
	0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09,
	0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
	0xa0
};
static const char spec_ex1_raw[] =
    "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

/* Example 2: a reference that overlaps the bytes it produces. */
static const uint8_t spec_ex2[] = {
	0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75,
	0xe2, 0xd4, 0x4b, 0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a,
	0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0
};
static const char spec_ex2_raw[] = "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}";

static void
assert_decompress(const uint8_t *in, size_t len, const char *want)
{
	char *out = NULL, *cause = NULL;
	size_t outlen = 0;

	cr_assert_eq(rtf_decompress(in, len, &out, &outlen, &cause), 0, "%s",
	    cause ? cause : "");
	cr_assert_eq(outlen, strlen(want));
	cr_assert_str_eq(out, want);
	free(out);
}

static void
assert_roundtrip(const char *raw, size_t len)
{
	uint8_t *z;
	size_t zlen, outlen;
	char *out, *cause = NULL;
	uint32_t compsize;

	cr_assert_eq(rtf_compress(raw, len, &z, &zlen, &cause), 0);
	cr_assert_geq(zlen, 16);
	compsize = (uint32_t)z[0] | (uint32_t)z[1] << 8 |
	    (uint32_t)z[2] << 16 | (uint32_t)z[3] << 24;
	cr_assert_eq(compsize, zlen - 4);
	cr_assert_eq(memcmp(z + 8, "LZFu", 4), 0);
	cr_assert_eq(rtf_decompress(z, zlen, &out, &outlen, &cause), 0, "%s",
	    cause ? cause : "");
	cr_assert_eq(outlen, len);
	cr_assert_eq(memcmp(out, raw, len), 0);
	free(out);
	free(z);
}

Test(rtf, spec_examples)
{
	assert_decompress(spec_ex1, sizeof spec_ex1, spec_ex1_raw);
	assert_decompress(spec_ex2, sizeof spec_ex2, spec_ex2_raw);
}

Test(rtf, crc_mismatch_refused)
{
	uint8_t buf[sizeof spec_ex1];
	char *out = NULL, *cause = NULL;
	size_t outlen;

	memcpy(buf, spec_ex1, sizeof buf);
	buf[20] ^= 0x01;	/* one bit of data */
	cr_assert_eq(rtf_decompress(buf, sizeof buf, &out, &outlen, &cause),
	    -1);
	cr_assert_not_null(cause);
	cr_assert_null(out);
	free(cause);
}

Test(rtf, uncompressed_mela)
{
	uint8_t buf[16 + 5] = {
		0x11, 0, 0, 0, 0x05, 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0,
		'{', '\\', 'r', 't', '}'
	};
	char *out, *cause = NULL;
	size_t outlen;

	cr_assert_eq(rtf_decompress(buf, sizeof buf, &out, &outlen, &cause),
	    0);
	cr_assert_eq(outlen, 5);
	cr_assert_str_eq(out, "{\\rt}");
	free(out);
	/* Raw size larger than the data. */
	buf[4] = 6;
	cr_assert_eq(rtf_decompress(buf, sizeof buf, &out, &outlen, &cause),
	    -1);
	free(cause);
}

Test(rtf, bad_headers)
{
	uint8_t buf[sizeof spec_ex1];
	char *out, *cause;
	size_t outlen, n;

	/* Every truncation fails: COMPSIZE no longer fits. */
	for (n = 0; n < sizeof spec_ex1; n++) {
		cause = NULL;
		cr_assert_eq(rtf_decompress(spec_ex1, n, &out, &outlen,
		    &cause), -1, "prefix %zu accepted", n);
		cr_assert_not_null(cause);
		free(cause);
	}
	/* An absurd raw size is refused before anything is allocated. */
	memcpy(buf, spec_ex1, sizeof buf);
	memset(buf + 4, 0xff, 4);
	cause = NULL;
	cr_assert_eq(rtf_decompress(buf, sizeof buf, &out, &outlen, &cause),
	    -1);
	free(cause);
	/* Unknown compression type. */
	memcpy(buf, spec_ex1, sizeof buf);
	buf[8] = 'X';
	cause = NULL;
	cr_assert_eq(rtf_decompress(buf, sizeof buf, &out, &outlen, &cause),
	    -1);
	free(cause);
}

Test(rtf, short_raw_size_stops_output)
{
	uint8_t buf[sizeof spec_ex1];
	char *out, *cause = NULL;
	size_t outlen;

	/* RAWSIZE smaller than the stream: output stops there. */
	memcpy(buf, spec_ex1, sizeof buf);
	buf[4] = 10;
	cr_assert_eq(rtf_decompress(buf, sizeof buf, &out, &outlen, &cause),
	    0);
	cr_assert_eq(outlen, 10);
	cr_assert_str_eq(out, "{\\rtf1\\ans");
	free(out);
}

Test(rtf, compress_roundtrips)
{
	char *big;
	size_t i;
	uint32_t x = 12345;

	assert_roundtrip("", 0);
	assert_roundtrip(spec_ex1_raw, strlen(spec_ex1_raw));
	assert_roundtrip(spec_ex2_raw, strlen(spec_ex2_raw));
	/* Longer than the dictionary, repetitive, and with NUL bytes. */
	big = malloc(20000);
	for (i = 0; i < 20000; i++)
		big[i] = "{\\rtf1 abc \\par def}\0"[i % 21];
	assert_roundtrip(big, 20000);
	/* Pseudo-random bytes: no matches to find. */
	for (i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		big[i] = (char)(x >> 16);
	}
	assert_roundtrip(big, 20000);
	free(big);
}

Test(rtf, compress_uses_references)
{
	uint8_t *z;
	size_t zlen;
	char *cause = NULL;
	static const char text[] = "{\\rtf1\\ansi\\ansicpg1252\\pard "
	    "hello hello hello hello hello hello hello hello}";

	cr_assert_eq(rtf_compress(text, strlen(text), &z, &zlen, &cause), 0);
	/* The dictionary prefix and the repeats shrink it well. */
	cr_assert_lt(zlen, 16 + strlen(text) / 2);
	free(z);
}

Test(rtf, html_deencapsulation)
{
	static const char rtf[] =
	    "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl"
	    "{\\f0\\fswiss Arial;}}{\\colortbl\\red0\\green0\\blue0;}\r\n"
	    "{\\*\\htmltag19 <html>}{\\*\\htmltag34 <head>}"
	    "{\\*\\htmltag41 </head>}{\\*\\htmltag50 <body>}"
	    "\\htmlrtf {\\htmlrtf0 {\\*\\htmltag64 <p>}\\htmlrtf "
	    "{\\htmlrtf0 Caf\\'e9 \\u8364? \\{x\\}{\\*\\htmltag84 &lt;}"
	    "\\htmlrtf <\\htmlrtf0 tag\\htmlrtf \\par\\htmlrtf0 "
	    "{\\*\\htmltag72 </p>}\\par}}"
	    "{\\*\\htmltag58 </body>}{\\*\\htmltag27 </html>}}";
	char *html = NULL;

	cr_assert_eq(rtf_to_html(rtf, strlen(rtf), &html), 1);
	cr_assert_str_eq(html, "<html><head></head><body><p>"
	    "Caf\xc3\xa9 \xe2\x82\xac {x}&lt;tag</p>\n</body></html>");
	free(html);
}

Test(rtf, html_tag_text_escapes)
{
	/* Newlines and tabs inside an htmltag group are HTML source. */
	static const char rtf[] =
	    "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag241 <style>\\par "
	    "p\\tab \\{ margin: 0 \\}\\par </style>}}";
	char *html = NULL;

	cr_assert_eq(rtf_to_html(rtf, strlen(rtf), &html), 1);
	cr_assert_str_eq(html, "<style>\np\t{ margin: 0 }\n</style>");
	free(html);
}

Test(rtf, html_absent)
{
	char *html = NULL;

	cr_assert_eq(rtf_to_html(spec_ex1_raw, strlen(spec_ex1_raw), &html),
	    0);
	cr_assert_null(html);
	/* \fromhtml0 is no HTML either. */
	cr_assert_eq(rtf_to_html("{\\rtf1\\fromhtml0 x}", 19, &html), 0);
}

Test(rtf, plain_text)
{
	static const char rtf[] =
	    "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}"
	    "{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator Riched20;}"
	    "{\\stylesheet{\\s0 Normal;}}\\viewkind4\\uc1\\pard\\f0\\fs20 "
	    "Hello\\par World\\tab !{\\*\\bkmkstart x}\\u8364?\\'e9\\line "
	    "{\\b bold}\\~end\\par \\uc2\\u-10180\\'3f\\'3f\\u-8311??}";
	char *text;

	text = rtf_to_text(rtf, strlen(rtf));
	cr_assert_str_eq(text, "Hello\nWorld\t!\xe2\x82\xac\xc3\xa9\nbold"
	    "\xc2\xa0" "end\n\xf0\x9f\x8e\x89");
	free(text);
}

Test(rtf, text_of_encapsulated_html)
{
	/* The text view reads the RTF side and skips the HTML tags. */
	static const char rtf[] =
	    "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}\\htmlrtf "
	    "{\\htmlrtf0 Meeting notes{\\*\\htmltag72 </p>}\\htmlrtf\\par}}";
	char *text;

	text = rtf_to_text(rtf, strlen(rtf));
	cr_assert_str_eq(text, "Meeting notes\n");
	free(text);
}

Test(rtf, hostile_input)
{
	char *s, *html;
	size_t i;
	static const char *const cases[] = {
		"", "}", "}}}{{{", "\\", "{\\", "{\\'", "{\\'4", "{\\'zz}",
		"{\\u", "{\\u-99999999999999999999}", "{\\bin99999 x}",
		"{\\*", "{\\*\\htmltag", "\\fromhtml1 {\\*\\htmltag1 \\",
		"{\\uc99999\\u65 abc}", "{\\wordthatislongerthanthirtytwolett"
		"ersinlength123 x}", NULL
	};

	for (i = 0; cases[i] != NULL; i++) {
		s = rtf_to_text(cases[i], strlen(cases[i]));
		cr_assert_not_null(s);
		free(s);
		html = NULL;
		if (rtf_to_html(cases[i], strlen(cases[i]), &html) == 1)
			free(html);
	}
	/* Nesting far deeper than the state stack. */
	s = malloc(30003);
	memset(s, '{', 15000);
	memcpy(s + 15000, "abc", 3);
	memset(s + 15003, '}', 15000);
	html = rtf_to_text(s, 30003);
	cr_assert_str_eq(html, "abc");
	free(html);
	free(s);
}
