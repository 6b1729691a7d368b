/* Two clean children: every process of the run, erring or not, leaves its
 * log file, which is how the launcher counts processes. */
#include <sys/wait.h>

#include "prog.h"

int main(void)
{
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			char *p = map_anon(page_size());
			p[0] = 1;
			munmap(p, page_size());
			_exit(0);
		}
		int status = 1;
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
			die("fork");
		printf("child %d\n", (int)pid);
	}
	printf("parent %d\n", (int)getpid());
	return 0;
}
