/* The log file of log_path: PATH.PID, one per process. */
#ifndef MAPSAN_LOG_FILE_H
#define MAPSAN_LOG_FILE_H

/* Creates this process's file now, when log_path is set and it has none
 * yet. Every process of a run leaves a file, clean ones too, which is how
 * the launcher counts them. Call where only one thread runs: the
 * constructor and the fork child handler. */
void log_file_open(void);

/* Where reports go: the log file, or stderr when log_path is unset or the
 * file cannot be created (said once on stderr). Report path only. */
int log_file_fd(void);

#endif
