// SPDX-License-Identifier: Apache-2.0
/*
 * Host tests of the run-time lock-order checker (core/lockorder.c) through the classed
 * spinlocks of include/hv/spinlock.h: the documented order is accepted, every kind of
 * violation is reported with both lock classes, CPUs are tracked separately, unclassed
 * locks are not tracked, and without a handler a violation panics.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hv/console.h>
#include <hv/lockorder.h>
#include <hv/printf.h>
#include <hv/spinlock.h>

#include "fake.h"
#include "fake_console.h"
#include "unit.h"

static LOCK_CLASS(outer_class, "test.outer", 10);
static LOCK_CLASS(inner_class, "test.inner", 20);

static spinlock_t outer = SPINLOCK_INIT_CLASS(&outer_class);
static spinlock_t inner = SPINLOCK_INIT_CLASS(&inner_class);
static spinlock_t plain = SPINLOCK_INIT;

static unsigned int seen;
static struct lockorder_violation last;

static void record(const struct lockorder_violation *v)
{
    seen++;
    last = *v;
}

static void setup(void)
{
    seen = 0;
    last = (struct lockorder_violation){0};
    fake_cpu_id = 0;
    lockorder_set_handler(record);
}

TEST(documented_order_is_accepted)
{
    setup();
    spin_lock(&outer);
    spin_lock(&inner);
    CHECK_EQ(lockorder_depth(), 2);
    CHECK(lockorder_held(&outer_class) && lockorder_held(&inner_class));
    spin_unlock(&inner);
    spin_unlock(&outer);
    /* Release order is free. */
    spin_lock(&outer);
    spin_lock(&inner);
    spin_unlock(&outer);
    CHECK(!lockorder_held(&outer_class));
    spin_unlock(&inner);
    CHECK_EQ(lockorder_depth(), 0);
    CHECK_EQ(seen, 0);
}

TEST(reverse_order_is_reported_with_both_locks)
{
    unsigned long before = lockorder_violations();

    setup();
    spin_lock(&inner);
    spin_lock(&outer);
    CHECK_EQ(seen, 1);
    CHECK_EQ(last.error, LOCKORDER_BAD_ORDER);
    CHECK(last.held == &inner_class);
    CHECK(last.wanted == &outer_class);
    CHECK_EQ(last.cpu, 0);
    CHECK_EQ(lockorder_violations(), before + 1);
    spin_unlock(&outer);
    spin_unlock(&inner);
    CHECK_EQ(lockorder_depth(), 0);
}

/* After an outer lock was dropped first, the inner one alone still forbids the outer. */
TEST(check_covers_every_held_lock_not_only_the_top)
{
    static LOCK_CLASS(mid_class, "test.mid", 15);
    static spinlock_t mid = SPINLOCK_INIT_CLASS(&mid_class);

    setup();
    spin_lock(&outer);
    spin_lock(&inner);
    spin_lock(&mid); /* inner (20) is held: mid (15) may not come after it */
    CHECK_EQ(seen, 1);
    CHECK(last.held == &inner_class && last.wanted == &mid_class);
    spin_unlock(&mid);
    spin_unlock(&inner);
    spin_unlock(&outer);
}

TEST(two_locks_of_one_class_are_a_violation)
{
    static spinlock_t inner2 = SPINLOCK_INIT_CLASS(&inner_class);

    setup();
    spin_lock(&inner);
    spin_lock(&inner2);
    CHECK_EQ(seen, 1);
    CHECK(last.held == &inner_class && last.wanted == &inner_class);
    spin_unlock(&inner2);
    spin_unlock(&inner);
}

/* Taking a held lock again would spin forever: the check runs before the wait. Driven
 * through the checker directly so that the test itself does not deadlock. */
TEST(recursive_acquisition_is_reported_before_waiting)
{
    setup();
    spin_lock(&outer);
    lockorder_acquire(&outer_class, &outer);
    CHECK_EQ(seen, 1);
    CHECK(last.held == &outer_class && last.wanted == &outer_class);
    lockorder_release(&outer_class, &outer);
    spin_unlock(&outer);
    CHECK_EQ(lockorder_depth(), 0);
}

TEST(too_deep_and_unbalanced_release)
{
    static struct lock_class classes[LOCKORDER_MAX_HELD + 1];
    static int locks[LOCKORDER_MAX_HELD + 1];

    setup();
    for (unsigned int i = 0; i <= LOCKORDER_MAX_HELD; i++) {
        classes[i] = (struct lock_class){"test.deep", 100 + i};
        lockorder_acquire(&classes[i], &locks[i]);
    }
    CHECK_EQ(seen, 1);
    CHECK_EQ(last.error, LOCKORDER_TOO_DEEP);
    for (unsigned int i = LOCKORDER_MAX_HELD + 1; i-- > 0;) {
        lockorder_release(&classes[i], &locks[i]);
    }
    CHECK_EQ(seen, 1);
    CHECK_EQ(lockorder_depth(), 0);
    /* Releasing a lock that is not held. */
    lockorder_release(&outer_class, &outer);
    CHECK_EQ(seen, 2);
    CHECK_EQ(last.error, LOCKORDER_NOT_HELD);
    CHECK(last.held == NULL && last.wanted == &outer_class);
    CHECK_STR(lockorder_error_name(LOCKORDER_NOT_HELD), "not held");
}

TEST(cpus_are_tracked_separately)
{
    setup();
    fake_cpu_id = 1;
    spin_lock(&inner);
    fake_cpu_id = 2;
    CHECK_EQ(lockorder_depth(), 0);
    lockorder_acquire(&outer_class, &outer); /* cpu2 holds nothing: fine */
    CHECK_EQ(seen, 0);
    lockorder_release(&outer_class, &outer);
    fake_cpu_id = 1;
    CHECK(lockorder_held(&inner_class));
    spin_unlock(&inner);
    fake_cpu_id = 0;
}

TEST(unclassed_locks_are_not_tracked)
{
    setup();
    spin_lock(&inner);
    spin_lock(&plain);
    CHECK_EQ(lockorder_depth(), 1);
    spin_unlock(&plain);
    spin_unlock(&inner);
    CHECK_EQ(seen, 0);
}

TEST(default_handler_panics_naming_both_locks)
{
    pid_t pid;
    int status;
    int pipefd[2];
    char buf[512] = {0};
    ssize_t n;

    setup();
    REQUIRE(pipe(pipefd) == 0);
    fflush(NULL);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        /* The panic message goes to the fake console: echo it, unbuffered, into the pipe. */
        dup2(pipefd[1], 1);
        setvbuf(stdout, NULL, _IONBF, 0);
        fake_console_echo = true;
        lockorder_set_handler(NULL);
        spin_lock(&inner);
        spin_lock(&outer); /* panics: arch_halt() aborts */
        _exit(0);
    }
    close(pipefd[1]);
    /* The message arrives in pieces (one write per formatted chunk): read to EOF. */
    for (size_t got = 0; got < sizeof(buf) - 1; got += (size_t)n) {
        n = read(pipefd[0], buf + got, sizeof(buf) - 1 - got);
        if (n <= 0) {
            n = (ssize_t)got;
            break;
        }
    }
    close(pipefd[0]);
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(n > 0 && strstr(buf, "PANIC") != NULL);
    CHECK(strstr(buf, "taking test.outer (rank 10) while holding test.inner (rank 20)") != NULL);
}
