#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fmt.h"
#include "log_file.h"
#include "runtime.h"
#include "sys.h"

/* A process that execs keeps its pid and starts the runtime afresh: its new
 * image finds PATH.PID made by the old one and takes PATH.PID.1, .2, ...
 * It never reopens an existing file: O_EXCL is what keeps a planted file or
 * symlink from receiving the reports. A suffix is tried only after a file
 * that an earlier image of this process would have left (regular, this
 * user's, mode 0600); anything else there is refused, and reports go to
 * stderr. */
#define LOG_SUFFIXES 64

static struct {
	int fd;             /* -1: stderr */
	long pid;           /* the process the file belongs to; 0: none yet */
	uint64_t dev, ino;  /* the file itself, should the program close fd */
} log_state = {-1, 0, 0, 0};

static void log_path_for(char *path, size_t cap, long pid, unsigned suffix)
{
	fmt_buf f = {path, cap, 0};
	fmt_str(&f, shim_opts.log_path);
	fmt_str(&f, ".");
	fmt_dec(&f, (uint64_t)pid);
	if (suffix) {
		fmt_str(&f, ".");
		fmt_dec(&f, suffix);
	}
}

static long log_try(const char *path)
{
	return sys_call4(SYS_openat, AT_FDCWD, path,
			 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0600);
}

static bool log_left_by_earlier_image(const char *path)
{
	struct stat st;
	if (sys_failed(sys_call4(SYS_newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW)))
		return false;
	return S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
	       st.st_uid == (uid_t)sys_call0(SYS_geteuid);
}

static long log_create(char *path, size_t cap, long pid)
{
	log_path_for(path, cap, pid, 0);
	long r = log_try(path);
	if (r != -EEXIST || !log_left_by_earlier_image(path))
		return r;
	for (unsigned s = 1; s < LOG_SUFFIXES && r == -EEXIST; s++) {
		log_path_for(path, cap, pid, s);
		r = log_try(path);
	}
	return r;
}

static void log_warn(const char *path, long err)
{
	char line[SHIM_PATH_MAX + 128];
	fmt_buf l = {line, sizeof line, 0};
	fmt_str(&l, "mapsan: cannot create log file ");
	fmt_str(&l, path);
	fmt_str(&l, " (errno ");
	fmt_dec(&l, (uint64_t)-err);
	fmt_str(&l, "); reports go to stderr\n");
	fmt_write_all(2, line, l.len < l.cap ? l.len : l.cap - 1);
}

static bool log_is_ours(void)
{
	struct stat st;
	return log_state.fd >= 0 && !sys_failed(sys_call2(SYS_fstat, log_state.fd, &st)) &&
	       st.st_dev == log_state.dev && st.st_ino == log_state.ino;
}

static void log_reopen(long pid)
{
	/* A forked child holds its parent's descriptor: not its own file. */
	if (log_state.pid != pid && log_is_ours())
		sys_call1(SYS_close, log_state.fd);
	char path[SHIM_PATH_MAX + 48];
	long r = log_create(path, sizeof path, pid);
	struct stat st;
	log_state.pid = pid;
	log_state.fd = sys_failed(r) ? -1 : (int)r;
	if (log_state.fd < 0)
		return log_warn(path, r);
	if (!sys_failed(sys_call2(SYS_fstat, log_state.fd, &st))) {
		log_state.dev = st.st_dev;
		log_state.ino = st.st_ino;
	}
}

void log_file_open(void)
{
	if (!shim_opts.log_path[0])
		return;
	long pid = sys_call0(SYS_getpid);
	if (log_state.pid != pid)
		log_reopen(pid);
}

int log_file_fd(void)
{
	if (!shim_opts.log_path[0])
		return 2;
	long pid = sys_call0(SYS_getpid);
	if (log_state.pid == pid && log_state.fd < 0)
		return 2;
	/* A program that closes every descriptor it did not open may have
	 * reused the number for a file of its own. */
	if (log_state.pid != pid || !log_is_ours())
		log_reopen(pid);
	return log_state.fd < 0 ? 2 : log_state.fd;
}
