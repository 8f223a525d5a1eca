#!/usr/bin/env bash
# Installs the Debian packages lcm runs for real when they are missing: etcd (the API server's
# store), ostree (hosts' OS trees), docker-registry (seed images), skopeo (the benchmark's reference),
# prometheus (alerts and PromQL update risks).
# Needs root for apt; without root it only says what is missing.
set -euo pipefail

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
command -v ostree >/dev/null 2>&1 || missing+=(ostree)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "lcm: missing Debian packages: ${missing[*]} — install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "lcm: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || echo "lcm: apt-get update failed; trying the install with the cached package lists" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
