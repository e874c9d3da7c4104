#!/usr/bin/env bash
# Builds the examples and starts the main one on embedded defaults (no external server needed).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
exec java -jar streamkit-examples/target/streamkit-examples.jar relay "$@"
