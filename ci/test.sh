#!/usr/bin/env bash
# Runs all the tests: builds (or reuses) the real reference control plane and etcdctl from the official Go modules,
# then every module's tests and the conformance suites against the fake and the reference, comparing them.
# This is the test command of README.md; .ci/run installs what a fresh machine lacks and calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash ci/reference/build-reference.sh | tail -1)
export KUBETWIN_REFERENCE_BIN="$bin"
# The real etcdctl of the same etcd release, for the fake etcd's etcdctl suite (its own cache directory)
KUBETWIN_ETCDCTL=$(bash ci/reference/build-etcdctl.sh | tail -1)
export KUBETWIN_ETCDCTL
exec mvn -B -ntp verify -Dkubetwin.targets=fake,reference "$@"
