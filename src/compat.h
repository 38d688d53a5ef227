/* compat.h: the one place for what Windows lacks or does differently.
 *
 * The stages are written against POSIX. A file that needs a POSIX
 * header Windows does not have (<sysexits.h>, <iconv.h>, <sys/mman.h>,
 * <sys/wait.h>, see COMPAT_FORK) includes this header instead; on a
 * POSIX system this header is just those headers, so the Linux build
 * is the code it always was. On Windows (mingw-w64,
 * tools/build-windows) Makefile.am puts it before every file
 * (-include), and it maps the same names onto src/compat_win.c (text
 * conversion: src/compat_win_iconv.c):
 *
 * - paths are UTF-8, as on Linux: open, fopen, stat, lstat, rename,
 *   unlink, mkdir, access, realpath, mkstemp, mkdtemp and the
 *   directory walk go through the wide-character API (CreateFileW,
 *   _wfopen, ...), and compat_init() makes argv UTF-8 from
 *   GetCommandLineW;
 * - stat() fills st_dev and st_ino from the volume serial number and
 *   the file index (GetFileInformationByHandle), so that the same-file
 *   checks that compare them work (msvcrt's st_ino is always 0);
 * - rename() replaces an existing file (MoveFileExW with
 *   MOVEFILE_REPLACE_EXISTING); renameat2(RENAME_NOREPLACE) does not;
 * - files are opened with FILE_SHARE_DELETE, so that unlinking an open
 *   temporary or scratch file works as on POSIX: the name goes away at
 *   once, the data when the last handle closes (scratch files are
 *   deleted on close, also when the process dies);
 * - every stream and standard output is binary (no CRLF translation);
 * - iconv_open()/iconv() convert Windows codepages to UTF-8 with
 *   MultiByteToWideChar; mmap() maps with CreateFileMapping; pread()
 *   reads at an offset without moving the file pointer;
 * - SIGALRM and setitimer(ITIMER_REAL) are a timer-queue thread that
 *   calls the handler; sigaction() is signal(); SIGHUP, SIGPIPE do not
 *   occur;
 * - fork() is not there: COMPAT_FORK is 0 and batch.c runs the inputs
 *   one after the other in its own process (-j is 1).
 *
 * Errors: the POSIX conventions of each function (-1 or NULL and
 * errno).
 */
#ifndef COMPAT_H
#define COMPAT_H

#ifndef _WIN32

#include <sys/mman.h>

#include <iconv.h>
#include <string.h>
#include <sysexits.h>

/* batch.c's workers are processes (it includes <sys/wait.h> when this
 * is 1: here it would bring <signal.h> and <unistd.h> to every file). */
#define COMPAT_FORK	1

/* Nothing to set up: the arguments are already the bytes of the
 * file names. */
#define compat_init(argcp, argvp)	((void)(argcp), (void)(argvp))

/* The last directory separator of a path, or NULL (Windows: / or \,
 * or the colon of "C:"). */
#define compat_lastsep(path)		strrchr(path, '/')

/* libical reads the system's zoneinfo: nothing to point it at. */
#define compat_zonedir()		((char *)NULL)

#else /* _WIN32 */

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define COMPAT_FORK	0

void	compat_init(int *, char ***);
char	*compat_lastsep(const char *);
/* The zoneinfo directory shipped beside the exe (tools/build-windows),
 * as a path libical's narrow fopen can open; allocated, or NULL. */
char	*compat_zonedir(void);

/* What Windows cannot do: -1 (or NULL) and ENOSYS. */
static inline int
compat_nosys(void)
{
	errno = ENOSYS;
	return -1;
}
static inline void *
compat_nosysp(void)
{
	errno = ENOSYS;
	return NULL;
}

/* <sysexits.h> */
#define EX_OK		0
#define EX_USAGE	64
#define EX_DATAERR	65
#define EX_NOINPUT	66
#define EX_NOUSER	67
#define EX_NOHOST	68
#define EX_UNAVAILABLE	69
#define EX_SOFTWARE	70
#define EX_OSERR	71
#define EX_OSFILE	72
#define EX_CANTCREAT	73
#define EX_IOERR	74
#define EX_TEMPFAIL	75
#define EX_PROTOCOL	76
#define EX_NOPERM	77
#define EX_CONFIG	78

/* <fcntl.h>, <errno.h> */
#define O_CLOEXEC	_O_NOINHERIT
#define O_NONBLOCK	0		/* no FIFOs to hang on */
#ifndef EDQUOT
#define EDQUOT		ENOSPC
#endif
#define S_ISLNK(m)	0		/* links are followed by the API */

/* Files by UTF-8 name. */
struct compat_stat {
	uint64_t	st_dev;		/* volume serial number */
	uint64_t	st_ino;		/* file index */
	unsigned	st_mode;
	unsigned	st_nlink;
	int64_t		st_size;
	time_t		st_atime;
	time_t		st_mtime;
	time_t		st_ctime;
};
#undef stat
#undef fstat
#define stat		compat_stat
#define fstat		compat_fstat
#define lstat		compat_stat
int	compat_stat(const char *, struct compat_stat *);
int	compat_fstat(int, struct compat_stat *);

/* Object-like: a member named open (reader_impl.h) is renamed alike. */
#define open		compat_open
#define fopen(p, m)	compat_fopen(p, m)
#define rename(a, b)	compat_rename(a, b, 1)
#define renameat2(d1, a, d2, b, f) compat_rename(a, b, 0)
#define AT_FDCWD	(-100)
#define RENAME_NOREPLACE 1
#define link(a, b)	compat_nosys()
#define unlink(p)	compat_unlink(p)
#define mkdir(p, m)	compat_mkdir(p)
#define access(p, m)	compat_access(p, m)
#define realpath(p, r)	compat_realpath(p)
#undef mkstemp		/* winpthreads' cancellation point */
#define mkstemp(t)	compat_mkstemp(t)
#define mkdtemp(t)	compat_mkdtemp(t)
#define fchmod(fd, m)	compat_fchmod(fd, m)
#define fsync(fd)	_commit(fd)
/* Windows has ACLs, not mode bits: the new file gets the directory's. */
static inline int
compat_fchmod(int fd, unsigned mode)
{
	(void)fd;
	(void)mode;
	return 0;
}
int	 compat_open(const char *, int, ...);
FILE	*compat_fopen(const char *, const char *);
int	 compat_rename(const char *, const char *, int);
int	 compat_unlink(const char *);
int	 compat_mkdir(const char *);
int	 compat_access(const char *, int);
char	*compat_realpath(const char *);
int	 compat_mkstemp(char *);
char	*compat_mkdtemp(char *);

/* Directories, names in UTF-8. */
struct compat_dirent {
	char		d_name[260 * 3 + 1];	/* MAX_PATH UTF-16 units */
};
#define DIR		compat_dir
#define dirent		compat_dirent
#define opendir(p)	compat_opendir(p)
#define readdir(d)	compat_readdir(d)
#define closedir(d)	compat_closedir(d)
typedef struct compat_dir compat_dir;
compat_dir		*compat_opendir(const char *);
struct compat_dirent	*compat_readdir(compat_dir *);
int			 compat_closedir(compat_dir *);

/* <unistd.h> */
#define pread(fd, b, n, o) compat_pread(fd, b, n, (int64_t)(o))
ssize_t	compat_pread(int, void *, size_t, int64_t);
#define _SC_PAGESIZE		1
#define _SC_NPROCESSORS_ONLN	2
#define sysconf(n)	compat_sysconf(n)
long	compat_sysconf(int);

/* <time.h> */
#define gmtime_r(t, tm)	(gmtime_s(tm, t) == 0 ? (tm) : NULL)
#define localtime_r(t, tm) (localtime_s(tm, t) == 0 ? (tm) : NULL)

/* <stdio.h> */
#define getline(l, c, fp) compat_getline(l, c, fp)
ssize_t	compat_getline(char **, size_t *, FILE *);
/* Only the tests write to memory streams; the program spools to
 * scratch files. */
#define open_memstream(m, l) ((void)(m), (void)(l), (FILE *)compat_nosysp())

/* <sys/mman.h>: read-only mappings of a whole file. */
#define PROT_READ	1
#define MAP_PRIVATE	2
#define MAP_FAILED	((void *)-1)
#define MADV_DONTNEED	4
#define mmap(a, n, p, f, fd, o) compat_mmap(n, fd)
#define munmap(a, n)	compat_munmap(a)
#define madvise(a, n, f) ((void)(a), (void)(n), 0)
void	*compat_mmap(size_t, int);
int	 compat_munmap(void *);

/* <iconv.h>: a Windows codepage (or UTF-8) to UTF-8. */
typedef struct compat_iconv *iconv_t;
#define iconv_open(to, from)	compat_iconv_open(to, from)
#define iconv(cd, i, il, o, ol)	compat_iconv(cd, i, il, o, ol)
#define iconv_close(cd)		compat_iconv_close(cd)
iconv_t	compat_iconv_open(const char *, const char *);
size_t	compat_iconv(iconv_t, char **, size_t *, char **, size_t *);
int	compat_iconv_close(iconv_t);

/* <signal.h>: handlers through signal(); SIGALRM by a timer thread. */
#ifndef _POSIX
typedef _sigset_t	sigset_t;
#endif
#define SIGHUP		1
#define SIGPIPE		13
#define SIGALRM		14
#define SA_RESTART	0x10000000
#define SA_RESETHAND	0x80000000
struct compat_sigaction {
	void		(*sa_handler)(int);
	sigset_t	sa_mask;
	int		sa_flags;
};
#define sigaction	compat_sigaction
int	compat_sigaction(int, const struct compat_sigaction *,
	    struct compat_sigaction *);
#define sigemptyset(s)	compat_sigset(s, 0)
#define sigfillset(s)	compat_sigset(s, ~(sigset_t)0)
static inline int
compat_sigset(sigset_t *s, sigset_t v)
{
	*s = v;
	return 0;
}
/* Threads get no signals on Windows: nothing to block. */
#undef pthread_sigmask
#define pthread_sigmask(h, s, o) compat_sigmask(h, s, o)
static inline int
compat_sigmask(int how, const sigset_t *s, sigset_t *old)
{
	(void)how;
	(void)s;
	if (old != NULL)
		*old = 0;
	return 0;
}
#define kill(pid, sig)	((void)(pid), (void)(sig), compat_nosys())
#define ITIMER_REAL	0
struct itimerval {
	struct timeval	it_interval;
	struct timeval	it_value;
};
#define setitimer(w, it, old) compat_setitimer(it)
int	compat_setitimer(const struct itimerval *);

/* <sys/wait.h>: only to read the statuses batch.c makes itself. */
#define WIFEXITED(st)	1
#define WEXITSTATUS(st)	((st) & 0xff)
#define WIFSIGNALED(st)	0
#define WTERMSIG(st)	0
#define waitpid(p, st, o) ((void)(p), (void)(st), compat_nosys())
#define fork()		compat_nosys()

#endif /* _WIN32 */

#endif /* COMPAT_H */
