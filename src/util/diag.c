#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

	if (cmd_name)
		n = snprintf(line, sizeof line, "rustyc %s: ", cmd_name);
	else
		n = snprintf(line, sizeof line, "rustyc: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	/* One write per line; nothing useful to do if stderr is gone. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}
