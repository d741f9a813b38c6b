package dev.prism.sdp;

/** An attribute the model does not know, kept verbatim; value null for a flag ({@code a=name}). */
public record Attribute(String name, String value) {

    String toSdpValue() {
        return value == null ? name : name + ':' + value;
    }
}
