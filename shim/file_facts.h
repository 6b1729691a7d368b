#ifndef MAPSAN_FILE_FACTS_H
#define MAPSAN_FILE_FACTS_H

#include "mapsan/machine.h"

/* What the model needs to know about fd for allow_sealed_files (SPEC §3.1,
 * mmap rule 3): three raw syscalls, only for file mappings. */
void file_facts_gather(int fd, ms_file_facts *out);

#endif
