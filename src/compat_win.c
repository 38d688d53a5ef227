/* compat_win.c: the POSIX pieces the program uses, on Windows (compat.h). */
#include <windows.h>
#include <shellapi.h>

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "compat.h"
#include "xmalloc.h"

/* A name longer than this gets the \\?\ prefix (long paths). */
#define COMPAT_LONGPATH	240

static void	 compat_errno(DWORD);
static int	 compat_result(BOOL, wchar_t *);
static wchar_t	*compat_wide(const char *);
static char	*compat_utf8(const wchar_t *);
static int	 compat_handle_stat(HANDLE, struct compat_stat *);
static uint32_t	 compat_random(void);
static void	 compat_restore_cp(void);
static void	 compat_tmpdir(void);

static UINT	 compat_console_cp;

void
compat_init(int *argc, char ***argv)
{
	wchar_t	**wargv;
	char	**v;
	int	  n, i;

	/* Every stream binary: libical writes CRLF itself, and the JSON
	 * and CSV reports must be the Linux build's bytes. */
	_fmode = _O_BINARY;
	_setmode(0, _O_BINARY);
	_setmode(1, _O_BINARY);
	_setmode(2, _O_BINARY);
	/* Messages name files in UTF-8. */
	if ((compat_console_cp = GetConsoleOutputCP()) != 0 &&
	    compat_console_cp != CP_UTF8 && SetConsoleOutputCP(CP_UTF8))
		atexit(compat_restore_cp);

	/* Scratch files and batch.c's reports go to $TMPDIR, else /tmp,
	 * which Windows has not: the user's temporary directory. */
	compat_tmpdir();

	/* The arguments as the user typed them, in UTF-8 (msvcrt's argv
	 * is in the ANSI codepage, which loses what it cannot hold). */
	if ((wargv = CommandLineToArgvW(GetCommandLineW(), &n)) == NULL)
		return;
	v = xreallocarray(NULL, (size_t)n + 1, sizeof *v);
	for (i = 0; i < n; i++)
		v[i] = compat_utf8(wargv[i]);
	v[n] = NULL;
	LocalFree(wargv);
	*argc = n;
	*argv = v;
}

char *
compat_lastsep(const char *path)
{
	const char	*p, *last = NULL;

	for (p = path; *p != '\0'; p++)
		if (*p == '/' || *p == '\\' || (*p == ':' && p == path + 1))
			last = p;
	return (char *)last;
}

static void
compat_tmpdir(void)
{
	wchar_t	 w[MAX_PATH + 2];
	char	*s;
	size_t	 n;
	DWORD	 len;

	if (getenv("TMPDIR") != NULL && *getenv("TMPDIR") != '\0')
		return;
	if ((len = GetTempPathW(MAX_PATH + 1, w)) == 0 || len > MAX_PATH)
		return;
	s = compat_utf8(w);
	n = strlen(s);
	if (n > 3 && (s[n - 1] == '\\' || s[n - 1] == '/'))
		s[n - 1] = '\0';
	_putenv_s("TMPDIR", s);
	free(s);
}

static void
compat_restore_cp(void)
{
	SetConsoleOutputCP(compat_console_cp);
}

/* A call's BOOL as 0, or -1 with errno; w (the name it took) is freed
 * after GetLastError. */
static int
compat_result(BOOL ok, wchar_t *w)
{
	DWORD	e = ok ? 0 : GetLastError();

	free(w);
	if (ok)
		return 0;
	compat_errno(e);
	return -1;
}

static void
compat_errno(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_PATHNAME:
	case ERROR_INVALID_NAME:
		errno = ENOENT;
		break;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
	case ERROR_WRITE_PROTECT:
		errno = EACCES;
		break;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		errno = EEXIST;
		break;
	case ERROR_DIRECTORY:
		errno = ENOTDIR;
		break;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		errno = ENOSPC;
		break;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		errno = ENOMEM;
		break;
	case ERROR_FILENAME_EXCED_RANGE:
		errno = ENAMETOOLONG;
		break;
	case ERROR_DIR_NOT_EMPTY:
		errno = ENOTEMPTY;
		break;
	default:
		errno = EIO;
		break;
	}
}

/* UTF-8 to a wide path for the W API; long names get the \\?\ prefix,
 * which takes only absolute, backslashed paths. NULL and errno when
 * the name is no UTF-8. */
static wchar_t *
compat_wide(const char *s)
{
	wchar_t	*w, *full, *p;
	DWORD	 n;
	int	 len;

	if ((len = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1,
	    NULL, 0)) == 0) {
		errno = EILSEQ;
		return NULL;
	}
	w = xreallocarray(NULL, (size_t)len, sizeof *w);
	MultiByteToWideChar(CP_UTF8, 0, s, -1, w, len);
	if (len < COMPAT_LONGPATH || wcsncmp(w, L"\\\\?\\", 4) == 0)
		return w;
	if ((n = GetFullPathNameW(w, 0, NULL, NULL)) == 0)
		return w;
	full = xreallocarray(NULL, (size_t)n + 8, sizeof *full);
	if (wcsncmp(w, L"\\\\", 2) == 0 || wcsncmp(w, L"//", 2) == 0) {
		wcscpy(full, L"\\\\?\\UNC");
		GetFullPathNameW(w, n, full + 7, NULL);
		/* \\server\share: \\?\UNC\server\share */
		memmove(full + 7, full + 8, (wcslen(full + 8) + 1) *
		    sizeof *full);
	} else {
		wcscpy(full, L"\\\\?\\");
		GetFullPathNameW(w, n, full + 4, NULL);
	}
	for (p = full; *p != L'\0'; p++)
		if (*p == L'/')
			*p = L'\\';
	free(w);
	return full;
}

static char *
compat_utf8(const wchar_t *w)
{
	char	*s;
	int	 len;

	len = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	s = xmalloc(len > 0 ? (size_t)len : 1);
	if (len <= 0 || WideCharToMultiByte(CP_UTF8, 0, w, -1, s, len, NULL,
	    NULL) == 0)
		*s = '\0';
	return s;
}

/* libical's own search for zone files starts in the exe's parent
 * directory (it expects bin/ and share/), and its fopen takes the ANSI
 * codepage: the 8.3 form when that codepage cannot hold the path. */
char *
compat_zonedir(void)
{
	wchar_t	 w[MAX_PATH + 16], *sep;
	char	*s;
	BOOL	 lossy = FALSE;
	DWORD	 n;
	int	 len;

	n = GetModuleFileNameW(NULL, w, MAX_PATH);
	if (n == 0 || n >= MAX_PATH || (sep = wcsrchr(w, L'\\')) == NULL)
		return NULL;
	wcscpy(sep + 1, L"zoneinfo");
	len = WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL, &lossy);
	if (lossy && (GetShortPathNameW(w, w, MAX_PATH + 16) == 0 ||
	    (len = WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL,
	    &lossy)) <= 0 || lossy))
		return NULL;
	if (len <= 0)
		return NULL;
	s = xmalloc((size_t)len);
	if (WideCharToMultiByte(CP_ACP, 0, w, -1, s, len, NULL, NULL) == 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* Seconds since 1970 from a FILETIME. */
static time_t
compat_time(const FILETIME *ft)
{
	uint64_t	t;

	t = (uint64_t)ft->dwHighDateTime << 32 | ft->dwLowDateTime;
	return (time_t)(t / 10000000 - 11644473600ULL);
}

static int
compat_handle_stat(HANDLE h, struct compat_stat *sb)
{
	BY_HANDLE_FILE_INFORMATION	bi;
	DWORD				type;

	memset(sb, 0, sizeof *sb);
	type = GetFileType(h);
	if (type == FILE_TYPE_CHAR || type == FILE_TYPE_PIPE) {
		sb->st_mode = (type == FILE_TYPE_CHAR ? _S_IFCHR : _S_IFIFO) |
		    0666;
		sb->st_nlink = 1;
		return 0;
	}
	if (!GetFileInformationByHandle(h, &bi)) {
		compat_errno(GetLastError());
		return -1;
	}
	sb->st_dev = bi.dwVolumeSerialNumber;
	sb->st_ino = (uint64_t)bi.nFileIndexHigh << 32 | bi.nFileIndexLow;
	sb->st_nlink = bi.nNumberOfLinks;
	sb->st_mode = bi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY ?
	    _S_IFDIR | 0755 : _S_IFREG | 0644;
	if (bi.dwFileAttributes & FILE_ATTRIBUTE_READONLY)
		sb->st_mode &= ~0222u;
	sb->st_size = (int64_t)((uint64_t)bi.nFileSizeHigh << 32 |
	    bi.nFileSizeLow);
	sb->st_atime = compat_time(&bi.ftLastAccessTime);
	sb->st_mtime = compat_time(&bi.ftLastWriteTime);
	sb->st_ctime = compat_time(&bi.ftCreationTime);
	return 0;
}

int
compat_stat(const char *path, struct compat_stat *sb)
{
	wchar_t	*w;
	HANDLE	 h;
	size_t	 n;
	int	 ret;

	if ((w = compat_wide(path)) == NULL)
		return -1;
	/* "dir/" is dir, as on POSIX; "C:/" stays. */
	n = wcslen(w);
	while (n > 1 && (w[n - 1] == L'/' || w[n - 1] == L'\\') &&
	    w[n - 2] != L':')
		w[--n] = L'\0';
	/* No access asked: works on a file another program holds open. */
	h = CreateFileW(w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE |
	    FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
	    FILE_FLAG_BACKUP_SEMANTICS, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		compat_errno(GetLastError());
		return -1;
	}
	ret = compat_handle_stat(h, sb);
	CloseHandle(h);
	return ret;
}

int
compat_fstat(int fd, struct compat_stat *sb)
{
	HANDLE	h;

	if ((h = (HANDLE)_get_osfhandle(fd)) == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	return compat_handle_stat(h, sb);
}

/* open(2) through CreateFileW: FILE_SHARE_DELETE lets an open
 * temporary be unlinked as on POSIX. Directories open (for fstat). */
int
compat_open(const char *path, int flags, ...)
{
	wchar_t	*w;
	HANDLE	 h;
	DWORD	 access, disp, attrs;
	int	 fd, cflags;

	switch (flags & (O_RDONLY | O_WRONLY | O_RDWR)) {
	case O_WRONLY:
		access = GENERIC_WRITE;
		break;
	case O_RDWR:
		access = GENERIC_READ | GENERIC_WRITE;
		break;
	default:
		access = GENERIC_READ;
		break;
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		disp = CREATE_NEW;
	else if ((flags & (O_CREAT | O_TRUNC)) == (O_CREAT | O_TRUNC))
		disp = CREATE_ALWAYS;
	else if (flags & O_CREAT)
		disp = OPEN_ALWAYS;
	else if (flags & O_TRUNC)
		disp = TRUNCATE_EXISTING;
	else
		disp = OPEN_EXISTING;
	attrs = FILE_ATTRIBUTE_NORMAL;
	if (access == GENERIC_READ)
		attrs |= FILE_FLAG_BACKUP_SEMANTICS;
	if ((w = compat_wide(path)) == NULL)
		return -1;
	h = CreateFileW(w, access, FILE_SHARE_READ | FILE_SHARE_WRITE |
	    FILE_SHARE_DELETE, NULL, disp, attrs, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		compat_errno(GetLastError());
		return -1;
	}
	cflags = _O_BINARY | (flags & (O_RDONLY | O_WRONLY | O_RDWR |
	    O_APPEND));
	if ((fd = _open_osfhandle((intptr_t)h, cflags)) == -1) {
		CloseHandle(h);
		errno = EMFILE;
	}
	return fd;
}

FILE *
compat_fopen(const char *path, const char *mode)
{
	char	m[8];
	FILE	*fp;
	int	 flags, fd, plus, n = 0;

	plus = strchr(mode, '+') != NULL;
	switch (*mode) {
	case 'w':
		flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
		break;
	case 'r':
		flags = plus ? O_RDWR : O_RDONLY;
		break;
	default:
		errno = EINVAL;
		return NULL;
	}
	if (strchr(mode, 'x') != NULL)
		flags |= O_EXCL;
	if ((fd = compat_open(path, flags)) == -1)
		return NULL;
	m[n++] = *mode;
	if (plus)
		m[n++] = '+';
	m[n++] = 'b';
	m[n] = '\0';
	if ((fp = _fdopen(fd, m)) == NULL)
		close(fd);
	return fp;
}

/* rename(2) replaces an existing file; without replace the target's
 * name must be free (RENAME_NOREPLACE). One MoveFileExW either way. */
int
compat_rename(const char *from, const char *to, int replace)
{
	wchar_t	*wf, *wt;
	BOOL	 ok;

	if ((wf = compat_wide(from)) == NULL)
		return -1;
	if ((wt = compat_wide(to)) == NULL) {
		free(wf);
		return -1;
	}
	ok = MoveFileExW(wf, wt, replace ? MOVEFILE_REPLACE_EXISTING : 0);
	free(wf);
	return compat_result(ok, wt);
}

int
compat_unlink(const char *path)
{
	wchar_t	*w;

	if ((w = compat_wide(path)) == NULL)
		return -1;
	return compat_result(DeleteFileW(w), w);
}

int
compat_mkdir(const char *path)
{
	wchar_t	*w;

	if ((w = compat_wide(path)) == NULL)
		return -1;
	return compat_result(CreateDirectoryW(w, NULL), w);
}

int
compat_access(const char *path, int mode)
{
	struct compat_stat	sb;

	if (compat_stat(path, &sb) != 0)
		return -1;
	if ((mode & W_OK) && !(sb.st_mode & 0200)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

/* The absolute name of an existing file (realpath(p, NULL)). */
char *
compat_realpath(const char *path)
{
	struct compat_stat	 sb;
	wchar_t			*w, *full;
	char			*s;
	DWORD			 n;

	if (compat_stat(path, &sb) != 0 || (w = compat_wide(path)) == NULL)
		return NULL;
	if ((n = GetFullPathNameW(w, 0, NULL, NULL)) == 0) {
		compat_errno(GetLastError());
		free(w);
		return NULL;
	}
	full = xreallocarray(NULL, n, sizeof *full);
	GetFullPathNameW(w, n, full, NULL);
	s = compat_utf8(full);
	free(w);
	free(full);
	return s;
}

/* Names that differ from run to run (msvcrt's mktemp repeats them). */
static uint32_t
compat_random(void)
{
	static uint64_t	state;
	LARGE_INTEGER	c;

	if (state == 0) {
		QueryPerformanceCounter(&c);
		state = (uint64_t)c.QuadPart ^
		    (uint64_t)GetCurrentProcessId() << 32 ^
		    (uint64_t)GetTickCount64();
		if (state == 0)
			state = 1;
	}
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)(state >> 16);
}

/* The X's at the end of a template: random letters. */
static int
compat_fill(char *tmpl)
{
	static const char	letters[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t			len = strlen(tmpl), i;

	if (len < 6 || strcmp(tmpl + len - 6, "XXXXXX") != 0) {
		errno = EINVAL;
		return -1;
	}
	for (i = len - 6; i < len; i++)
		tmpl[i] = letters[compat_random() % (sizeof letters - 1)];
	return 0;
}

/* A new file (an fd) or directory (0) of a name made from tmpl; -1
 * and errno when none could be made. */
static int
compat_mktemp(char *tmpl, int dir)
{
	char	*save;
	int	 ret = -1, tries;

	save = xstrdup(tmpl);
	for (tries = 0; tries < 100; tries++) {
		strcpy(tmpl, save);
		if (compat_fill(tmpl) != 0)
			break;
		ret = dir ? compat_mkdir(tmpl) :
		    compat_open(tmpl, O_RDWR | O_CREAT | O_EXCL);
		if (ret != -1 || errno != EEXIST)
			break;
	}
	free(save);
	return ret;
}

int
compat_mkstemp(char *tmpl)
{
	return compat_mktemp(tmpl, 0);
}

char *
compat_mkdtemp(char *tmpl)
{
	return compat_mktemp(tmpl, 1) == 0 ? tmpl : NULL;
}

struct compat_dir {
	HANDLE			h;
	WIN32_FIND_DATAW	fd;
	int			first;	/* fd holds an entry not yet read */
	struct compat_dirent	de;
};

compat_dir *
compat_opendir(const char *path)
{
	compat_dir	*d;
	char		*pat;
	wchar_t		*w;
	size_t		 len = strlen(path);

	xasprintf(&pat, "%s%s*", path, len > 0 && (path[len - 1] == '/' ||
	    path[len - 1] == '\\') ? "" : "/");
	w = compat_wide(pat);
	free(pat);
	if (w == NULL)
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->h = FindFirstFileW(w, &d->fd);
	free(w);
	if (d->h == INVALID_HANDLE_VALUE) {
		compat_errno(GetLastError());
		free(d);
		return NULL;
	}
	d->first = 1;
	return d;
}

struct compat_dirent *
compat_readdir(compat_dir *d)
{
	char	*s;

	if (!d->first && !FindNextFileW(d->h, &d->fd))
		return NULL;
	d->first = 0;
	s = compat_utf8(d->fd.cFileName);
	snprintf(d->de.d_name, sizeof d->de.d_name, "%s", s);
	free(s);
	return &d->de;
}

int
compat_closedir(compat_dir *d)
{
	FindClose(d->h);
	free(d);
	return 0;
}

/* pread(2): ReadFile at an offset moves the file pointer of a
 * synchronous handle, so it is put back for the stream on top. */
ssize_t
compat_pread(int fd, void *buf, size_t n, int64_t off)
{
	HANDLE		h;
	OVERLAPPED	ov;
	LARGE_INTEGER	zero, cur;
	DWORD		got = 0, e;
	BOOL		ok;

	if ((h = (HANDLE)_get_osfhandle(fd)) == INVALID_HANDLE_VALUE ||
	    off < 0) {
		errno = off < 0 ? EINVAL : EBADF;
		return -1;
	}
	if (n > 0x40000000)
		n = 0x40000000;
	zero.QuadPart = 0;
	if (!SetFilePointerEx(h, zero, &cur, FILE_CURRENT))
		cur.QuadPart = -1;
	memset(&ov, 0, sizeof ov);
	ov.Offset = (DWORD)off;
	ov.OffsetHigh = (DWORD)((uint64_t)off >> 32);
	ok = ReadFile(h, buf, (DWORD)n, &got, &ov);
	e = GetLastError();
	if (cur.QuadPart >= 0)
		SetFilePointerEx(h, cur, NULL, FILE_BEGIN);
	if (!ok) {
		if (e == ERROR_HANDLE_EOF)
			return 0;
		compat_errno(e);
		return -1;
	}
	return (ssize_t)got;
}

long
compat_sysconf(int name)
{
	SYSTEM_INFO	si;

	GetSystemInfo(&si);
	switch (name) {
	case _SC_PAGESIZE:
		return (long)si.dwPageSize;
	case _SC_NPROCESSORS_ONLN:
		return (long)si.dwNumberOfProcessors;
	}
	errno = EINVAL;
	return -1;
}

ssize_t
compat_getline(char **line, size_t *cap, FILE *fp)
{
	size_t	n = 0;
	int	c;

	if (*line == NULL || *cap == 0) {
		*cap = 128;
		*line = xreallocarray(*line, *cap, 1);
	}
	while ((c = getc(fp)) != EOF) {
		if (n + 2 > *cap) {
			*cap *= 2;
			*line = xreallocarray(*line, *cap, 1);
		}
		(*line)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	(*line)[n] = '\0';
	return n == 0 ? -1 : (ssize_t)n;
}

void *
compat_mmap(size_t len, int fd)
{
	HANDLE	h, m;
	void	*p;

	if ((h = (HANDLE)_get_osfhandle(fd)) == INVALID_HANDLE_VALUE)
		return MAP_FAILED;
	if ((m = CreateFileMappingW(h, NULL, PAGE_READONLY, 0, 0,
	    NULL)) == NULL)
		return MAP_FAILED;
	p = MapViewOfFile(m, FILE_MAP_READ, 0, 0, len);
	/* The view keeps the mapping. */
	CloseHandle(m);
	return p != NULL ? p : MAP_FAILED;
}

int
compat_munmap(void *p)
{
	return UnmapViewOfFile(p) ? 0 : -1;
}

/* SIGALRM: the handler, called by a timer-queue thread. */
static void	(*compat_alarm)(int);
static HANDLE	  compat_timer;

int
compat_sigaction(int sig, const struct compat_sigaction *sa,
    struct compat_sigaction *old)
{
	void	(*prev)(int);

	if (old != NULL)
		memset(old, 0, sizeof *old);
	if (sig == SIGALRM) {
		if (old != NULL)
			old->sa_handler = compat_alarm;
		if (sa != NULL)
			compat_alarm = sa->sa_handler;
		return 0;
	}
	/* No hang-ups or broken pipes: a write error says it. */
	if (sig == SIGHUP || sig == SIGPIPE)
		return 0;
	if (sa == NULL)
		return 0;
	if ((prev = signal(sig, sa->sa_handler)) == SIG_ERR)
		return -1;
	if (old != NULL)
		old->sa_handler = prev;
	return 0;
}

static VOID CALLBACK
compat_tick(PVOID arg, BOOLEAN fired)
{
	void	(*fn)(int) = compat_alarm;

	(void)arg;
	(void)fired;
	if (fn != SIG_IGN && fn != SIG_DFL && fn != NULL)
		fn(SIGALRM);
}

int
compat_setitimer(const struct itimerval *it)
{
	DWORD	first, every;

	if (compat_timer != NULL) {
		/* Waits for a tick under way. */
		DeleteTimerQueueTimer(NULL, compat_timer,
		    INVALID_HANDLE_VALUE);
		compat_timer = NULL;
	}
	first = (DWORD)(it->it_value.tv_sec * 1000 +
	    it->it_value.tv_usec / 1000);
	every = (DWORD)(it->it_interval.tv_sec * 1000 +
	    it->it_interval.tv_usec / 1000);
	if (first == 0)
		return 0;
	if (!CreateTimerQueueTimer(&compat_timer, NULL, compat_tick, NULL,
	    first, every, WT_EXECUTEDEFAULT)) {
		compat_errno(GetLastError());
		return -1;
	}
	return 0;
}
