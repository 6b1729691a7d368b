/* The definitions our interposed symbols hide, found with dlsym(RTLD_NEXT).
 * Only for calls whose semantics are libc's own (free, realloc, brk, sbrk,
 * the signal API); the mmap family goes to the kernel directly. */
#ifndef MAPSAN_NEXT_H
#define MAPSAN_NEXT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*shim_sighandler)(int);

typedef struct {
	void (*free)(void *);
	void *(*realloc)(void *, size_t);
	int (*brk)(void *);
	void *(*sbrk)(intptr_t);
	int (*sigaction)(int, const struct sigaction *, struct sigaction *);
	shim_sighandler (*signal)(int, shim_sighandler);
	shim_sighandler (*bsd_signal)(int, shim_sighandler);
	shim_sighandler (*sysv_signal)(int, shim_sighandler);
} shim_next_table;

extern shim_next_table shim_next;

/* dlsym(RTLD_NEXT, name), stored in *slot once found. The caller decides
 * whether the guard is held: dlsym may call malloc, and malloc may map. */
void *next_get(void *slot, const char *name);
#define NEXT(field) \
	((__typeof__(shim_next.field))next_get(&shim_next.field, #field))

/* From the constructor: every symbol, and whether libc supplies malloc. */
void next_resolve_all(void);

#endif
