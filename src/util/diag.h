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

#include <stddef.h>

void ry_diag_set_cmd(const char *cmd);
const char *ry_diag_cmd(void);

/* `rustyc CMD: ` + the formatted text + newline. */
void ry_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Input quoted in a message: escaped as ry_buf_escape does (a newline or
 * terminal escape in an argument or a list line shows as \xNN) and cut
 * to about RY_QUOTE_MAX characters, ending in "..." and the input's
 * length, so a 1 MiB line still makes a one-line message.  Returns one
 * of four thread-local buffers in turn: up to four quotes per message. */
#define RY_QUOTE_MAX 200
const char *ry_quote(const char *s);
const char *ry_quote_n(const void *s, size_t n);

#endif
