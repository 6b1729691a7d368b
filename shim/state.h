/* The runtime's process-wide state and its lazy initialisation. */
#ifndef MAPSAN_STATE_H
#define MAPSAN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "mapsan/machine.h"

enum { SHIM_UNINIT, SHIM_RUNNING, SHIM_READY, SHIM_FAILED };

typedef struct {
	int phase;              /* SHIM_*, read with acquire */
	ms_machine *machine;
	uint64_t page;
	uint64_t page_mask;     /* page - 1 */
	bool check_free;        /* libc's malloc is the process's malloc */
} shim_state;

extern shim_state shim;

static inline bool shim_ready(void)
{
	return __atomic_load_n(&shim.phase, __ATOMIC_ACQUIRE) == SHIM_READY;
}

/* Brings the machine up on first use; true when it is ready. Safe from any
 * context that holds the guard, including before the constructor. */
bool shim_init(void);

/* Options in force: whether a written report of this severity halts. */
bool shim_should_halt(ms_severity sev);


/* os_contract.c: the model's ms_os, on raw mmap/munmap. */
ms_os os_contract(void);

#endif
