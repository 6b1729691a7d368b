/* The symbolic names of the format: flags, advice and errno values, taken
 * from the system headers so a trace means what the kernel saw. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "script.h"

typedef struct {
	const char *name;
	uint64_t value;
} name_entry;

#define N(x) {#x, (uint64_t)(x)}

static const name_entry prot_names[] = {
	N(PROT_NONE), N(PROT_READ), N(PROT_WRITE), N(PROT_EXEC),
#ifdef PROT_GROWSDOWN
	N(PROT_GROWSDOWN),
#endif
#ifdef PROT_GROWSUP
	N(PROT_GROWSUP),
#endif
	{0, 0}};

static const name_entry map_names[] = {
	N(MAP_SHARED), N(MAP_PRIVATE), N(MAP_FIXED), N(MAP_ANONYMOUS), N(MAP_ANON),
#ifdef MAP_SHARED_VALIDATE
	N(MAP_SHARED_VALIDATE),
#endif
	N(MAP_NORESERVE), N(MAP_POPULATE), N(MAP_STACK), N(MAP_GROWSDOWN),
	N(MAP_DENYWRITE), N(MAP_EXECUTABLE), N(MAP_LOCKED), N(MAP_NONBLOCK),
#ifdef MAP_HUGETLB
	N(MAP_HUGETLB),
#endif
#ifdef MAP_FIXED_NOREPLACE
	N(MAP_FIXED_NOREPLACE),
#endif
#ifdef MAP_SYNC
	N(MAP_SYNC),
#endif
#ifdef MAP_32BIT
	N(MAP_32BIT),
#endif
	{0, 0}};

static const name_entry mremap_names[] = {
	N(MREMAP_MAYMOVE), N(MREMAP_FIXED),
#ifdef MREMAP_DONTUNMAP
	N(MREMAP_DONTUNMAP),
#else
	{"MREMAP_DONTUNMAP", 4},
#endif
	{0, 0}};

static const name_entry madv_names[] = {
	N(MADV_NORMAL), N(MADV_RANDOM), N(MADV_SEQUENTIAL), N(MADV_WILLNEED),
	N(MADV_DONTNEED), N(MADV_REMOVE), N(MADV_DONTFORK), N(MADV_DOFORK),
	N(MADV_MERGEABLE), N(MADV_UNMERGEABLE), N(MADV_HUGEPAGE), N(MADV_NOHUGEPAGE),
	N(MADV_DONTDUMP), N(MADV_DODUMP), N(MADV_HWPOISON),
#ifdef MADV_FREE
	N(MADV_FREE),
#endif
#ifdef MADV_WIPEONFORK
	N(MADV_WIPEONFORK), N(MADV_KEEPONFORK),
#endif
#ifdef MADV_COLD
	N(MADV_COLD), N(MADV_PAGEOUT),
#endif
#ifdef MADV_POPULATE_READ
	N(MADV_POPULATE_READ), N(MADV_POPULATE_WRITE),
#endif
	{0, 0}};

static const name_entry posix_madv_names[] = {
	N(POSIX_MADV_NORMAL), N(POSIX_MADV_RANDOM), N(POSIX_MADV_SEQUENTIAL),
	N(POSIX_MADV_WILLNEED), N(POSIX_MADV_DONTNEED), {0, 0}};

static const name_entry ms_names[] = {N(MS_ASYNC), N(MS_SYNC), N(MS_INVALIDATE), {0, 0}};

static const name_entry mcl_names[] = {
	N(MCL_CURRENT), N(MCL_FUTURE),
#ifdef MCL_ONFAULT
	N(MCL_ONFAULT),
#endif
	{0, 0}};

static const name_entry errno_names[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
	N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV), N(ENOTDIR),
	N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY), N(ETXTBSY),
	N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK), N(EPIPE),
	N(EDOM), N(ERANGE), N(EDEADLK), N(ENAMETOOLONG), N(ENOLCK), N(ENOSYS),
	N(EOVERFLOW), N(EOPNOTSUPP), N(ETIMEDOUT),
#ifdef EHWPOISON
	N(EHWPOISON),
#endif
	{0, 0}};

static const struct {
	const name_entry *table;
	const char *title;
} sets[SN_NAMES_COUNT] = {
	[SN_NAMES_PROT] = {prot_names, "protection"},
	[SN_NAMES_MAP] = {map_names, "mmap flag"},
	[SN_NAMES_MREMAP] = {mremap_names, "mremap flag"},
	[SN_NAMES_MADV] = {madv_names, "madvise advice"},
	[SN_NAMES_POSIX_MADV] = {posix_madv_names, "posix_madvise advice"},
	[SN_NAMES_MS] = {ms_names, "msync flag"},
	[SN_NAMES_MCL] = {mcl_names, "mlockall flag"},
};

static const name_entry *table_lookup(const name_entry *t, const char *name, size_t len)
{
	for (; t->name; t++)
		if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

bool name_lookup(sn_names set, const char *name, size_t len, uint64_t *out)
{
	const name_entry *e = table_lookup(sets[set].table, name, len);
	if (e)
		*out = e->value;
	return e != NULL;
}

const char *names_title(sn_names set)
{
	return sets[set].title;
}

bool errno_lookup(const char *name, size_t len, int *out)
{
	const name_entry *e = table_lookup(errno_names, name, len);
	if (e)
		*out = (int)e->value;
	return e != NULL;
}

const char *errno_name(int err)
{
	for (const name_entry *e = errno_names; e->name; e++)
		if ((int)e->value == err)
			return e->name;
	return NULL;
}
