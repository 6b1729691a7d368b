/* fork() from a signal handler that interrupts a thread inside the runtime:
 * the main thread churns mappings while another thread signals it, and the
 * handler forks a child that exits at once. */
#include "prog.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static volatile sig_atomic_t forks, stop;

static void on_usr1(int sig)
{
	(void)sig;
	int saved = errno;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0 && waitpid(pid, NULL, 0) == pid)
		forks++;
	errno = saved;
}

static void *signaller(void *arg)
{
	pthread_t main_thread = *(pthread_t *)arg;
	while (!stop) {
		pthread_kill(main_thread, SIGUSR1);
		usleep(200);
	}
	return NULL;
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	pthread_t self = pthread_self(), t;
	if (pthread_create(&t, NULL, signaller, &self) != 0)
		die("pthread_create");
	size_t len = 16 * page_size();
	for (int i = 0; i < 20000 && forks < 300; i++) {
		char *p = map_anon(len);
		p[0] = 1;
		if (munmap(p, len) != 0)
			die("munmap");
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("forks %d\ndone\n", (int)forks);
	return 0;
}
