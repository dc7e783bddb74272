/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The packed guest images and their table (struct guest_image, include/hv/guest_image.h).
 * GUEST_IMAGES_INC names the assembly the build generated from the configured DTB
 * (guests/build.mk, guests/pack.sh): .incbin of every referenced image, then
 * guest_image_table[] and guest_image_count.
 */
#include GUEST_IMAGES_INC
