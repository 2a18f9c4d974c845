/** The load generator, the measured operations, the objects seeded before them and the watch fan-out. */
package io.kubetwin.bench.load;
