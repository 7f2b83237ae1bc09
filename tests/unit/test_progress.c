/* util/progress: the bar's text is bounded whatever count it is given
 * (a sweep once passed 1056/1022 and wrote past the bar's buffer). */
#include <string.h>

#include "util/progress.h"
#include "tap.h"

int main(void)
{
	char line[128], tiny[8];
	size_t n;

	n = ry_progress_format(line, sizeof line, 15, 30, "hosts");
	is_str(line, "\r[###############...............] 15/30 hosts  50%", "half way");
	is_int(n, strlen(line), "the length returned is the text's");
	ry_progress_format(line, sizeof line, 1056, 1022, "hosts");
	is_str(line, "\r[##############################] 1022/1022 hosts 100%",
	       "a count past the total shows as full, never past it");
	ry_progress_format(line, sizeof line, (size_t)-1, 3, "names");
	ok(strstr(line, "3/3 names 100%") != NULL, "even the largest count");
	ry_progress_format(line, sizeof line, 0, 0, "names");
	ok(strstr(line, "0/0 names 100%") != NULL, "an empty run is complete");
	n = ry_progress_format(tiny, sizeof tiny, 5, 10, "hosts");
	ok(n == sizeof tiny - 1 && tiny[sizeof tiny - 1] == '\0', "a small buffer is cut, not overrun");
	return done_testing();
}
