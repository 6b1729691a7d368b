/* Forks again and again while another thread is inside mmap and munmap.
 * Each child must still be able to map and unmap: the runtime's lock must
 * not be inherited held. */
#include "prog.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#define FORKS 40

static atomic_int stop;

static void *churn(void *arg)
{
	(void)arg;
	size_t page = page_size();
	while (!atomic_load(&stop)) {
		char *p = map_anon(4 * page);
		p[0] = 1;
		if (munmap(p, 4 * page) != 0)
			die("munmap");
	}
	return NULL;
}

static void child(void)
{
	size_t page = page_size();
	for (int i = 0; i < 16; i++) {
		char *p = map_anon(page);
		p[0] = 1;
		if (munmap(p, page) != 0)
			_exit(3);
	}
	_exit(0);
}

int main(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, churn, NULL) != 0)
		die("pthread_create");
	int failed = 0;
	for (int i = 0; i < FORKS; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			child();
		int status;
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("%d children failed\n", failed);
	printf("done\n");
	return failed != 0;
}
