package dev.prism.sfu.cc;

/** The over-use detector's hypothesis about the bottleneck (draft-ietf-rmcat-gcc-02 §5.4). */
public enum BandwidthUsage {
    NORMAL,
    UNDERUSE,
    OVERUSE
}
