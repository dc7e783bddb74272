unit-sha256 := lib/sha256.c lib/string.c
