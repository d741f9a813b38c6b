package dev.prism.rtcp;

/**
 * Receives 16-bit sequence numbers one at a time, e.g. from {@link TransportLayerNack#forEachLost}.
 * A primitive callback so walking a NACK allocates nothing; implement it on a long-lived object
 * rather than with a capturing lambda on the hot path.
 */
@FunctionalInterface
public interface SequenceNumberConsumer {
    void accept(int sequenceNumber);
}
