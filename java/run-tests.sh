#!/bin/sh
# run-tests.sh: builds the Java peer and its tests against one JeroMQ jar, then runs the tests.
#
#   java/run-tests.sh JEROMQ_JAR [DEPENDENCY_JAR...]
#   java/run-tests.sh /usr/share/java/jeromq.jar                              # 0.3.6, bookworm
#   java/run-tests.sh .../jeromq-0.6.0.jar .../jnacl-1.0.jar                  # 0.6.0, trixie
#
# Classes go to target/java-tests/<jar name>/ under the repository root. FILTER=text runs only
# the tests whose name contains it.
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 JEROMQ_JAR [DEPENDENCY_JAR...]" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
engine=$1
classpath=$1
shift
for jar in "$@"; do classpath="$classpath:$jar"; done
out="$root/target/java-tests/$(basename "$engine" .jar)"
rm -rf "$out"
mkdir -p "$out/classes" "$out/test-classes"
# -Xlint:-path: Debian's 0.6.0 jar names /usr/share/java/jnacl.jar in its manifest Class-Path;
# where the jar is unpacked elsewhere that path does not exist and javac's path lint would fail
# the build over the jar's packaging, not over our sources. Every other lint stays an error.
lint="-Xlint:all -Xlint:-path -Werror"
javac --release 17 $lint -d "$out/classes" -cp "$classpath" "$root"/java/src/zmqinterop/*.java
javac --release 17 $lint -d "$out/test-classes" -cp "$classpath:$out/classes" "$root"/java/tests/zmqinterop/*.java
exec java -cp "$classpath:$out/classes:$out/test-classes" zmqinterop.TestRunner "$root" "${FILTER:-}"
