/* Bounded string building and whole writes for the runtime, which may not
 * use stdio (snprintf can allocate, and runs before libc is ready). */
#ifndef MAPSAN_FMT_H
#define MAPSAN_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "sys.h"

typedef struct {
	char *buf;
	size_t cap;
	size_t len; /* bytes wanted so far; the text is cut at cap - 1 */
} fmt_buf;

static inline void fmt_mem(fmt_buf *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, f->len++)
		if (f->len + 1 < f->cap)
			f->buf[f->len] = s[i];
	if (f->cap)
		f->buf[f->len < f->cap ? f->len : f->cap - 1] = '\0';
}

static inline void fmt_str(fmt_buf *f, const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	fmt_mem(f, s, n);
}

static inline void fmt_dec(fmt_buf *f, uint64_t v)
{
	char tmp[20];
	size_t n = sizeof tmp;
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fmt_mem(f, tmp + n, sizeof tmp - n);
}

static inline void fmt_hex(fmt_buf *f, uint64_t v)
{
	char tmp[18];
	size_t n = sizeof tmp;
	do {
		tmp[--n] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	tmp[--n] = 'x';
	tmp[--n] = '0';
	fmt_mem(f, tmp + n, sizeof tmp - n);
}

/* Writes all of buf, retrying short writes and EINTR; false on error. */
static inline int fmt_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		long r = sys_call3(SYS_write, fd, buf, len);
		if (r == -4 /* EINTR */)
			continue;
		if (sys_failed(r) || r == 0)
			return 0;
		buf += r;
		len -= (size_t)r;
	}
	return 1;
}

/* A startup error (SPEC §4): one line on stderr, then exit status 2. */
static inline _Noreturn void fmt_die(const char *line)
{
	size_t n = 0;
	while (line[n])
		n++;
	fmt_write_all(2, line, n);
	fmt_write_all(2, "\n", 1);
	for (;;)
		sys_call1(SYS_exit_group, 2);
}

#endif
