/* Eight threads mapping, touching, protecting and unmapping at once. */
#include "prog.h"

#include <pthread.h>

#define THREADS 8
#define ROUNDS 1500

static void *churn(void *arg)
{
	size_t page = page_size();
	unsigned seed = (unsigned)(uintptr_t)arg;
	char *keep[4] = {0};
	size_t keep_len[4] = {0};
	for (int i = 0; i < ROUNDS; i++) {
		seed = seed * 1103515245u + 12345u;
		size_t len = page * (1 + (seed >> 16) % 16);
		char *p = map_anon(len);
		p[0] = (char)i;
		p[len - 1] = (char)i;
		if (mprotect(p, len, PROT_READ | PROT_WRITE) != 0 ||
		    madvise(p, len, MADV_NORMAL) != 0)
			die("mprotect/madvise");
		int slot = i % 4;
		if (keep[slot] && munmap(keep[slot], keep_len[slot]) != 0)
			die("munmap");
		keep[slot] = p;
		keep_len[slot] = len;
	}
	for (int s = 0; s < 4; s++)
		if (keep[s])
			munmap(keep[s], keep_len[s]);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)(i + 1)) != 0)
			die("pthread_create");
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("done\n");
	return 0;
}
