/* A malloc/free workload with sizes from 1 KiB to 4 MiB, deterministic, so
 * that its output is the same under any allocator. */
#include "prog.h"

#define SLOTS 64
#define ROUNDS 3000

int main(void)
{
	unsigned char *slot[SLOTS] = {0};
	size_t len[SLOTS] = {0};
	uint64_t seed = 42, sum = 0;
	for (int i = 0; i < ROUNDS; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int s = (int)((seed >> 33) % SLOTS);
		if (slot[s]) {
			sum += slot[s][0] + slot[s][len[s] - 1];
			free(slot[s]);
		}
		/* Mostly small, now and then huge: 1 KiB << 0..12. */
		unsigned shift = (unsigned)((seed >> 40) % 13);
		if (shift > 8 && (seed >> 20) % 4 != 0)
			shift -= 6;
		len[s] = (size_t)1024 << shift;
		len[s] += (seed >> 50) % 1000;
		if (len[s] > 4u << 20)
			len[s] = 4u << 20;
		slot[s] = malloc(len[s]);
		if (!slot[s])
			die("malloc");
		memset(slot[s], (int)(i & 0xff), len[s]);
		if (i % 7 == 0) {
			unsigned char *r = realloc(slot[s], len[s] * 2);
			if (!r)
				die("realloc");
			slot[s] = r;
			len[s] *= 2;
			r[len[s] - 1] = (unsigned char)i;
		}
	}
	for (int s = 0; s < SLOTS; s++) {
		if (slot[s])
			sum += slot[s][0] + slot[s][len[s] - 1];
		free(slot[s]);
	}
	printf("checksum %llu\n", (unsigned long long)sum);
	return 0;
}
