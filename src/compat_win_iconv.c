/* compat_win_iconv.c: iconv on Windows (compat.h): a Windows codepage
 * (or UTF-8, ASCII) to UTF-8 through MultiByteToWideChar, the part of
 * the Windows layer (compat_win.c) that converts text. */
#include <windows.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "xmalloc.h"

/* iconv: from a Windows codepage (or UTF-8, ASCII) to UTF-8. */
struct compat_iconv {
	UINT	cp;
};

iconv_t
compat_iconv_open(const char *to, const char *from)
{
	iconv_t	cd;
	UINT	cp;

	if (strcmp(to, "UTF-8") != 0) {
		errno = EINVAL;
		return (iconv_t)-1;
	}
	if (strcmp(from, "UTF-8") == 0)
		cp = CP_UTF8;
	else if (strcmp(from, "ASCII") == 0)
		cp = 20127;
	else if (strncmp(from, "ISO-8859-", 9) == 0)
		cp = 28590 + (UINT)atoi(from + 9);
	else if (strncmp(from, "CP", 2) == 0)
		cp = (UINT)atoi(from + 2);
	else
		cp = 0;
	if (cp == 0 || !IsValidCodePage(cp)) {
		errno = EINVAL;
		return (iconv_t)-1;
	}
	cd = xcalloc(1, sizeof *cd);
	cd->cp = cp;
	return cd;
}

/* One character's bytes at p (of left), or 0 when incomplete. */
static size_t
compat_charlen(UINT cp, const unsigned char *p, size_t left)
{
	size_t	k;

	if (cp == CP_UTF8) {
		k = *p < 0xc0 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		return k <= left ? k : 0;
	}
	if (IsDBCSLeadByteEx(cp, *p))
		return left >= 2 ? 2 : 0;
	return 1;
}

size_t
compat_iconv(iconv_t cd, char **in, size_t *inleft, char **out,
    size_t *outleft)
{
	const unsigned char	*p;
	wchar_t			 w[4];
	char			 u[16];
	size_t			 k;
	int			 nw, nu;

	if (in == NULL || *in == NULL)
		return 0;
	while (*inleft > 0) {
		p = (const unsigned char *)*in;
		if (*p < 0x80) {
			/* ASCII is itself in every codepage we take. */
			if (*outleft < 1) {
				errno = E2BIG;
				return (size_t)-1;
			}
			*(*out)++ = (char)*p;
			(*outleft)--;
			(*in)++;
			(*inleft)--;
			continue;
		}
		if (cd->cp == 20127) {
			errno = EILSEQ;
			return (size_t)-1;
		}
		if ((k = compat_charlen(cd->cp, p, *inleft)) == 0) {
			errno = EINVAL;
			return (size_t)-1;
		}
		nw = MultiByteToWideChar(cd->cp, MB_ERR_INVALID_CHARS,
		    (const char *)p, (int)k, w, 4);
		/* Windows gives the bytes its ANSI tables leave undefined
		 * C1 controls; iconv (and the Linux build) rejects them. */
		if (nw == 0 || (nw == 1 && w[0] >= 0x80 && w[0] <= 0x9f &&
		    (cd->cp < 28591 || cd->cp > 28599) && cd->cp != CP_UTF8)) {
			errno = EILSEQ;
			return (size_t)-1;
		}
		nu = WideCharToMultiByte(CP_UTF8, 0, w, nw, u, sizeof u, NULL,
		    NULL);
		if (nu <= 0) {
			errno = EILSEQ;
			return (size_t)-1;
		}
		if ((size_t)nu > *outleft) {
			errno = E2BIG;
			return (size_t)-1;
		}
		memcpy(*out, u, (size_t)nu);
		*out += nu;
		*outleft -= (size_t)nu;
		*in += k;
		*inleft -= k;
	}
	return 0;
}

int
compat_iconv_close(iconv_t cd)
{
	free(cd);
	return 0;
}
