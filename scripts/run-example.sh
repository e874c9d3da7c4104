#!/usr/bin/env bash
# Builds the examples and starts the main one, the restreamer, on embedded defaults: dashboard, API
# and metrics on http://127.0.0.1:8080/, RTMP ingest on 1935, SRT on UDP 8890, configuration in
# ./streamkit-data (an embedded database; no external server needed). It prints the dashboard URL
# and how to log in the first time (a one-time setup link, or STREAMKIT_ADMIN_EMAIL and
# STREAMKIT_ADMIN_PASSWORD when set).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
exec java -jar streamkit-examples/target/streamkit-examples.jar restreamer "$@"
