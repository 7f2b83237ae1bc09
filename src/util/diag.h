/*
 * diag: the one path for diagnostics on stderr.
 *
 * Every message reads `rustyc CMD: what failed: why`, lowercase, with the
 * input quoted.  main sets CMD once before dispatching.  Each call writes
 * one whole line with one write, so lines from several threads never mix.
 *
 * Thread safety: ry_diag_set_cmd before any thread starts; the rest from
 * any thread.
 */
#ifndef RY_UTIL_DIAG_H
#define RY_UTIL_DIAG_H

void ry_diag_set_cmd(const char *cmd);
const char *ry_diag_cmd(void);

/* `rustyc CMD: ` + the formatted text + newline. */
void ry_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
