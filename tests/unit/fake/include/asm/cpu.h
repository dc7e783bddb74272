/* SPDX-License-Identifier: Apache-2.0 */
/* Fake arch for host unit tests: no inline CPU primitives. */
#pragma once
