#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher.h"

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NFORWARDED (sizeof forwarded / sizeof forwarded[0])

static volatile sig_atomic_t child;

static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	/* A signal from the terminal reaches the child through its process
	 * group already; only one sent with kill() needs passing on. */
	if (child > 0 && si->si_code <= 0)
		kill((pid_t)child, sig);
}

static void signals_block(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void signals_forward(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NFORWARDED; i++) {
		struct sigaction was;
		/* An ignored signal (nohup, a background job) stays ignored, for
		 * us and, across exec, for the command. */
		if (sigaction(forwarded[i], NULL, &was) == 0 && was.sa_handler == SIG_IGN)
			continue;
		sigaction(forwarded[i], &sa, NULL);
	}
}

static _Noreturn void exec_child(const launch_args *a, const char *runtime,
				 const char *log_dir, const sigset_t *mask)
{
	for (size_t i = 0; i < NFORWARDED; i++) {
		struct sigaction was;
		if (sigaction(forwarded[i], NULL, &was) == 0 && was.sa_handler != SIG_IGN)
			signal(forwarded[i], SIG_DFL);
	}
	sigprocmask(SIG_SETMASK, mask, NULL);
	child_env_apply(a, runtime, log_dir);
	execvp(a->cmd[0], a->cmd);
	int err = errno;
	fprintf(stderr, "mapsan: %s: %s\n", a->cmd[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

int run_command(const launch_args *a, const char *runtime, const char *log_dir, int *pid)
{
	sigset_t old;
	int status;
	pid_t p;

	fflush(NULL);
	signals_block(&old);
	signals_forward();
	p = fork();
	if (p == 0)
		exec_child(a, runtime, log_dir, &old);
	if (p < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		fprintf(stderr, "mapsan: fork: %s\n", strerror(errno));
		return -1;
	}
	child = p;
	*pid = p;
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (waitpid(p, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "mapsan: waitpid: %s\n", strerror(errno));
			return -1;
		}
	}
	child = 0;
	return status;
}
