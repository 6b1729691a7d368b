/* What the integration test programs share. Each program shows one
 * concept; it prints what the test needs to see on stdout and exits 0 when
 * it ran to its end. */
#ifndef PROG_H
#define PROG_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static inline size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* A mapping Miri accepts: anonymous, private, read/write. */
static inline char *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

static inline _Noreturn void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A temporary regular file of len bytes filled with 'x', already unlinked. */
static inline int temp_file(size_t len)
{
	char path[] = "/tmp/mapsan-prog-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	unlink(path);
	char buf[4096];
	memset(buf, 'x', sizeof buf);
	while (len) {
		size_t n = len < sizeof buf ? len : sizeof buf;
		if (write(fd, buf, n) != (ssize_t)n)
			die("write");
		len -= n;
	}
	return fd;
}

static inline int mode_is(int argc, char **argv, const char *mode)
{
	return argc > 1 && strcmp(argv[1], mode) == 0;
}

#endif
