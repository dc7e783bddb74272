#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 partitions, booted through U-Boot + FIT (the `make run` path): the default layout's
# two partitions run the shared-memory ping-pong (guests/arm64/pingpong.c). "control" owns
# "ring0" and writes 64 checksummed messages; "worker" verifies them through its read-only
# window and acknowledges in "mbox", which "control" borrows read-write and answers through.
# Both check that their DTB and SHM_INFO carry guest addresses only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/part.sh"

part_test arm64_part_pingpong pingpong uboot 180 \
    'U-Boot 20.*' 'Starting kernel \.\.\.' \
    'control: dt: guest addresses only .*' 'worker: dt: guest addresses only .*' \
    'control: pingpong: producer: 64 messages acknowledged, digest 0x[0-9a-f]+ matches' \
    'worker: pingpong: consumer: 64 messages verified' \
    'worker: pingpong: consumer: answer received through mbox' \
    'control: guest: PASS' 'worker: guest: PASS'
