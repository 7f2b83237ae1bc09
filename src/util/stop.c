#include "util/stop.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

atomic_bool ry_stop_flag;
static atomic_int stop_sig;	/* the first signal that asked */

void ry_stop_request(int sig)
{
	int none = 0;

	atomic_compare_exchange_strong(&stop_sig, &none, sig);
	atomic_store(&ry_stop_flag, true);
}

static void on_signal(int sig)
{
	ry_stop_request(sig);
}

void ry_stop_catch(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ry_stop_status(void)
{
	int sig = atomic_load(&stop_sig);

	return sig ? 128 + sig : 0;
}
