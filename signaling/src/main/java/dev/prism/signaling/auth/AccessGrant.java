package dev.prism.signaling.auth;

/** What a verified access token allows: who the bearer is and what they may do in which room. */
public record AccessGrant(String apiKey, String identity, String room, boolean roomJoin, boolean canPublish,
                          boolean canSubscribe) {}
