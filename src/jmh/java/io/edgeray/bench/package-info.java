/**
 * JMH micro-benchmarks of edgeray's per-request hot paths. Each class says what it measures.
 *
 * <p>Build and run (the {@code bench} Maven profile adds this source root and the JMH processor):
 *
 * <pre>
 * mvn -P bench -DskipTests package
 * java -jar target/benchmarks.jar -prof gc                 # all, with allocation per operation
 * java -jar target/benchmarks.jar HeaderRewrite -prof gc   # one class
 * </pre>
 *
 * Read {@code gc.alloc.rate.norm} (bytes per operation) beside the score: the hot path should
 * allocate as little as it can, since every byte is paid again by the collector on the event loop's
 * core. See bench/README.md.
 */
package io.edgeray.bench;
