/* errno_miri CASE: Miri's own mmap tests (tests/pass-dep/libc/mmap.rs) as a
 * C program. Prints "ok" and exits 0 when the call behaved as under Miri. */
#include "prog.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

static int expect_fail(const char *what, int failed, int err, int want)
{
	if (!failed) {
		printf("%s: succeeded, wanted errno %d\n", what, want);
		return 1;
	}
	if (err != want) {
		printf("%s: errno %d, wanted %d\n", what, err, want);
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int mmap_len0(void)
{
	errno = 0;
	void *p = mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return expect_fail("mmap len 0", p == MAP_FAILED, errno, EINVAL);
}

static int mmap_shared_validate(void)
{
	errno = 0;
	void *p = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		       MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
	return expect_fail("mmap MAP_SHARED_VALIDATE", p == MAP_FAILED, errno, EINVAL);
}

/* Rule 1 comes before the file rule: EINVAL, not file-mapping. The kernel
 * itself accepts MAP_SHARED_VALIDATE for a file. */
static int mmap_shared_validate_file(void)
{
	int fd = temp_file(page_size());
	errno = 0;
	void *p = mmap(NULL, page_size(), PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
	return expect_fail("mmap file MAP_SHARED_VALIDATE", p == MAP_FAILED, errno, EINVAL);
}

static int munmap_unaligned(void)
{
	char *p = map_anon(page_size());
	errno = 0;
	int r = munmap(p + 1, page_size());
	int err = errno;
	munmap(p, page_size());
	return expect_fail("munmap unaligned", r != 0, err, EINVAL);
}

static int munmap_overflow(void)
{
	char *p = map_anon(page_size());
	errno = 0;
	int r = munmap(p, SIZE_MAX - 1);
	int err = errno;
	munmap(p, page_size());
	return expect_fail("munmap SIZE_MAX-1", r != 0, err, EINVAL);
}

static int madvise_huge(void)
{
	char *p = map_anon(page_size());
	errno = 0;
	int r = madvise(p, SIZE_MAX - 1, MADV_NORMAL);
	int err = errno;
	munmap(p, page_size());
	return expect_fail("madvise SIZE_MAX-1", r != 0, err, ENOMEM);
}

static int mremap_null(void)
{
	errno = 0;
	void *p = mremap(NULL, page_size(), page_size(), 0);
	return expect_fail("mremap(NULL, n, n, 0)", p == MAP_FAILED, errno, EINVAL);
}

static int mremap_resize(size_t from, size_t to)
{
	char *p = map_anon(from);
	memset(p, 'm', from);
	char *q = mremap(p, from, to, MREMAP_MAYMOVE);
	if (q == MAP_FAILED) {
		printf("mremap %zu -> %zu failed: errno %d\n", from, to, errno);
		return 1;
	}
	size_t keep = from < to ? from : to;
	for (size_t i = 0; i < keep; i++)
		if (q[i] != 'm') {
			printf("mremap lost byte %zu\n", i);
			return 1;
		}
	memset(q, 'n', to);
	if (munmap(q, to) != 0) {
		printf("munmap after mremap failed: errno %d\n", errno);
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int mmap_basic(void)
{
	size_t page = page_size();
	char *p = map_anon(page);
	for (size_t i = 0; i < page; i++)
		if (p[i] != 0) {
			printf("fresh mapping not zeroed\n");
			return 1;
		}
	memset(p, 0xab, page);
	if (munmap(p, page) != 0) {
		printf("munmap failed: errno %d\n", errno);
		return 1;
	}
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	size_t page = page_size();
	static const char *names[] = {
		"basic", "len0", "shared_validate", "munmap_unaligned", "munmap_overflow",
		"madvise_huge", "mremap_null", "mremap_grow", "mremap_shrink",
		"shared_validate_file",
	};
	int which = -1;
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (mode_is(argc, argv, names[i]))
			which = i;
	switch (which) {
	case 0: return mmap_basic();
	case 1: return mmap_len0();
	case 2: return mmap_shared_validate();
	case 3: return munmap_unaligned();
	case 4: return munmap_overflow();
	case 5: return madvise_huge();
	case 6: return mremap_null();
	case 7: return mremap_resize(2 * page, 8 * page);
	case 8: return mremap_resize(8 * page, 2 * page);
	case 9: return mmap_shared_validate_file();
	default:
		fprintf(stderr, "errno_miri: unknown case\n");
		return 2;
	}
}
