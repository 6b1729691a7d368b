#ifndef MAPSAN_FAULT_INJECT_H
#define MAPSAN_FAULT_INJECT_H

#include <stdbool.h>

/* fail_mmap (SPEC §2): whether this checked mmap is to fail with ENOMEM. */
bool fault_inject_mmap(void);

#endif
