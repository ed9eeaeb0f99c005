#!/bin/sh
# Builds the peripherals test classes and runs the STPM34 day benchmark (JMH): one STPM34 DSP over a
# simulated day of steady load, with LED pulses on/off and with/without a latch+read every second.
# Prints JMH's table; the score is milliseconds of wall time per simulated day.
# Usage: docs/bench/stpm34-day.sh [extra JMH options, e.g. -f 1 -wi 2 -i 3]
set -e
cd "$(dirname "$0")/../.."
mvn -q -pl peripherals -am test-compile -o
mvn -q -pl peripherals dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath -o
CP="peripherals/target/test-classes:peripherals/target/classes:emulator-core/target/classes:$(cat peripherals/target/bench.classpath)"
exec java -cp "$CP" org.openjdk.jmh.Main 'Stpm34DayBench' "$@"
