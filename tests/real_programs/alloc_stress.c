/* A malloc workload for whichever allocator is preloaded: small, medium and
 * huge blocks, realloc growth, aligned blocks, four threads of churn, and a
 * fork from a fresh thread in the middle, whose child keeps allocating
 * (argument "nofork" leaves it out). Prints a checksum that does not depend
 * on addresses, so runs can be compared. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 3000
#define SLOTS 64

static uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return *s >> 33;
}

static size_t pick_size(uint64_t *s)
{
	uint64_t r = next_rand(s) % 100;
	if (r < 70)
		return 1 + next_rand(s) % 512;
	if (r < 95)
		return 4096 + next_rand(s) % 65536;
	return (1u << 20) + next_rand(s) % (4u << 20);
}

/* Touches the head, the middle and the tail: enough to fault in pages the
 * allocator handed out, without the workload becoming a memset benchmark. */
static uint64_t fill_and_sum(unsigned char *p, size_t n, unsigned char v)
{
	size_t head = n < 4096 ? n : 4096;
	memset(p, v, head);
	p[n / 2] = v;
	p[n - 1] = v;
	return (uint64_t)p[0] + p[n / 2] + p[n - 1];
}

static uint64_t churn(uint64_t seed)
{
	void *slot[SLOTS] = {0};
	size_t size[SLOTS] = {0};
	uint64_t sum = 0;

	for (int i = 0; i < ROUNDS; i++) {
		unsigned k = (unsigned)(next_rand(&seed) % SLOTS);
		if (slot[k] && next_rand(&seed) % 3 == 0) {
			size_t n = size[k] < (1u << 20) ? size[k] * 2 + 1 : size[k] / 4;
			unsigned char *q = realloc(slot[k], n);
			if (!q)
				abort();
			sum += q[0] + fill_and_sum(q, n, (unsigned char)i);
			slot[k] = q;
			size[k] = n;
			continue;
		}
		free(slot[k]);
		size[k] = pick_size(&seed);
		slot[k] = malloc(size[k]);
		if (!slot[k])
			abort();
		sum += fill_and_sum(slot[k], size[k], (unsigned char)k);
	}
	for (int k = 0; k < SLOTS; k++)
		free(slot[k]);
	return sum;
}

static uint64_t aligned_and_huge(void)
{
	uint64_t sum = 0;
	for (size_t align = 16; align <= (1u << 21); align <<= 3) {
		void *p = NULL;
		if (posix_memalign(&p, align, align * 3) != 0 || ((uintptr_t)p & (align - 1)))
			abort();
		sum += fill_and_sum(p, align * 3, 3);
		free(p);
	}
	unsigned char *huge = calloc(64u << 20, 1);
	if (!huge)
		abort();
	sum += huge[(32u << 20) + 5] + fill_and_sum(huge, 64u << 20, 9);
	free(huge);
	return sum;
}

static void *thread_main(void *arg)
{
	uint64_t *out = arg;
	*out = churn(*out);
	return NULL;
}

static uint64_t threads(uint64_t base)
{
	pthread_t t[THREADS];
	uint64_t v[THREADS], sum = 0;
	for (int i = 0; i < THREADS; i++) {
		v[i] = base + (uint64_t)i;
		if (pthread_create(&t[i], NULL, thread_main, &v[i]) != 0)
			abort();
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		sum += v[i];
	}
	return sum;
}

/* The child allocates in the state the fork left: other threads' arenas
 * locked or not, caches half full. */
static int forked_child(void)
{
	int status;
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0)
		_exit((int)((churn(7) + threads(70)) % 199));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

struct fork_arg {
	int status;
};

static void *fork_from_thread(void *arg)
{
	((struct fork_arg *)arg)->status = forked_child();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t busy[2], forker;
	uint64_t busy_seed[2] = {100, 200};
	struct fork_arg fa = {0};
	int with_fork = !(argc > 1 && strcmp(argv[1], "nofork") == 0);

	printf("churn %llu\n", (unsigned long long)churn(1));
	printf("aligned %llu\n", (unsigned long long)aligned_and_huge());
	printf("threads %llu\n", (unsigned long long)threads(10));
	for (int i = 0; i < 2; i++)
		pthread_create(&busy[i], NULL, thread_main, &busy_seed[i]);
	if (with_fork) {
		pthread_create(&forker, NULL, fork_from_thread, &fa);
		pthread_join(forker, NULL);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(busy[i], NULL);
	printf("busy %llu %llu\n", (unsigned long long)busy_seed[0], (unsigned long long)busy_seed[1]);
	printf("child %d\n", fa.status);
	return 0;
}
