#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/out.h"
#include "util/progress.h"

static const char *cmd_name;

void ry_diag_set_cmd(const char *cmd)
{
	cmd_name = cmd;
}

const char *ry_diag_cmd(void)
{
	return cmd_name;
}

void ry_err(const char *fmt, ...)
{
	char line[1024];
	int n;
	va_list ap;

	/* A progress bar on the line goes first, in the same write. */
	n = ry_progress_take_line() ? snprintf(line, sizeof line, "\r\033[K") : 0;
	if (cmd_name)
		n += snprintf(line + n, sizeof line - (size_t)n, "rustyc %s: ", cmd_name);
	else
		n += snprintf(line + n, sizeof line - (size_t)n, "rustyc: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	/* One write per line; nothing useful to do if stderr is gone. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

const char *ry_quote_n(const void *p, size_t n)
{
	/* Room for the cut text, "... (N bytes)" and the NUL. */
	static _Thread_local char bufs[4][RY_QUOTE_MAX + 4 + 32];
	static _Thread_local unsigned next;
	char *out = bufs[next++ % 4];
	const unsigned char *s = p;
	size_t o = 0, i;

	for (i = 0; i < n && o + 4 <= RY_QUOTE_MAX; i++)
		o += ry_escape_byte(s[i], out + o);
	if (i < n)
		o += (size_t)snprintf(out + o, sizeof bufs[0] - o, "... (%zu bytes)", n);
	out[o] = '\0';
	return out;
}

const char *ry_quote(const char *s)
{
	return ry_quote_n(s, strlen(s));
}
