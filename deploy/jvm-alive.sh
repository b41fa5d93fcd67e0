#!/bin/sh
# Container liveness check until the services serve /health/live and /health/ready (issue 6):
# succeeds while a java process runs MAIN_CLASS and is neither a zombie nor stopped.
# Usage: jvm-alive MAIN_CLASS
# It cannot see a service that is alive but stuck (a dead stream thread, a sink retrying a lost
# database); the HTTP health endpoints will, and docker-compose.yml switches to them then.
main_class="${1:?usage: jvm-alive MAIN_CLASS}"
for dir in /proc/[0-9]*; do
  # arguments are NUL-separated; this script's own command line starts with "sh", not "java"
  args="$(tr '\000' ' ' < "$dir/cmdline" 2>/dev/null)" || continue
  case "$args" in
    java\ *" $main_class "*|java\ *" $main_class")
      state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "$dir/status" 2>/dev/null)"
      case "$state" in
        Z|T|X|'') ;;
        *) exit 0 ;;
      esac
      ;;
  esac
done
echo "no live java process runs $main_class" >&2
exit 1
