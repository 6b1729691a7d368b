/* Allocates 2 MiB-aligned chunks as a jemalloc arena would, uses them and
 * gives them back. */
#include "chunk.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHUNK_SIZE (2u << 20)
#define CHUNKS 4

int main(void)
{
	void *chunks[CHUNKS];
	for (int i = 0; i < CHUNKS; i++) {
		chunks[i] = chunk_alloc(CHUNK_SIZE, CHUNK_SIZE);
		if (!chunks[i]) {
			perror("chunk_alloc");
			return 1;
		}
		if ((uintptr_t)chunks[i] % CHUNK_SIZE != 0) {
			fprintf(stderr, "chunk-demo: chunk %p is misaligned\n", chunks[i]);
			return 1;
		}
		memset(chunks[i], i + 1, CHUNK_SIZE);
	}
	unsigned long sum = 0;
	for (int i = 0; i < CHUNKS; i++) {
		const unsigned char *c = chunks[i];
		sum += c[0] + c[CHUNK_SIZE - 1];
		chunk_free(chunks[i], CHUNK_SIZE);
	}
	printf("chunk-demo: %d chunks of %u bytes, checksum %lu\n", CHUNKS, CHUNK_SIZE, sum);
	return sum == 20 ? 0 : 1;
}
