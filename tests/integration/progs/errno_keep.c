/* errno_keep fail|keep. fail: failing calls set the kernel's own errno
 * (policy native). keep: successful calls leave errno as it was. */
#include "prog.h"

#include <fcntl.h>

static int check(const char *what, int got, int want)
{
	if (got == want)
		return 0;
	printf("%s: errno %d, wanted %d\n", what, got, want);
	return 1;
}

static int failing_calls(void)
{
	size_t page = page_size();
	int bad = 0;
	errno = 0;
	void *p = mmap(NULL, page, PROT_READ, MAP_PRIVATE, 987, 0);
	bad |= check("mmap bad fd", p == MAP_FAILED ? errno : 0, EBADF);
	errno = 0;
	p = mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad |= check("mmap len 0", p == MAP_FAILED ? errno : 0, EINVAL);
	int fd = open("/dev/null", O_WRONLY);
	errno = 0;
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	bad |= check("mmap write-only fd", p == MAP_FAILED ? errno : 0, EACCES);
	close(fd);
	char *q = map_anon(page);
	errno = 0;
	int r = munmap(q + 1, page);
	bad |= check("munmap unaligned", r ? errno : 0, EINVAL);
	munmap(q, page);
	return bad;
}

static int successful_calls(void)
{
	size_t page = page_size();
	int bad = 0;
	errno = 4242;
	char *p = map_anon(4 * page);
	bad |= check("mmap", errno, 4242);
	p[0] = 1;
	errno = 4243;
	if (mprotect(p, page, PROT_READ | PROT_WRITE) != 0)
		die("mprotect");
	bad |= check("mprotect", errno, 4243);
	errno = 4244;
	if (madvise(p, page, MADV_NORMAL) != 0)
		die("madvise");
	bad |= check("madvise", errno, 4244);
	errno = 4245;
	char *q = mremap(p, 4 * page, 8 * page, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		die("mremap");
	bad |= check("mremap", errno, 4245);
	errno = 4246;
	if (munmap(q, 8 * page) != 0)
		die("munmap");
	bad |= check("munmap", errno, 4246);
	errno = 4247;
	void *m = malloc(100);
	free(m);
	bad |= check("malloc/free", errno, 4247);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = mode_is(argc, argv, "fail") ? failing_calls() : successful_calls();
	if (!bad)
		printf("ok\n");
	return bad;
}
