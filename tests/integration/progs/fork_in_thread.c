/* fork() from a second thread after the allocator is up: the allocator's
 * pthread_atfork handlers run on the forking thread while the runtime holds
 * its lock for the fork, and may call madvise. */
#include <pthread.h>
#include <sys/wait.h>

#include "prog.h"

static void *fork_once(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int status = 1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		die("fork");
	return NULL;
}

int main(void)
{
	free(malloc(64));
	for (int i = 0; i < 4; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, fork_once, NULL) || pthread_join(t, NULL))
			die("pthread");
	}
	puts("done");
	return 0;
}
