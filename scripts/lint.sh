#!/bin/sh
# Rejects the banned unsafe C functions (see docs/style.md) anywhere in src/.
set -eu
cd "$(dirname "$0")/.."
banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|atoll|gets)[[:space:]]*\('
if grep -rnE "$banned" src/ tests/ bench/ 2>/dev/null | grep -v '^\s*//' ; then
	echo "lint: banned function used (use snprintf, memcpy with a size, strtoll via yl helpers)" >&2
	exit 1
fi
echo "lint: no banned functions"
