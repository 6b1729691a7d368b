/* The parent is clean; the child it forks unmaps a mapping twice. */
#include "prog.h"

#include <sys/wait.h>

int main(void)
{
	size_t page = page_size();
	char *p = map_anon(page);
	p[0] = 1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		munmap(p, page);
		munmap(p, page);
		_exit(0);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	printf("child %d exit %d\n", (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	munmap(p, page);
	printf("done\n");
	return 0;
}
