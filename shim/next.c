#include <dlfcn.h>
#include <string.h>

#include "next.h"
#include "state.h"

shim_next_table shim_next;

void *next_get(void *slot, const char *name)
{
	void **p = slot;
	void *fn = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	if (fn)
		return fn;
	fn = dlsym(RTLD_NEXT, name);
	__atomic_store_n(p, fn, __ATOMIC_RELEASE);
	return fn;
}

static bool is_libc(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strncmp(base, "libc.so", 7) == 0 || strncmp(base, "libc-", 5) == 0;
}

/* RTLD_DEFAULT, not RTLD_NEXT: a malloc defined by the executable itself
 * comes first in the lookup order and is the one the program uses. */
static bool libc_supplies_malloc(void)
{
	Dl_info info;
	void *m = dlsym(RTLD_DEFAULT, "malloc");
	if (!m || !dladdr(m, &info) || !info.dli_fname)
		return false;
	return is_libc(info.dli_fname);
}

void next_resolve_all(void)
{
	NEXT(free);
	NEXT(realloc);
	NEXT(brk);
	NEXT(sbrk);
	NEXT(sigaction);
	NEXT(signal);
	NEXT(bsd_signal);
	NEXT(sysv_signal);
	__atomic_store_n(&shim.check_free, libc_supplies_malloc(), __ATOMIC_RELEASE);
}
