#!/bin/sh
# Starts the service on a host the way the team's runbook says.
set -eu
docker run -d --name webapp \
  --cap-add SYS_ADMIN \
  --security-opt seccomp=unconfined \
  -p 8000:8000 \
  example/webapp:latest
