package io.kubetwin.bench.load;

/**
 * What one measured phase gave.
 *
 * @param requests answered requests with the expected status
 * @param errors other answers and failures
 * @param seconds the measured phase's length
 * @param p50Millis median latency of the expected answers
 * @param p99Millis 99th percentile latency
 * @param firstError the first error seen, or null
 */
public record LoadResult(
        long requests, long errors, double seconds, double p50Millis, double p99Millis, String firstError) {
    public double perSecond() {
        return seconds <= 0 ? Double.NaN : requests / seconds;
    }
}
