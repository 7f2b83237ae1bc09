/* util/stop: signals become a stop request and an exit status. */
#include <signal.h>

#include "tap.h"
#include "util/stop.h"

int main(void)
{
	is_int(ry_stop_status(), 0, "no signal: status 0");
	ok(!atomic_load(&ry_stop_flag), "and no stop asked");
	ry_stop_catch();
	raise(SIGTERM);
	ok(atomic_load(&ry_stop_flag), "SIGTERM, caught, asks to stop");
	is_int(ry_stop_status(), 143, "status 128 + SIGTERM");
	raise(SIGINT);
	is_int(ry_stop_status(), 143, "a later SIGINT does not change which signal stopped it");
	return done_testing();
}
