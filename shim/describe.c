/* What is the memory at an address mapsan never saw mapped? Read from
 * /proc/self/maps on the error path only, with raw reads into a stack
 * buffer: no stdio, no malloc. */
#include <fcntl.h>

#include "fmt.h"
#include "runtime.h"
#include "sys.h"

#define MAPS_CHUNK 4096

static bool parse_hex(const char **sp, const char *end, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;
	for (; s < end; s++) {
		char c = *s;
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			break;
		v = v << 4 | d;
	}
	if (s == *sp)
		return false;
	*sp = s;
	*out = v;
	return true;
}

/* The path column of a maps line: after five fields, maybe empty. */
static const char *path_field(const char *s, const char *end)
{
	for (int field = 0; field < 5; field++) {
		while (s < end && *s != ' ')
			s++;
		while (s < end && *s == ' ')
			s++;
	}
	return s;
}

static bool field_is(const char *s, size_t n, const char *lit)
{
	size_t i = 0;
	for (; i < n; i++)
		if (lit[i] != s[i])
			return false;
	return lit[i] == '\0';
}

typedef struct {
	uint64_t addr;
	char *buf;
	size_t cap;
	bool found;
	uint64_t lo, hi;    /* the line holding addr, once found */
	uint64_t guard_end; /* end of the previous line when it was an
			       anonymous PROT_NONE mapping, else 0 */
} maps_scan;

static void describe_anonymous(fmt_buf *f, const maps_scan *m, uint64_t lo, uint64_t hi)
{
	int local;
	uint64_t here = (uint64_t)(uintptr_t)&local;
	if (here >= lo && here < hi)
		fmt_str(f, "the current thread's stack");
	else if (m->guard_end == lo)
		/* glibc maps a thread stack PROT_NONE and opens all but its
		 * lowest pages: the guard shows as its own line below. */
		fmt_str(f, "anonymous memory above a guard page, likely a thread's stack");
	else
		fmt_str(f, "anonymous memory mapsan never saw mapped");
}

static void describe_line(const maps_scan *m, const char *path, size_t n, uint64_t lo, uint64_t hi)
{
	fmt_buf f = {m->buf, m->cap, 0};
	if (n == 0)
		describe_anonymous(&f, m, lo, hi);
	else if (field_is(path, n, "[heap]"))
		fmt_str(&f, "heap");
	else if (field_is(path, n, "[stack]"))
		fmt_str(&f, "the main thread's stack");
	else if (path[0] == '[') {
		fmt_str(&f, "the kernel's ");
		fmt_mem(&f, path, n);
		fmt_str(&f, " area");
	} else {
		fmt_str(&f, "a segment of ");
		fmt_mem(&f, path, n);
	}
}

/* One complete line "lo-hi perms offset dev inode [path]". */
static void scan_line(maps_scan *m, const char *s, const char *end)
{
	const char *p = s;
	uint64_t lo, hi;
	if (!parse_hex(&p, end, &lo) || p >= end || *p++ != '-' || !parse_hex(&p, end, &hi)) {
		m->guard_end = 0;
		return;
	}
	const char *path = path_field(s, end);
	size_t n = (size_t)(end - path);
	if (m->addr >= lo && m->addr < hi) {
		describe_line(m, path, n, lo, hi);
		m->found = true;
		m->lo = lo;
		m->hi = hi;
		return;
	}
	bool no_access = end - p > 4 && p[1] == '-' && p[2] == '-' && p[3] == '-';
	m->guard_end = n == 0 && no_access ? hi : 0;
}

/* Scans complete lines in b[0, len); returns the bytes consumed. */
static size_t scan_lines(maps_scan *m, const char *b, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len && !m->found; i++) {
		if (b[i] != '\n')
			continue;
		scan_line(m, b + start, b + i);
		start = i + 1;
	}
	return start;
}

/* Bytes up to and including the end of the line being dropped. */
static size_t skip_line(const char *b, size_t len, bool *skipping)
{
	for (size_t i = 0; i < len; i++)
		if (b[i] == '\n') {
			*skipping = false;
			return i + 1;
		}
	return len;
}

static void scan_maps(maps_scan *m)
{
	long fd = sys_call3(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (sys_failed(fd))
		return;
	char b[MAPS_CHUNK];
	size_t len = 0;
	bool skipping = false;
	while (!m->found) {
		long r = sys_call3(SYS_read, fd, b + len, sizeof b - len);
		if (r == -4)
			continue;
		if (sys_failed(r) || r == 0)
			break;
		len += (size_t)r;
		size_t used = skipping ? skip_line(b, len, &skipping) : 0;
		used += scan_lines(m, b + used, len - used);
		if (used == 0 && len == sizeof b) {
			/* A line longer than the buffer (a huge path): drop it. */
			used = len;
			skipping = true;
		}
		for (size_t i = used; i < len; i++)
			b[i - used] = b[i];
		len -= used;
	}
	sys_call1(SYS_close, fd);
}

void describe_memory(uint64_t addr, char *buf, size_t cap)
{
	if (!cap)
		return;
	fmt_buf f = {buf, cap, 0};
	fmt_str(&f, "unmapped memory");
	maps_scan m = {.addr = addr, .buf = buf, .cap = cap};
	scan_maps(&m);
}

bool maps_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	char what[128];
	maps_scan m = {.addr = addr, .buf = what, .cap = sizeof what};
	scan_maps(&m);
	*lo = m.lo;
	*hi = m.hi;
	return m.found;
}
