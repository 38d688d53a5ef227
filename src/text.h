/*
 * text.h: Unicode text as the program keeps it (UTF-8), from and to
 * what files hold (UTF-16LE, Windows-1252), and cleaning of untrusted
 * text. Used by the readers, the PST library (src/pst/), the writer and
 * the fixture tool alike: one copy of each conversion.
 *
 * Nothing here fails: a bad sequence becomes U+FFFD. A function that
 * returns char * returns an allocation the caller owns (xmalloc.h: out
 * of memory ends the program).
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Sanitize untrusted text in place: invalid UTF-8 sequences and lone
 * surrogates become U+FFFD, C0 controls other than TAB/CR/LF, DEL and
 * the C1 range are dropped. Returns its argument, reallocated as
 * needed (owned). */
char		*text_clean(char *);

/* Decode UTF-16LE (len bytes) to clean UTF-8, as text_clean() leaves
 * it; a stored NUL ends the text. */
char		*text_utf16le_to_utf8(const uint8_t *, size_t);

/* UTF-8 -> UTF-16LE code units in out (2 bytes each; NULL only
 * counts); returns the number of units. Bad sequences become U+FFFD. */
size_t		 text_utf8_to_utf16le(const char *, uint8_t *);

/* Decode one UTF-8 sequence at s (n > 0 bytes left): its length, with
 * *cp set, or 0 for an invalid, truncated, overlong or surrogate
 * sequence (RFC 3629). A byte below 0x80, NUL too, is itself. */
size_t		 text_utf8_decode(const unsigned char *, size_t, uint32_t *);

/* Whether len bytes are all valid UTF-8 (text_utf8_decode). */
int		 text_utf8_valid(const void *, size_t);

/* One code point as UTF-8 into out (room for 4 bytes); its length. */
size_t		 text_utf8_put(uint32_t, char *);

/* The next code point of NUL-terminated UTF-8 at *sp (not at the NUL),
 * advancing *sp. An invalid, overlong or surrogate sequence gives U+FFFD
 * and advances one byte; never reads past the NUL. */
uint32_t	 text_utf8_next(const char **);

/* Windows-1252: byte -> code point (U+FFFD for the undefined bytes),
 * and code point -> byte (-1 when it has none). */
uint32_t	 text_cp1252_to_cp(uint8_t);
int		 text_cp1252_from_cp(uint32_t);

/* Bytes as upper-case hex digits, 2n characters. */
char		*text_hex(const uint8_t *, size_t);

#endif
