# Shared by the build-*.sh and record-*.sh scripts of ci/reference (sourced, not run).
# shellcheck shell=bash

# Sets print_only from the scripts' one optional argument, --print-only (never build: answer from the cache or exit 3).
parse_print_only() {
  print_only=false
  case "${1:-}" in
    --print-only) print_only=true ;;
    "") ;;
    *) echo "usage: $0 [--print-only]" >&2; exit 2 ;;
  esac
}

# k8s.io/kubernetes points its staging modules at ./staging/...; outside its own tree those must be replaced by the
# published v0.X.Y modules of the same release. Run in the generated module's directory, after its go.mod is written.
replace_kubernetes_staging() {
  go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" > download.json
  local gomod
  gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' download.json)
  grep -E '^\s+k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk '{print $1}' | while read -r m; do
    echo "replace $m => $m $STAGING_VERSION" >> go.mod
  done
  export GOFLAGS=-mod=mod
  go mod tidy -e >&2 || true
}

# The release stamped into the binaries as Kubernetes' own build does (hack/lib/version.sh), so that /version and
# --version report the pinned release instead of v0.0.0-master.
kubernetes_ldflags() {
  local minor vpkg=k8s.io/component-base/version
  minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  echo "-X $vpkg.gitVersion=$KUBERNETES_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor" \
    "-X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z" \
    "-X $vpkg.gitCommit=0000000000000000000000000000000000000000"
}

# A throwaway Go module for one recorder program of ci/reference: copies DIR/main.go into a fresh directory (removed
# when the script exits), writes a go.mod named after DIR that requires the given "module version" lines, resolves
# it, and leaves the script in that directory with $work pointing at it.
recorder_module() {
  local src=$1 name
  shift
  name=$(basename "$src" | tr -d -)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp "$src/main.go" "$work/"
  cd "$work"
  {
    printf 'module kubetwin.local/%s\n\ngo 1.24.0\n\nrequire (\n' "$name"
    printf '\t%s\n' "$@"
    printf ')\n'
  } > go.mod
  export GOFLAGS=-mod=mod
  go mod tidy -e >&2
}
