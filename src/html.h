/* html.h: the plain text of an HTML body, through libxml2's HTML parser.
 *
 * For a DESCRIPTION when an item has only an HTML body (or RTF that
 * encapsulates HTML). Block elements (p, div, li, tr, headings, br...)
 * become line breaks, table cells are separated by a tab, scripts,
 * styles, the head and comments are dropped, entities are decoded and
 * runs of white space outside pre are collapsed as a browser does.
 *
 * The input is UTF-8 (model.h); a charset named inside the document is
 * ignored. Untrusted input: libxml2 recovers from any markup; the walk
 * is iterative, so nesting depth costs no stack.
 * Errors: 0, or -1 with *cause allocated when libxml2 builds no document
 * at all. Ownership: *text (clean UTF-8, possibly "") is the caller's.
 */
#ifndef HTML_H
#define HTML_H

#include <stddef.h>

int	html_to_text(const char *, size_t, char **, char **);

#endif
