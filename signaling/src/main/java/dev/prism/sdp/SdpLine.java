package dev.prism.sdp;

/** A line Prism keeps but does not interpret (i=, u=, e=, p=, r=, z=, k=), in its original order. */
public record SdpLine(char type, String value) {}
