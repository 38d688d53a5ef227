/* test_html.c: HTML bodies to plain text (html.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xmalloc.h"

/* The text of s; the test fails when html_to_text does. */
static char *
text_of(const char *s)
{
	char	*t = NULL, *cause = NULL;

	cr_assert_eq(html_to_text(s, strlen(s), &t, &cause), 0, "%s",
	    cause != NULL ? cause : "");
	cr_assert_not_null(t);
	return t;
}

static void
expect(const char *html, const char *want)
{
	char	*t = text_of(html);

	cr_expect_str_eq(t, want, "for %s", html);
	free(t);
}

Test(html, blocks_become_lines)
{
	expect("<html><body><p>one</p><p>two</p><div>three</div></body>"
	    "</html>", "one\ntwo\nthree");
	expect("<p>a<br>b<br><br>c</p>", "a\nb\n\nc");
	expect("<ul><li>x</li><li>y</li></ul><h1>T</h1>after",
	    "x\ny\nT\nafter");
}

Test(html, white_space_collapses_outside_pre)
{
	expect("<p>  many \t\r\n  spaces  here </p>", "many spaces here");
	expect("<pre>keep  this\n  indent</pre>", "keep  this\n  indent");
	expect("a<b>b</b> <i>c</i>d", "ab cd");
}

Test(html, scripts_styles_head_and_comments_dropped)
{
	expect("<html><head><title>Title</title><style>p{color:red}</style>"
	    "<script>var x = 1;</script></head><body><!-- note -->"
	    "<p>Body</p><script>alert(2)</script></body></html>", "Body");
	/* Outlook's conditional comments and Office namespaces. */
	expect("<p class=MsoNormal>Hi<o:p></o:p></p><!--[if gte mso 9]><xml>"
	    "<o:shapedefaults/></xml><![endif]--><p>There</p>", "Hi\nThere");
}

Test(html, entities_decoded)
{
	expect("<p>Caf&eacute; &amp; &lt;bar&gt; &#8364;5 &#x263A;</p>",
	    "Caf\xc3\xa9 & <bar> \xe2\x82\xac" "5 \xe2\x98\xba");
	/* A no-break space is a space, and is not collapsed away. */
	expect("<p>a&nbsp;&nbsp;b</p>", "a  b");
}

Test(html, table_cells_tab_separated)
{
	expect("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td>"
	    "</tr></table>", "a\tb\nc\td");
}

Test(html, input_is_utf8_whatever_the_document_says)
{
	expect("<html><head><meta http-equiv=\"Content-Type\" "
	    "content=\"text/html; charset=windows-1252\"></head><body>"
	    "<p>\xc3\x9c" "ber</p></body></html>", "\xc3\x9c" "ber");
}

Test(html, hostile_markup)
{
	char	*s, *t;
	size_t	 i, n = 100000;

	/* Unclosed, misnested and nested tags parse and come out. */
	expect("<p><b>bold<i>both</b>italic</p><div><div>x",
	    "boldbothitalic\nx");
	s = xmalloc(n * 5 + 16);
	for (i = 0; i < 200; i++)
		memcpy(s + i * 5, "<div>", 5);
	strcpy(s + 200 * 5, "deep");
	t = text_of(s);
	cr_expect_str_eq(t, "deep");
	free(t);
	/* Beyond libxml2's depth limit the text may go, but nothing
	 * breaks: the walk has no recursion. */
	for (i = 0; i < n; i++)
		memcpy(s + i * 5, "<div>", 5);
	strcpy(s + n * 5, "deep");
	t = text_of(s);
	cr_expect(strcmp(t, "deep") == 0 || *t == '\0', "%s", t);
	free(t);
	free(s);
	/* Nothing to say: empty text, not an error. */
	expect("", "");
	expect(" \r\n ", "");
	expect("no markup at all", "no markup at all");
	expect("<img src=x.png>", "");
	/* Control characters never reach the calendar. */
	expect("<p>a\x01" "b</p>", "ab");
}
